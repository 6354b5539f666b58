"""The ledger of a model in the workspace: contributors, pledges, donations, expenses."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Contributor, Donation, Expense, Pledge
from campaigns.queries import initiative_ledger_totals
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge
from tests.factories import make_initiative, make_user
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")


def _ledger(initiative):
    return reverse("workspace:ledger", args=[initiative.pk])


def _today():
    return timezone.localdate().isoformat()


def _donation_data(contributor, **overrides):
    data = {
        "donation-contributor": str(contributor.pk),
        "donation-pledge": "",
        "donation-kind": "cash",
        "donation-amount": "5000000",
        "donation-received_on": _today(),
        "donation-receipt_number": "BN-0001",
        "donation-description": "Ủng hộ mua chậu hoa giấy",
        "donation-quantity": "",
        "donation-unit": "",
    }
    data.update({f"donation-{k}": v for k, v in overrides.items()})
    return data


def test_anonymous_is_sent_to_login_and_a_user_without_permission_gets_403(client, initiative):
    response = client.get(_ledger(initiative))
    assert response["Location"].startswith(reverse("login"))
    client.force_login(make_user("nguoidan"))
    response = client.get(_ledger(initiative))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_the_ledger_shows_totals_and_private_contact_details_to_staff(official_client, initiative):
    household = make_contributor("Hộ ông Nguyễn Văn An", phone="0912345678", address="12 Lê Lợi")
    make_pledge(initiative=initiative, contributor=household, value=2_000_000)
    make_donation(initiative=initiative, contributor=household, amount=1_500_000)
    make_expense(initiative=initiative, amount=400_000, description="Mua chậu hoa giấy")
    html = official_client.get(_ledger(initiative)).content.decode()
    for amount in ("2.000.000", "1.500.000", "400.000", "1.100.000"):
        assert f"{amount}\u00a0₫" in html, amount
    assert "Hộ ông Nguyễn Văn An" in html and "0912345678" in html
    public = official_client.get(initiative.get_absolute_url()).content.decode()
    assert "0912345678" not in public and "12 Lê Lợi" not in public


def test_searching_by_name_or_phone_lists_matches_to_pick(official_client, initiative):
    picked = make_contributor("Công ty TNHH Hoa Sen", kind="business", phone="0237 3821 999")
    make_contributor("Hộ bà Lê Thị Bình")
    response = official_client.get(_ledger(initiative), {"q": "Hoa Sen"})
    assert [c.name for c in response.context["matches"]] == ["Công ty TNHH Hoa Sen"]
    pick = f"{_ledger(initiative)}?contributor={picked.pk}#record"
    assert pick in response.content.decode()
    by_phone = official_client.get(_ledger(initiative), {"q": "3821999"}).context["matches"]
    assert [c.name for c in by_phone] == ["Công ty TNHH Hoa Sen"]
    chosen = official_client.get(_ledger(initiative), {"contributor": picked.pk})
    assert chosen.context["contributor"] == picked
    assert chosen.context["forms"]["donation"]["contributor"].value() == picked.pk


def test_adding_a_contributor_chooses_them(official_client, initiative):
    response = official_client.post(
        reverse("workspace:contributor-create", args=[initiative.pk]),
        {
            "contributor-kind": "household",
            "contributor-name": "Hộ ông Trần Văn Cường",
            "contributor-phone": "0988000111",
            "contributor-address": "5 Hồ Xuân Hương",
        },
    )
    contributor = Contributor.objects.get(name="Hộ ông Trần Văn Cường")
    assert (contributor.phone, contributor.publish_name) == ("0988000111", False)
    assert response["Location"] == f"{_ledger(initiative)}?contributor={contributor.pk}#record"


def test_a_contributor_without_a_name_is_refused_with_the_input_kept(official_client, initiative):
    response = official_client.post(
        reverse("workspace:contributor-create", args=[initiative.pk]),
        {"contributor-kind": "household", "contributor-name": "", "contributor-phone": "0988"},
    )
    assert response.status_code == 200
    form = response.context["forms"]["contributor"]
    assert "name" in form.errors
    assert 'value="0988"' in response.content.decode()
    assert not Contributor.objects.exists()


def test_an_official_records_a_pledge_and_the_totals_follow(official_client, official, initiative):
    household = make_contributor("Hộ ông Nguyễn Văn An")
    response = official_client.post(
        reverse("workspace:pledge-record", args=[initiative.pk]),
        {
            "pledge-contributor": household.pk,
            "pledge-kind": "cash",
            "pledge-value": "3000000",
            "pledge-pledged_on": _today(),
            "pledge-due_on": "",
        },
    )
    assert response["Location"] == _ledger(initiative) + "#pledges"
    pledge = Pledge.objects.get()
    assert (pledge.contributor, pledge.value, pledge.recorded_by) == (
        household,
        3_000_000,
        official,
    )
    page = official_client.get(response["Location"])
    assert page.context["totals"]["pledged"] == 3_000_000
    assert "Đã ghi cam kết 3.000.000 ₫ của “Hộ ông Nguyễn Văn An”." in page.content.decode()


def test_an_official_records_a_donation_against_a_pledge(official_client, official, initiative):
    household = make_contributor("Hộ ông Nguyễn Văn An")
    pledge = make_pledge(initiative=initiative, contributor=household, value=5_000_000)
    form_page = official_client.get(
        _ledger(initiative), {"contributor": household.pk, "pledge": pledge.pk}
    )
    assert form_page.context["forms"]["donation"]["pledge"].value() == str(pledge.pk)
    response = official_client.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        _donation_data(household, pledge=str(pledge.pk)),
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert (donation.pledge, donation.amount, donation.recorded_by) == (pledge, 5_000_000, official)
    assert initiative_ledger_totals(initiative)["received"] == 5_000_000
    assert pledge.state() == "fulfilled"


def test_a_bad_donation_keeps_everything_typed_and_marks_the_field(official_client, initiative):
    """The workflow's LedgerEntryError.field puts the message next to the right input."""
    household = make_contributor("Hộ ông Nguyễn Văn An")
    make_donation(initiative=initiative, receipt_number="BN-0001")
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    cases = [
        ({"amount": "0"}, "amount", "Số tiền phải lớn hơn 0"),
        ({"receipt_number": "BN-0001"}, "receipt_number", "BN-0001 đã được dùng"),
        ({"received_on": future}, "received_on", "chưa tới"),
        ({"kind": "labour"}, "quantity", "cần ghi số lượng"),
    ]
    for overrides, field, message in cases:
        data = _donation_data(household, **{"receipt_number": "BN-0002", **overrides})
        response = official_client.post(
            reverse("workspace:donation-record", args=[initiative.pk]), data
        )
        assert response.status_code == 200, overrides
        form = response.context["forms"]["donation"]
        assert message in " ".join(form.errors[field]), (field, form.errors)
        html = response.content.decode()
        assert 'value="Ủng hộ mua chậu hoa giấy"' in html
        assert f'value="{data["donation-receipt_number"]}"' in html
        assert response.context["contributor"] == household, "the chosen contributor stays"
    assert Donation.objects.count() == 1


def test_a_donation_without_a_contributor_asks_to_choose_one(official_client, initiative):
    data = _donation_data(make_contributor())
    data["donation-contributor"] = ""
    response = official_client.post(
        reverse("workspace:donation-record", args=[initiative.pk]), data
    )
    assert "Hãy tìm và chọn người đóng góp" in response.content.decode()
    assert not Donation.objects.exists()


def test_cancelling_a_pledge_needs_a_reason(official_client, initiative):
    pledge = make_pledge(initiative=initiative)
    url = reverse("workspace:pledge-cancel", args=[pledge.pk])
    response = official_client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        ("error", "Chưa thực hiện được: Trường này là bắt buộc.")
    ]
    row = next(p for p in response.context["pledges"] if p.pk == pledge.pk)
    assert row.reason_form.errors == {"reason": ["Trường này là bắt buộc."]}
    pledge.refresh_from_db()
    assert not pledge.cancelled
    response = official_client.post(url, {"reason": "Hộ chuyển đi nơi khác"})
    assert response["Location"] == _ledger(initiative) + f"#pledge-{pledge.pk}"
    pledge.refresh_from_db()
    assert (pledge.cancelled, pledge.cancel_reason) == (True, "Hộ chuyển đi nơi khác")
    assert initiative_ledger_totals(initiative)["pledged"] == 0


def test_reversing_a_donation_and_an_expense_updates_the_totals(official_client, initiative):
    donation = make_donation(initiative=initiative, amount=2_000_000)
    expense = make_expense(initiative=initiative, amount=500_000)
    official_client.post(
        reverse("workspace:donation-reverse", args=[donation.pk]), {"reason": "Ghi nhầm mô hình"}
    )
    official_client.post(
        reverse("workspace:expense-reverse", args=[expense.pk]), {"reason": "Chứng từ sai"}
    )
    reversal = Donation.objects.get(reverses=donation)
    assert (reversal.amount, reversal.reason) == (-2_000_000, "Ghi nhầm mô hình")
    assert Expense.objects.get(reverses=expense).amount == -500_000
    totals = official_client.get(_ledger(initiative)).context["totals"]
    assert (totals["received"], totals["spent"]) == (0, 0)


def test_reversing_twice_is_refused_with_a_message(official_client, initiative):
    donation = make_donation(initiative=initiative)
    url = reverse("workspace:donation-reverse", args=[donation.pk])
    official_client.post(url, {"reason": "Ghi nhầm"})
    response = official_client.post(url, {"reason": "Lần nữa"})
    assert "đã được điều chỉnh rồi" in response.content.decode()
    assert Donation.objects.filter(reverses=donation).count() == 1


def test_an_official_records_an_expense(official_client, official, initiative):
    response = official_client.post(
        reverse("workspace:expense-record", args=[initiative.pk]),
        {
            "expense-description": "Mua 310 chậu hoa giấy",
            "expense-amount": "300000000",
            "expense-spent_on": _today(),
            "expense-voucher_number": "PC-01",
        },
    )
    assert response["Location"] == _ledger(initiative) + "#expenses"
    expense = Expense.objects.get()
    assert (expense.amount, expense.voucher_number, expense.recorded_by) == (
        300_000_000,
        "PC-01",
        official,
    )


def test_the_committee_reads_the_ledger_without_forms(committee_client, initiative):
    donation = make_donation(initiative=initiative, amount=1_000_000)
    response = committee_client.get(_ledger(initiative))
    html = response.content.decode()
    assert response.status_code == 200 and "1.000.000\u00a0₫" in html
    for action in ("donation-record", "expense-record", "pledge-record", "contributor-create"):
        assert reverse(f"workspace:{action}", args=[initiative.pk]) not in html
    assert reverse("workspace:donation-reverse", args=[donation.pk]) not in html
    response = committee_client.post(
        reverse("workspace:donation-reverse", args=[donation.pk]), {"reason": "x"}
    )
    assert response.status_code == 403
    assert not Donation.objects.filter(reverses=donation).exists()


def test_get_on_the_ledger_actions_is_405(official_client, initiative):
    donation = make_donation(initiative=initiative)
    for url in (
        reverse("workspace:contributor-create", args=[initiative.pk]),
        reverse("workspace:pledge-record", args=[initiative.pk]),
        reverse("workspace:donation-record", args=[initiative.pk]),
        reverse("workspace:expense-record", args=[initiative.pk]),
        reverse("workspace:pledge-cancel", args=[make_pledge(initiative=initiative).pk]),
        reverse("workspace:donation-reverse", args=[donation.pk]),
        reverse("workspace:expense-reverse", args=[make_expense(initiative=initiative).pk]),
    ):
        assert official_client.get(url).status_code == 405, url
    assert not Donation.objects.filter(reverses=donation).exists()


def test_the_ledger_page_costs_the_same_queries_with_more_entries(official_client, initiative):
    def grow():
        for i in range(3):
            contributor = make_contributor(f"Hộ số {i}", phone=f"09{i}")
            pledge = make_pledge(initiative=initiative, contributor=contributor)
            donation = make_donation(initiative=initiative, contributor=contributor, pledge=pledge)
            Donation.objects.create(
                initiative=initiative,
                contributor=contributor,
                kind="cash",
                amount=-donation.amount,
                received_on=donation.received_on,
                counted_on=donation.received_on,
                reverses=donation,
                reason="Ghi nhầm",
            )
            make_expense(initiative=initiative)

    make_donation(initiative=initiative)
    url = _ledger(initiative)
    response = assert_constant_queries(lambda: official_client.get(url), grow)
    assert len(response.context["donations"]) == 7
