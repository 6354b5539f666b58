"""Open data (/du-lieu-mo/): the files, their schema, the page, the feed."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from frictionless import Package, Resource, Schema

from campaigns.models import ContributionKind, ContributorKind
from campaigns.review_choices import RecognitionStatus
from campaigns.workflow import donation_reverse
from registry import workflow
from registry.choices import InitiativeStatus
from registry.models import AdminUnit, Initiative, Milestone
from registry.workflow import initiative_approve, initiative_complete
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense
from tests.campaigns.factories_reviews import make_recognition
from tests.queries import assert_constant_queries
from wardmodels.opendata.datasets import DATASETS, FORMATS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

# The columns of v1, frozen: a column of v1 is never renamed, moved or removed (new ones may
# only be added at the end, and then this list grows with them).
V1_COLUMNS = {
    "models": [
        "public_id",
        "kind",
        "title",
        "field_slug",
        "field_name",
        "field_group",
        "unit_id",
        "unit_name",
        "residential_areas",
        "lead_organization",
        "status",
        "progress",
        "started_on",
        "ended_on",
        "published_on",
        "funding_target",
        "url",
        "last_update",
        "unit_code",
    ],
    "indicators": ["indicator_id", "public_id", "label", "unit", "target", "actual"],
    "recognitions": [
        "recognition_id",
        "public_id",
        "round_title",
        "round_kind",
        "period_start",
        "period_end",
        "level",
        "tier",
        "decision_number",
        "decided_on",
        "published_at",
    ],
    "ledger-monthly": ["public_id", "month", "kind", "entries", "amount", "suppressed"],
    "milestones": [
        "milestone_id",
        "public_id",
        "occurred_on",
        "planned_on",
        "title",
        "body",
        "progress_before",
        "progress_after",
        "status_before",
        "status_after",
        "status",
        "published_at",
        "withdrawn_reason",
        "supersedes_id",
        "url",
    ],
}


def file_url(name: str, fmt: str = "csv") -> str:
    return reverse("public:opendata-file", kwargs={"name": name, "fmt": fmt})


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(client, name: str) -> list[dict]:
    response = client.get(file_url(name))
    assert response.status_code == 200
    text = body(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def json_rows(client, name: str) -> list[dict]:
    response = client.get(file_url(name, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(body(response))


def add_model(n: int, *, field=None, area=None, official=None):
    """A public model with an indicator, a published recognition and some ledger entries."""
    initiative = factories.make_initiative(
        f"Mô hình số {n}", field=field, started_on=date(2023, 3, n), funding_target=10_000_000
    )
    if area is not None:
        initiative.residential_areas.add(area)
    initiative.indicators.create(label="Chậu hoa giấy", unit="chậu", target=310, actual=n * 100)
    make_recognition(initiative, status=RecognitionStatus.PUBLISHED)
    donors = [make_contributor(), make_contributor()]
    for donor in donors:
        make_donation(initiative=initiative, contributor=donor, amount=1_000_000 * n)
    make_expense(initiative=initiative, amount=300_000)
    factories.make_published_milestone(initiative, title=f"Mốc của mô hình số {n}")
    return initiative


@pytest.fixture
def ward(committee_member, official):
    """Two public models (one approved and completed through the workflow), a draft, their
    indicators, decisions and ledger."""
    parent = factories.make_field("Văn hoá - xã hội")
    field = factories.make_field("Bảo vệ môi trường", parent=parent)
    area = factories.make_area("Khu phố Trung Sơn")
    le_loi = factories.make_initiative(
        "Đường hoa Lê Lợi",
        code="DVK-2023-01",
        field=field,
        lead_organization=factories.make_organization("Khối dân vận phường"),
        started_on=date(2023, 1, 15),
        funding_target=310_000_000,
    )
    le_loi.residential_areas.add(area, factories.make_area("Khu phố Bắc Kỳ"))
    le_loi.indicators.create(label="Chậu hoa giấy", unit="chậu", target=310, actual=310)
    le_loi.indicators.create(label="Chiều dài tuyến", unit="km", target=Decimal("2.50"))
    make_recognition(le_loi, status=RecognitionStatus.PUBLISHED, decision_number="12-QĐ/ĐU")
    make_recognition(le_loi, status=RecognitionStatus.PROPOSED)  # not decided: not in the file
    market = factories.make_initiative(
        "Chợ an toàn thực phẩm", code="DVK-2023-02", status=InitiativeStatus.REGISTERED
    )
    initiative_approve(initiative=market, by=committee_member)
    initiative_complete(initiative=market, by=official)
    draft = factories.make_initiative(
        "Mô hình còn dự thảo", code="DVK-2023-99", status=InitiativeStatus.DRAFT, published=False
    )
    draft.indicators.create(label="Chỉ tiêu nháp", target=1)
    make_recognition(draft, status=RecognitionStatus.PUBLISHED)
    make_donation(initiative=draft, amount=9_999_999)
    donors = [make_contributor(), make_contributor()]
    for donor in donors:
        make_donation(initiative=le_loi, contributor=donor, amount=155_000_000)
    make_expense(initiative=le_loi, amount=40_000_000, spent_on=date(2023, 5, 2))
    planted = factories.make_published_milestone(
        le_loi,
        title="Đặt xong 310 chậu hoa",
        body="Hộ dân hai bên đường nhận chăm sóc.",
        occurred_on=date(2023, 4, 10),
        planned_on=date(2023, 6, 1),
        progress_before=40,
        progress_after=100,
        status_before=InitiativeStatus.IMPLEMENTING,
        status_after=InitiativeStatus.IMPLEMENTING,
    )
    return {
        "le_loi": le_loi,
        "market": market,
        "draft": draft,
        "area": area,
        "field": field,
        "planted": planted,
    }


# --- the files against their schema ------------------------------------------------------------


def test_every_file_validates_against_its_table_schema_in_datapackage_json(client, ward, tmp_path):
    """Frictionless reads each CSV with the schema the site publishes: types, formats,
    enums, required values, primary keys and the header must all hold."""
    package = json.loads(client.get(reverse("public:opendata-datapackage")).content)
    assert Package.validate_descriptor(package).valid
    assert [r["name"] for r in package["resources"]] == list(DATASETS)
    for resource in package["resources"]:
        name = resource["name"]
        response = client.get(file_url(name))
        (tmp_path / f"{name}.csv").write_bytes(body(response))
        report = Resource(
            path=f"{name}.csv",
            basepath=str(tmp_path),
            schema=Schema.from_descriptor(resource["schema"]),
        ).validate()
        assert report.valid, (name, report.flatten(["rowNumber", "fieldName", "type", "note"]))
        assert len(csv_rows(client, name)) > 0, f"{name}.csv is empty: the test proves nothing"


def test_the_v1_column_names_never_change():
    """A reader's script depends on them: renaming one within v1 must fail here."""
    assert {name: d.column_names for name, d in DATASETS.items()} == V1_COLUMNS
    for columns in V1_COLUMNS.values():
        assert all(c.isascii() and c == c.lower() and " " not in c for c in columns)


def test_the_csv_header_is_the_schema_and_json_has_the_same_rows(client, ward):
    for name, dataset in DATASETS.items():
        text = body(client.get(file_url(name))).decode("utf-8-sig")
        assert text.splitlines()[0].split(",") == dataset.column_names
        from_csv = csv_rows(client, name)
        from_json = json_rows(client, name)
        assert [list(r) for r in from_json] == [dataset.column_names] * len(from_json)
        assert [r["public_id"] for r in from_json] == [r["public_id"] for r in from_csv]


def test_csv_files_are_utf8_with_a_bom_and_named_for_download(client, ward):
    response = client.get(file_url("models"))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="models.csv"'
    content = body(response)
    assert content.startswith(b"\xef\xbb\xbf")
    assert "Đường hoa Lê Lợi".encode() in content


def test_models_csv_lists_the_public_models_with_their_facts(client, ward):
    rows = {r["public_id"]: r for r in csv_rows(client, "models")}
    assert set(rows) == {"DVK-2023-01", "DVK-2023-02"}  # not the draft
    le_loi = rows["DVK-2023-01"]
    assert le_loi["title"] == "Đường hoa Lê Lợi"
    assert (le_loi["field_name"], le_loi["field_group"]) == (
        "Bảo vệ môi trường",
        "Văn hoá - xã hội",
    )
    assert le_loi["field_slug"] == ward["field"].slug
    assert le_loi["unit_id"] == str(ward["le_loi"].admin_unit_id)
    assert le_loi["unit_name"] == "Trường Sơn"
    assert le_loi["residential_areas"] == "Khu phố Bắc Kỳ; Khu phố Trung Sơn"
    assert le_loi["lead_organization"] == "Khối dân vận phường"
    assert (le_loi["status"], le_loi["kind"]) == ("implementing", "model")
    assert (le_loi["started_on"], le_loi["ended_on"]) == ("2023-01-15", "")
    assert le_loi["funding_target"] == "310000000"  # whole đồng, no separators
    assert le_loi["url"] == "http://testserver" + ward["le_loi"].get_absolute_url()
    assert le_loi["progress"] == ""  # no published progress yet: unknown, not 0
    # The ward's calendar day (Asia/Ho_Chi_Minh), not UTC's.
    updated = timezone.localtime(ward["le_loi"].updated_at).date()
    assert date.fromisoformat(le_loi["last_update"]) == updated
    assert rows["DVK-2023-02"]["status"] == "completed"
    assert le_loi["unit_code"] == ""  # not entered: empty, never guessed


def test_models_csv_gives_the_national_unit_code_once_it_is_entered(client, ward):
    AdminUnit.objects.filter(pk=ward["le_loi"].admin_unit_id).update(code="12345")
    rows = {r["public_id"]: r for r in csv_rows(client, "models")}
    assert rows["DVK-2023-01"]["unit_code"] == "12345"


def test_indicators_and_recognitions_hold_only_public_rows(client, ward):
    indicators = csv_rows(client, "indicators")
    assert [(r["public_id"], r["label"], r["target"], r["actual"]) for r in indicators] == [
        ("DVK-2023-01", "Chậu hoa giấy", "310", "310"),
        ("DVK-2023-01", "Chiều dài tuyến", "2.5", ""),
    ]
    recognitions = csv_rows(client, "recognitions")
    assert [(r["public_id"], r["decision_number"]) for r in recognitions] == [
        ("DVK-2023-01", "12-QĐ/ĐU")
    ]
    assert recognitions[0]["published_at"].endswith("Z")
    assert json_rows(client, "indicators")[1]["target"] == 2.5


# --- the ledger and privacy -------------------------------------------------------------------


def ledger(client) -> dict:
    return {(r["public_id"], r["month"], r["kind"]): r for r in csv_rows(client, "ledger-monthly")}


def test_a_month_with_one_non_consenting_donor_has_no_amount(client):
    initiative = factories.make_initiative(code="M-1")
    make_donation(initiative=initiative, contributor=make_contributor(), amount=7_654_321)
    make_donation(  # another month of hers, and another donor: both shown
        initiative=initiative, amount=1_000_000, received_on=date(2023, 5, 3)
    )
    make_donation(initiative=initiative, amount=2_000_000, received_on=date(2023, 5, 4))
    rows = ledger(client)
    april = rows[("M-1", "2023-04", "cash")]
    assert (april["entries"], april["amount"], april["suppressed"]) == ("1", "", "true")
    text = body(client.get(file_url("ledger-monthly"))).decode()
    assert "7654321" not in text
    # Her month is the model's only blanked one: the next month is blanked too, or the
    # model page's total minus May would give her amount back.
    may = rows[("M-1", "2023-05", "cash")]
    assert (may["entries"], may["amount"], may["suppressed"]) == ("2", "", "true")
    assert "7654321" not in json.dumps(json_rows(client, "ledger-monthly"))


def test_a_month_with_two_non_consenting_donors_shows_their_sum(client):
    initiative = factories.make_initiative(code="M-2")
    make_donation(initiative=initiative, amount=3_000_000)
    make_donation(initiative=initiative, amount=4_000_000)
    row = ledger(client)[("M-2", "2023-04", "cash")]
    assert (row["entries"], row["amount"], row["suppressed"]) == ("2", "7000000", "false")


def test_one_non_consenting_donor_beside_a_consenting_one_is_still_hidden(client):
    """The consenting donor's amount is public on the model page: the difference is hers."""
    initiative = factories.make_initiative(code="M-3")
    named = make_contributor("Hộ ông Đồng Ý", publish_name=True, publish_amount=True)
    make_donation(initiative=initiative, contributor=named, amount=1_000_000)
    make_donation(initiative=initiative, amount=2_500_000)
    row = ledger(client)[("M-3", "2023-04", "cash")]
    assert (row["amount"], row["suppressed"]) == ("", "true")


def test_consenting_donors_amounts_are_shown_and_expenses_never_hidden(client):
    initiative = factories.make_initiative(code="M-4")
    named = make_contributor(publish_name=True, publish_amount=True)
    make_donation(initiative=initiative, contributor=named, amount=1_000_000)
    make_donation(
        initiative=initiative,
        contributor=named,
        kind=ContributionKind.LABOUR,
        quantity=Decimal(3),
        amount=600_000,
    )
    make_expense(initiative=initiative, amount=800_000)
    rows = ledger(client)
    assert rows[("M-4", "2023-04", "cash")]["amount"] == "1000000"
    assert rows[("M-4", "2023-04", "labour")]["amount"] == "600000"
    assert rows[("M-4", "2023-04", "expense")]["amount"] == "800000"
    assert rows[("M-4", "2023-04", "expense")]["suppressed"] == "false"


def test_reversals_net_out_in_the_month_of_the_entry_they_correct(client, official):
    initiative = factories.make_initiative(code="M-5")
    donors = [make_contributor(kind=ContributorKind.BUSINESS) for _ in range(3)]
    kept = [make_donation(initiative=initiative, contributor=d, amount=5_000_000) for d in donors]
    donation_reverse(donation=kept[0], by=official, reason="Ghi nhầm mô hình")
    row = ledger(client)[("M-5", "2023-04", "cash")]
    assert (row["entries"], row["amount"], row["suppressed"]) == ("2", "10000000", "false")


def test_a_month_whose_only_entry_was_reversed_is_left_out(client, official):
    initiative = factories.make_initiative(code="M-6")
    donation = make_donation(initiative=initiative, amount=5_000_000)
    donation_reverse(donation=donation, by=official, reason="Ghi nhầm")
    assert not [key for key in ledger(client) if key[0] == "M-6"]


def test_the_ledger_of_a_hidden_model_is_not_in_the_file(client, ward):
    assert not [key for key in ledger(client) if key[0] == "DVK-2023-99"]
    assert ledger(client)[("DVK-2023-01", "2023-04", "cash")]["amount"] == "310000000"


# --- HTTP -----------------------------------------------------------------------------------


def test_files_answer_conditional_requests_with_304_until_the_data_changes(client, ward):
    url = file_url("ledger-monthly")
    first = client.get(url)
    body(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "public, no-cache"
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(file_url("ledger-monthly", "json"))["ETag"] != etag
    make_donation(initiative=ward["le_loi"], amount=1_000_000, received_on=date(2024, 1, 2))
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert b"2024-01" in body(again)


def test_a_consent_change_changes_the_ledger_file_s_etag(client, ward):
    """Consent decides what is hidden, so it is part of the file's version."""
    url = file_url("ledger-monthly")
    etag = client.get(url)["ETag"]
    donor = ward["le_loi"].donations.first().contributor
    donor.publish_name = donor.publish_amount = True
    donor.save()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_metadata_and_feed_answer_304_when_nothing_changed(client, ward):
    for name in ("public:opendata-datapackage", "public:opendata-catalog", "public:opendata-feed"):
        first = client.get(reverse(name))
        assert first.status_code == 200
        assert client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/du-lieu-mo/v1/khong-co.csv",
        "/du-lieu-mo/v1/models.xlsx",
        "/du-lieu-mo/v1/models.csv.bak",
        "/du-lieu-mo/v1/datapackage.csv",
    ],
)
def test_an_unknown_file_or_format_is_a_clear_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "Không có tệp dữ liệu mở" in page
    assert file_url("models") in page  # the files that exist
    assert response["Content-Type"].startswith("text/html")


def test_files_need_no_account_and_a_get_changes_nothing(client, ward):
    from campaigns.models import Donation

    before = Donation.objects.count()
    for name in DATASETS:
        for fmt in FORMATS:
            response = client.get(file_url(name, fmt))
            assert response.status_code == 200, (name, fmt)
            body(response)
    assert Donation.objects.count() == before
    assert client.post(file_url("models")).status_code == 405


def test_head_answers_with_the_headers_only(client, ward):
    response = client.head(file_url("models"))
    assert response.status_code == 200
    assert response["ETag"]
    assert body(response) == b""


# --- query counts ---------------------------------------------------------------------------


def _grow(ward):
    return lambda: [add_model(n, field=ward["field"], area=ward["area"]) for n in (4, 5)]


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_costs_the_same_number_of_queries_for_one_model_or_three(client, ward, name, fmt):
    ward["market"].published = False  # one public model to begin with
    ward["market"].save(update_fields=["published"])

    def fetch():
        response = client.get(file_url(name, fmt))
        return body(response)

    content = assert_constant_queries(fetch, _grow(ward))
    assert "Mô hình số 5".encode() in content or b"T-" in content


@pytest.mark.parametrize(
    "name",
    [
        "public:opendata",
        "public:opendata-feed",
        "public:opendata-datapackage",
        "public:opendata-catalog",
    ],
)
def test_the_page_and_the_metadata_cost_the_same_queries_for_one_model_or_three(client, ward, name):
    assert_constant_queries(lambda: client.get(reverse(name)), _grow(ward))


# --- the page ---------------------------------------------------------------------------------


def test_the_page_states_the_licence_row_counts_and_every_column(client, ward):
    response = client.get(reverse("public:opendata"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dữ liệu mở" in page and "CC BY 4.0" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "Nghị định 47/2020/NĐ-CP" in page
    files = response.context["files"]
    counts = {f["dataset"].name: f["rows"] for f in files}
    assert counts == {name: len(csv_rows(client, name)) for name in DATASETS}
    assert counts["models"] == 2 and counts["recognitions"] == 1
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
        assert file_url(dataset.name, "csv") in page and file_url(dataset.name, "json") in page
    assert "suppressed = true" in page  # the privacy rule is stated
    assert 'type="application/atom+xml"' in page


def test_the_page_is_in_english_when_chosen(client, ward):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("public:opendata")).content.decode()
    assert "Open data" in page
    assert "The model&#x27;s code in the ward&#x27;s register" in page
    assert "Column dictionary" in page and "Mô tả các cột" not in page


def test_every_page_links_to_the_open_data(client, ward):
    page = client.get(reverse("public:home")).content.decode()
    assert f'href="{reverse("public:opendata")}"' in page


# --- metadata -------------------------------------------------------------------------------


def test_datapackage_describes_types_formats_enums_and_keys(client, ward):
    response = client.get(reverse("public:opendata-datapackage"))
    assert response["Content-Type"] == "application/json"
    package = response.json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    models = next(r for r in package["resources"] if r["name"] == "models")
    assert models["path"] == "http://testserver" + file_url("models")
    assert models["schema"]["primaryKey"] == ["public_id"]
    fields = {f["name"]: f for f in models["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == ["implementing", "completed", "discontinued"]
    assert fields["started_on"]["type"] == "date"
    assert fields["url"]["format"] == "uri"
    assert fields["progress"]["constraints"] == {"minimum": 0, "maximum": 100}
    assert fields["title"]["description"] and fields["title"]["description_en"]
    assert fields["title"]["description"] != fields["title"]["description_en"]


def test_the_dcat_catalogue_lists_every_file_in_every_format(client, ward):
    response = client.get(reverse("public:opendata-catalog"))
    assert response["Content-Type"] == "application/ld+json"
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    datasets = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert set(datasets) == set(DATASETS)
    for name, dataset in datasets.items():
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dct:modified"]["@value"].endswith("Z")
        urls = {
            d["dcat:downloadURL"]["@id"]: d["dcat:mediaType"] for d in dataset["dcat:distribution"]
        }
        assert urls == {
            "http://testserver" + file_url(name, "csv"): "text/csv",
            "http://testserver" + file_url(name, "json"): "application/json",
        }
        for url in urls:
            assert client.get(url.removeprefix("http://testserver")).status_code == 200


# --- the feed -------------------------------------------------------------------------------


def feed_entries(client) -> list[dict]:
    response = client.get(reverse("public:opendata-feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_feed_lists_publications_status_changes_recognitions_and_milestones(client, ward):
    entries = feed_entries(client)
    ids = [e["id"] for e in entries]
    le_loi, market = ward["le_loi"], ward["market"]
    transitions = list(market.transitions.order_by("pk").values_list("pk", "to_status"))
    assert transitions == [(transitions[0][0], "implementing"), (transitions[1][0], "completed")]
    expected = {
        f"tag:testserver,2026:initiative/{le_loi.pk}/published",
        f"tag:testserver,2026:initiative/{market.pk}/published",
        *(f"tag:testserver,2026:initiative/{market.pk}/status/{s}/{pk}" for pk, s in transitions),
        f"tag:testserver,2026:recognition/{le_loi.recognitions.get(status='published').pk}/published",
        f"tag:testserver,2026:milestone/{ward['planted'].pk}/published",
    }
    # The market's status changes drafted automatic milestones: drafts are not in the feed.
    assert Milestone.objects.filter(initiative=market, status="draft").exists()
    assert set(ids) == expected
    assert len(ids) == len(set(ids))
    assert all(e["updated"] for e in entries)
    assert not [e for e in entries if ward["draft"].title in e["title"]]
    assert any(e["link"] == "http://testserver" + le_loi.get_absolute_url() for e in entries)


def test_feed_entry_ids_are_stable_across_requests_and_edits(client, ward):
    before = [e["id"] for e in feed_entries(client)]
    ward["le_loi"].title = "Đường hoa Lê Lợi (đã sửa tên)"
    ward["le_loi"].save()
    after = feed_entries(client)
    assert [e["id"] for e in after] == before
    assert any("đã sửa tên" in e["title"] for e in after)


# --- the progress timeline: milestones.csv, progress and last_update, the feed ------------------


def _editor():
    return factories.make_user("congbo-mo", is_superuser=True)


def test_milestones_csv_holds_the_public_timeline_with_its_facts(client, ward):
    planted = ward["planted"]
    rows = csv_rows(client, "milestones")
    assert [r["milestone_id"] for r in rows] == [str(planted.pk)]
    row = rows[0]
    assert row == {
        "milestone_id": str(planted.pk),
        "public_id": "DVK-2023-01",
        "occurred_on": "2023-04-10",
        "planned_on": "2023-06-01",
        "title": "Đặt xong 310 chậu hoa",
        "body": "Hộ dân hai bên đường nhận chăm sóc.",
        "progress_before": "40",
        "progress_after": "100",
        "status_before": "implementing",
        "status_after": "implementing",
        "status": "published",
        "published_at": row["published_at"],
        "withdrawn_reason": "",
        "supersedes_id": "",
        "url": "http://testserver"
        + reverse("public:initiative-timeline", kwargs={"slug": ward["le_loi"].slug}),
    }
    assert row["published_at"].endswith("Z")
    assert json_rows(client, "milestones")[0]["progress_after"] == 100


def test_a_draft_milestone_never_appears_in_the_open_data(client, ward):
    draft = factories.make_milestone(ward["le_loi"], title="Bản nháp chưa duyệt")
    withdrawn_draft = factories.make_milestone(ward["le_loi"], title="Nháp rút lại")
    workflow.milestone_withdraw(milestone=withdrawn_draft, by=_editor(), reason="Trùng")
    for fmt in FORMATS:
        content = body(client.get(file_url("milestones", fmt)))
        assert "Bản nháp chưa duyệt".encode() not in content
        assert "Nháp rút lại".encode() not in content
    ids = {r["milestone_id"] for r in csv_rows(client, "milestones")}
    assert str(draft.pk) not in ids and str(withdrawn_draft.pk) not in ids
    assert not [e for e in feed_entries(client) if f"milestone/{draft.pk}/" in e["id"]]
    assert Milestone.objects.get(pk=draft.pk).status == "draft"  # a GET changed nothing


def test_a_withdrawn_milestone_appears_with_its_reason_and_its_correction_points_to_it(
    client, ward
):
    editor = _editor()
    wrong = factories.make_published_milestone(ward["le_loi"], title="Số liệu nhầm")
    fixed = workflow.milestone_supersede(
        milestone=wrong, by=editor, title="Số liệu đúng", occurred_on=date(2023, 4, 12)
    )
    workflow.milestone_publish(milestone=fixed, by=editor)
    workflow.milestone_withdraw(milestone=wrong, by=editor, reason="Ghi nhầm số chậu")
    rows = {r["milestone_id"]: r for r in csv_rows(client, "milestones")}
    assert (rows[str(wrong.pk)]["status"], rows[str(wrong.pk)]["withdrawn_reason"]) == (
        "withdrawn",
        "Ghi nhầm số chậu",
    )
    assert rows[str(wrong.pk)]["published_at"]  # it had been public
    assert rows[str(fixed.pk)]["supersedes_id"] == str(wrong.pk)
    assert rows[str(fixed.pk)]["status"] == "published"
    assert rows[str(ward["planted"].pk)]["withdrawn_reason"] == ""
    ids = {e["id"] for e in feed_entries(client)}
    assert f"tag:testserver,2026:milestone/{wrong.pk}/withdrawn" in ids
    assert f"tag:testserver,2026:milestone/{wrong.pk}/published" in ids


def test_a_milestone_of_a_model_residents_cannot_see_never_appears(client, ward):
    factories.make_published_milestone(ward["market"], title="Mốc của chợ")
    ward["market"].published = False
    ward["market"].save(update_fields=["published"])
    factories.make_milestone(ward["draft"], title="Mốc của mô hình dự thảo")
    for fmt in FORMATS:
        content = body(client.get(file_url("milestones", fmt)))
        assert "Mốc của chợ".encode() not in content
        assert "Mốc của mô hình dự thảo".encode() not in content
        assert b"DVK-2023-02" not in content and b"DVK-2023-99" not in content
    assert not [e for e in feed_entries(client) if "Mốc của chợ" in e["title"]]


def test_milestones_hold_no_names_no_photos_and_no_internal_reason(client, ward):
    editor = factories.make_user("nguyenvancongbo", is_superuser=True)
    factories.make_published_milestone(
        ward["le_loi"], by=editor, title="Có ảnh", photos=("before", "after")
    )
    for fmt in FORMATS:
        content = body(client.get(file_url("milestones", fmt))).decode("utf-8-sig")
        assert "nguyenvancongbo" not in content
        assert "photos/" not in content and ".jpg" not in content
        assert "Có ảnh" in content


def test_models_csv_gives_the_progress_and_the_later_of_edit_and_milestone_days(client, ward):
    le_loi = ward["le_loi"]
    workflow.initiative_results_update(initiative=le_loi, by=_editor(), progress_entered=70)
    le_loi.refresh_from_db()
    assert le_loi.progress == 70
    # An edit on a day before the published milestone's day: the milestone's day is the later.
    edited = timezone.make_aware(timezone.datetime(2023, 1, 20, 9, 0))
    Initiative.objects.filter(pk=le_loi.pk).update(updated_at=edited)
    rows = {r["public_id"]: r for r in csv_rows(client, "models")}
    assert rows["DVK-2023-01"]["progress"] == "70"
    assert rows["DVK-2023-01"]["last_update"] == "2023-04-10"  # the milestone's day
    assert rows["DVK-2023-02"]["progress"] == ""  # no figure: empty, never 0
    # A later edit wins over the milestone's day.
    Initiative.objects.filter(pk=le_loi.pk).update(updated_at=timezone.now())
    rows = {r["public_id"]: r for r in json_rows(client, "models")}
    assert rows["DVK-2023-01"]["last_update"] == timezone.localdate().isoformat()
    assert rows["DVK-2023-01"]["progress"] == 70


def test_publishing_a_milestone_changes_the_files_and_the_feed_s_etag(client, ward):
    feed = reverse("public:opendata-feed")
    etags = {
        url: client.get(url)["ETag"] for url in (feed, file_url("milestones"), file_url("models"))
    }
    for url, etag in etags.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url
    editor = _editor()
    milestone = factories.make_milestone(ward["market"], title="Chợ đạt chuẩn")
    # A draft written changes no public entry, but publishing it must reach every reader.
    workflow.milestone_publish(milestone=milestone, by=editor)
    for url, etag in etags.items():
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 200, url
    ids = {e["id"] for e in feed_entries(client)}
    assert f"tag:testserver,2026:milestone/{milestone.pk}/published" in ids
    entry = next(
        e for e in feed_entries(client) if e["id"].endswith(f"milestone/{milestone.pk}/published")
    )
    assert entry["link"] == "http://testserver" + reverse(
        "public:initiative-timeline", kwargs={"slug": ward["market"].slug}
    )
    assert "Chợ đạt chuẩn" in entry["title"]


def test_the_milestone_entry_id_is_stable_across_requests_and_withdrawal(client, ward):
    key = f"tag:testserver,2026:milestone/{ward['planted'].pk}/published"
    first = next(e for e in feed_entries(client) if e["id"] == key)
    workflow.milestone_withdraw(milestone=ward["planted"], by=_editor(), reason="Nhầm ngày")
    after = {e["id"]: e for e in feed_entries(client)}
    assert after[key]["updated"] == first["updated"]
    assert f"tag:testserver,2026:milestone/{ward['planted'].pk}/withdrawn" in after


def _grow_milestones(ward):
    def grow():
        for n in range(2):
            factories.make_published_milestone(ward["le_loi"], title=f"Mốc thêm {n}")

    return grow


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_milestones_file_costs_the_same_queries_for_one_milestone_or_three(client, ward, fmt):
    content = assert_constant_queries(
        lambda: body(client.get(file_url("milestones", fmt))), _grow_milestones(ward)
    )
    assert "Mốc thêm 1".encode() in content


@pytest.mark.parametrize("name", ["public:opendata", "public:opendata-feed"])
def test_the_page_and_feed_cost_the_same_queries_for_one_milestone_or_three(client, ward, name):
    assert_constant_queries(lambda: client.get(reverse(name)), _grow_milestones(ward))


def test_a_published_answer_to_feedback_is_a_feed_entry_and_changes_the_etag(client, ward):
    from tests.participation.factories import make_answered

    etag = client.get(reverse("public:opendata-feed"))["ETag"]
    official = factories.make_official()
    hidden = make_answered(
        ward["le_loi"], by=official, publish=False, text="Đề nghị tưới hoa vào buổi sáng sớm."
    )
    assert client.get(reverse("public:opendata-feed"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    shown = make_answered(
        ward["le_loi"], by=official, text="Đề nghị thêm biển chỉ dẫn ở đầu đường hoa."
    )
    response = client.get(reverse("public:opendata-feed"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    entries = feed_entries(client)
    ids = [e["id"] for e in entries]
    assert f"tag:testserver,2026:feedback/{shown.pk}/answered/{shown.answer.pk}" in ids
    assert not [i for i in ids if f"feedback/{hidden.pk}/" in i]
    entry = next(e for e in entries if f"feedback/{shown.pk}/" in e["id"])
    assert shown.code in entry["title"]
    assert entry["link"].endswith(f"/gop-y/?model={ward['le_loi'].slug}")
