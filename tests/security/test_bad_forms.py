"""Bad input to the workspace forms gets the form back with messages, never a 500.

Over-long text, impossible dates, negative and absurd figures, files that are not what their
name says, the same formset row twice: every case answers with the form again (200), a
message next to the field (or on top), everything the official typed still there, and
nothing written.
"""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Commendation, Donation, DossierDocument, Expense, Pledge
from registry.models import Commitment, Indicator, Initiative, OversightActivity, Photo
from tests.campaigns.factories import make_contributor
from tests.campaigns.factories_reviews import make_commendation
from tests.factories import image_bytes, make_initiative
from tests.workspace.helpers import edit_post_data, initiative_post_data, management

pytestmark = pytest.mark.django_db

ABSURD = "9" * 40  # far beyond any integer column
TOO_LONG = "Đường hoa " * 40  # 400 characters


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def assert_form_back(response, *, errors: dict, kept=(), form="form"):
    """The form came back: ``errors`` maps a field to a text its message contains (or None:
    any message), ``kept`` are values typed by the user that must be in the page again."""
    page = _page(response)
    bound = response.context[form] if isinstance(form, str) else form
    for field, text in errors.items():
        messages = bound.errors.get(field)
        assert messages, (field, dict(bound.errors))
        if text is not None:
            assert text in " ".join(messages), (field, messages)
        for message in messages:
            assert message in page, message
    for value in kept:
        assert value in page, value
    return page


# --- The model's form with its formsets (create and edit) -------------------------------


def _formsets(response) -> dict:
    return {formset.prefix: formset for _heading, formset in response.context["formsets"]}


def _create(client, **kwargs):
    return client.post(reverse("workspace:initiative-create"), initiative_post_data(**kwargs))


def test_an_over_long_title_and_code_are_refused_and_kept(official_client):
    response = _create(official_client, title=TOO_LONG, code="DVK-" + "9" * 40)
    assert_form_back(
        response,
        errors={"title": "300", "code": "30"},
        kept=[f'value="{TOO_LONG}"', 'value="DVK-' + "9" * 40 + '"'],
    )
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("started_on", ["2023-02-30", "31/31/2023", "hôm qua", "0000-00-00"])
def test_an_impossible_date_is_refused_and_kept(official_client, started_on):
    response = _create(official_client, started_on=started_on, summary="Giữ nguyên tóm tắt")
    assert_form_back(
        response, errors={"started_on": None}, kept=[f'value="{started_on}"', "Giữ nguyên tóm tắt"]
    )
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    "funding_target, message",
    [("-5", "không thể âm"), (ABSURD, None), ("1e9", None), ("310.000.000,5", None)],
)
def test_a_negative_or_absurd_funding_target_is_refused(official_client, funding_target, message):
    response = _create(official_client, funding_target=funding_target)
    assert_form_back(
        response, errors={"funding_target": message}, kept=[f'value="{funding_target}"']
    )
    assert not Initiative.objects.exists()


@pytest.mark.parametrize(
    "target, message",
    [("-310", "không thể âm"), ("1" + "0" * 20, None), ("abc", None)],
)
def test_a_negative_or_absurd_indicator_target_is_refused(official_client, target, message):
    response = _create(
        official_client,
        indicators=[{"label": "Số chậu hoa giấy", "unit": "chậu", "target": target}],
    )
    formset = _formsets(response)["indicators"]
    assert_form_back(
        response,
        form=formset.forms[0],
        errors={"target": message},
        kept=[f'value="{target}"', 'value="Số chậu hoa giấy"'],
    )
    assert not Initiative.objects.exists() and not Indicator.objects.exists()


def test_the_same_indicator_twice_is_refused_with_a_clear_message(official_client):
    rows = [
        {"label": "Số chậu hoa giấy", "unit": "chậu", "target": "310"},
        {"label": "  số chậu  hoa giấy ", "unit": "Chậu", "target": "300"},
    ]
    response = _create(official_client, indicators=rows)
    formset = _formsets(response)["indicators"]
    message = "đã có ở dòng 1"
    page = assert_form_back(
        response,
        form=formset.forms[1],
        errors={"label": message},
        kept=['value="310"', 'value="300"', 'value="  số chậu  hoa giấy "'],
    )
    assert message in " ".join(formset.non_form_errors())
    # Next to the repeated row and on top of the formset.
    assert page.count("Chỉ tiêu “số chậu  hoa giấy” (cùng đơn vị tính) đã có ở dòng 1") == 2
    assert not Initiative.objects.exists()


def test_the_same_indicator_with_another_unit_and_a_deleted_repeat_are_accepted(official_client):
    data = initiative_post_data(
        indicators=[
            {"label": "Chiều dài", "unit": "km", "target": "2"},
            {"label": "Chiều dài", "unit": "m", "target": "2000"},
            {"label": "Chiều dài", "unit": "km", "target": "2", "DELETE": "on"},
        ]
    )
    response = official_client.post(reverse("workspace:initiative-create"), data)
    assert response.status_code == 302
    assert sorted(Indicator.objects.values_list("unit", flat=True)) == ["km", "m"]


def test_the_same_commitment_twice_is_refused(official_client):
    text = "Không để xe trên vỉa hè"
    response = _create(official_client, commitments=[text, text.upper()])
    formset = _formsets(response)["commitments"]
    assert_form_back(response, form=formset.forms[1], errors={"text": "đã có ở dòng 1"})
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"day khong phai la anh\n" * 20, "không phải là hình ảnh"),  # a text file
        (image_bytes("GIF"), "Chỉ nhận ảnh JPEG, PNG hoặc WebP"),  # an image, not one we take
    ],
)
def test_a_file_named_jpg_that_is_not_a_photo_we_take_is_refused(official_client, content, message):
    data = initiative_post_data(summary="Tóm tắt giữ lại")
    data.update(management("photos", 1))
    data.update({"photos-0-alt_text": "Chậu hoa giấy", "photos-0-order": "0"})
    data["photos-0-image"] = SimpleUploadedFile("anh-hoa.jpg", content, content_type="image/jpeg")
    response = official_client.post(reverse("workspace:initiative-create"), data)
    formset = _formsets(response)["photos"]
    page = assert_form_back(
        response,
        form=formset.forms[0],
        errors={"image": message},
        kept=['value="Chậu hoa giấy"', "Tóm tắt giữ lại"],
    )
    assert "hãy chọn lại ảnh" in page
    assert not Initiative.objects.exists() and not Photo.objects.exists()


def test_the_edit_page_refuses_bad_input_and_changes_nothing(official_client):
    initiative = make_initiative("Đường hoa Lê Lợi")
    Indicator.objects.create(initiative=initiative, label="Số chậu", unit="chậu", target=310)
    data = edit_post_data(official_client, initiative)
    data.update(
        {
            "title": TOO_LONG,
            "ended_on": "2023-02-29",
            "funding_target": "-1",
            "indicators-TOTAL_FORMS": "2",
            "indicators-1-label": "Số chậu",
            "indicators-1-unit": "chậu",
            "indicators-1-target": "-3",
            "indicators-1-order": "1",
        }
    )
    response = official_client.post(
        reverse("workspace:initiative-edit", args=[initiative.pk]), data
    )
    assert_form_back(
        response,
        errors={"title": None, "ended_on": None, "funding_target": "không thể âm"},
        kept=[f'value="{TOO_LONG}"', 'value="2023-02-29"', 'value="-3"'],
    )
    formset = _formsets(response)["indicators"]
    assert "không thể âm" in " ".join(formset.forms[1].errors["target"])
    assert "đã có ở dòng 1" in " ".join(formset.forms[1].errors["label"])
    initiative.refresh_from_db()
    assert initiative.title == "Đường hoa Lê Lợi"
    assert Indicator.objects.count() == 1


# --- Oversight log --------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"happened_on": "2023-02-30"}, "happened_on"),
        ({"happened_on": "x" * 500}, "happened_on"),
        ({"follow_up_due": "31/02/2023"}, "follow_up_due"),
        ({"follow_up_due": "2023-02-01"}, "follow_up_due"),
        ({"kind": "bogus"}, "kind"),
        ({"note": ""}, "note"),
    ],
)
def test_the_oversight_log_refuses_bad_input_and_keeps_it(official_client, overrides, field):
    initiative = make_initiative()
    data = {
        "kind": "inspection",
        "happened_on": "2023-03-01",
        "note": "Còn 3 hộ để xe trên vỉa hè " + TOO_LONG,
        "follow_up_due": "2023-03-10",
        **overrides,
    }
    response = official_client.post(reverse("workspace:oversight", args=[initiative.pk]), data)
    kept = [data["note"]] if data["note"] else []
    kept += [f'value="{data[name]}"' for name in ("happened_on", "follow_up_due")]
    assert_form_back(response, errors={field: None}, kept=kept)
    assert not OversightActivity.objects.exists()


# --- Ledger: donation, pledge, expense ------------------------------------------------


@pytest.fixture
def ledger_initiative():
    return make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")


def _ledger_post(client, initiative, name, form, data):
    url = reverse(f"workspace:{name}", args=[initiative.pk])
    response = client.post(url, {f"{form}-{k}": v for k, v in data.items()})
    response.context_form = response.context["forms"][form]
    return response


def _today():
    return timezone.localdate().isoformat()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"amount": "5000000001"}, "amount", "vượt mức tối đa"),
        ({"amount": ABSURD}, "amount", "vượt mức tối đa"),
        ({"amount": "-5000000"}, "amount", "lớn hơn 0"),
        ({"amount": "5000000.5"}, "amount", None),
        ({"amount": "5.000000"}, "amount", "3 chữ số"),  # 5.000.000 is read in full
        ({"received_on": "2023-02-30"}, "received_on", None),
        ({"received_on": "hôm nay"}, "received_on", None),
        ({"receipt_number": "BN-" + "9" * 60}, "receipt_number", None),
        ({"description": TOO_LONG}, "description", None),
        ({"kind": "bitcoin"}, "kind", None),
        ({"quantity": ABSURD}, "quantity", None),
        ({"quantity": "-2", "kind": "labour"}, "quantity", "lớn hơn 0"),
    ],
)
def test_a_bad_donation_comes_back_with_its_message_and_input(
    official_client, ledger_initiative, overrides, field, message
):
    household = make_contributor("Hộ ông Nguyễn Văn An")
    data = {
        "contributor": str(household.pk),
        "pledge": "",
        "kind": "cash",
        "amount": "5000000",
        "received_on": _today(),
        "receipt_number": "BN-0001",
        "description": "Ủng hộ mua chậu hoa giấy",
        "quantity": "",
        "unit": "",
        **overrides,
    }
    response = _ledger_post(official_client, ledger_initiative, "donation-record", "donation", data)
    kept = [f'value="{data[name]}"' for name in ("amount", "receipt_number", "description")]
    assert_form_back(response, form=response.context_form, errors={field: message}, kept=kept)
    assert "Chưa ghi được" in _page(response)
    assert response.context["contributor"] == household
    assert not Donation.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"value": ABSURD}, "value", "vượt mức tối đa"),
        ({"value": "-1"}, "value", "lớn hơn 0"),
        ({"pledged_on": "2023-13-01"}, "pledged_on", None),
        ({"due_on": "30/02/2023"}, "due_on", None),
        ({"description": TOO_LONG}, "description", None),
    ],
)
def test_a_bad_pledge_comes_back_with_its_message_and_input(
    official_client, ledger_initiative, overrides, field, message
):
    household = make_contributor("Hộ bà Trần Thị Bình")
    data = {
        "contributor": str(household.pk),
        "kind": "cash",
        "value": "2000000",
        "pledged_on": "2023-03-01",
        "due_on": "",
        "description": "Cam kết mua chậu hoa",
        "quantity": "",
        "unit": "",
        **overrides,
    }
    response = _ledger_post(official_client, ledger_initiative, "pledge-record", "pledge", data)
    kept = [f'value="{data["value"]}"', f'value="{data["description"]}"']
    assert_form_back(response, form=response.context_form, errors={field: message}, kept=kept)
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"amount": "5000000001"}, "amount", "vượt mức tối đa"),
        ({"amount": "0"}, "amount", "lớn hơn 0"),
        ({"spent_on": "2023-04-31"}, "spent_on", None),
        ({"spent_on": (dt.date.today() + dt.timedelta(days=30)).isoformat()}, "spent_on", None),
        ({"description": TOO_LONG}, "description", None),
        ({"voucher_number": "PC-" + "0" * 60}, "voucher_number", None),
    ],
)
def test_a_bad_expense_comes_back_with_its_message_and_input(
    official_client, ledger_initiative, overrides, field, message
):
    data = {
        "description": "Mua chậu hoa giấy",
        "amount": "400000",
        "spent_on": "2023-04-02",
        "voucher_number": "PC-001",
        **overrides,
    }
    response = _ledger_post(official_client, ledger_initiative, "expense-record", "expense", data)
    kept = [f'value="{data[name]}"' for name in ("description", "amount", "voucher_number")]
    assert_form_back(response, form=response.context_form, errors={field: message}, kept=kept)
    assert not Expense.objects.exists()


# --- Commendations and their dossier --------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"recipient_name": TOO_LONG}, "recipient_name", "300"),
        ({"prize_amount": "-500000"}, "prize_amount", "không thể âm"),
        ({"prize_amount": ABSURD}, "prize_amount", None),
        ({"signer_name": "Nguyễn Văn " * 20}, "signer_name", None),
        ({"form": "huan_chuong_vang"}, "form", None),
        ({"initiative": "999999"}, "initiative", None),
    ],
)
def test_a_bad_commendation_proposal_keeps_the_input(official_client, overrides, field, message):
    initiative = make_initiative()
    data = {
        "initiative": str(initiative.pk),
        "recipient_kind": "collective",
        "recipient_name": "Khối dân vận phường Trường Sơn",
        "form": "ward_chairman_certificate",
        "reason": "Thành tích xuất sắc trong phong trào “Dân vận khéo” năm 2023",
        "prize_amount": "500000",
        "signer_name": "Nguyễn Văn A",
        **overrides,
    }
    response = official_client.post(reverse("workspace:commendation-create"), data)
    kept = [f'value="{data[name]}"' for name in ("recipient_name", "signer_name", "prize_amount")]
    assert_form_back(response, errors={field: message}, kept=[*kept, data["reason"]])
    assert not Commendation.objects.exists()


@pytest.mark.parametrize(
    "name, content",
    [
        ("to-trinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program
        ("to-trinh.pdf", b"%PDF-1.4\n1 0 obj\n"),  # a PDF cut short
        ("bao-cao.jpg", b"<html><script>alert(1)</script></html>"),
        ("bien-ban.png", image_bytes("GIF")),
        ("rong.pdf", b""),
    ],
)
def test_a_dossier_file_that_is_not_what_it_claims_is_refused(official_client, name, content):
    commendation = make_commendation()
    response = official_client.post(
        reverse("workspace:dossier-attach", args=[commendation.pk]),
        {"kind": "achievement_report", "file": SimpleUploadedFile(name, content)},
    )
    page = assert_form_back(response, form="upload_form", errors={"file": None})
    assert "Chưa tải lên được" in page
    kind = response.context["upload_form"]["kind"]
    assert kind.value() == "achievement_report"
    assert 'value="achievement_report" selected' in page
    assert not DossierDocument.objects.exists()
