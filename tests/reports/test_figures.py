"""Every figure of the 2023 report over the known dataset (tests/reports/dataset.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from campaigns import workflow
from campaigns.models import Donation
from campaigns.reports import PUBLIC, WORKSPACE, ReportPeriod, build_report, contributions
from tests.reports import dataset

pytestmark = pytest.mark.django_db

YEAR = ReportPeriod.for_year(2023)


@pytest.fixture
def data():
    return dataset.build()


def test_overview_counts_registered_models_alive_in_the_period(data):
    o = build_report(YEAR).overview
    assert (o["total"], o["models"], o["exemplars"], o["new"]) == (3, 2, 1, 2)
    assert [(row["key"], row["count"]) for row in o["by_status"]] == [
        ("registered", 1),
        ("implementing", 1),
        ("completed", 1),
        ("discontinued", 0),
    ]


def test_models_by_field_have_sub_fields_that_add_up(data):
    by_field = build_report(YEAR).by_field
    assert [(top["label"], top["count"]) for top in by_field] == [
        ("Kinh tế", 1),
        ("Văn hoá – xã hội", 2),
    ]
    assert by_field[0]["children"] == []
    assert [(c["label"], c["count"]) for c in by_field[1]["children"]] == [
        ("Bảo vệ môi trường", 1),
        ("Chưa chia lĩnh vực cụ thể", 1),
    ]


def test_models_by_area_ward_and_lead_organisation(data):
    report = build_report(YEAR)
    assert [(r["label"], r["count"]) for r in report.by_area] == [
        ("Khu phố 1", 2),
        ("Khu phố 2", 1),
        ("Chưa ghi khu dân cư", 1),
    ]
    assert [(r["label"], r["former"], r["count"]) for r in report.by_admin_unit] == [
        ("Sầm Sơn", False, 1),
        ("Trường Sơn", True, 2),
    ]
    assert [(r["label"], r["count"]) for r in report.by_lead_organization] == [
        ("Hội Nông dân", 1),
        ("Khối dân vận", 1),
        ("Chưa ghi tổ chức chủ trì", 1),
    ]


def test_evaluations_average_scores_out_of_100(data):
    e = build_report(YEAR).evaluations
    assert (e["models"], e["evaluations"], e["average"]) == (2, 3, Decimal("80.0"))
    assert [(r["code"], r["evaluations"], r["average"]) for r in e["per_model"]] == [
        ("R-01", 2, Decimal("85.0")),
        ("R-02", 1, Decimal("70.0")),
    ]


def test_recognitions_by_level_and_tier_count_decided_ones_only(data):
    r = build_report(YEAR).recognitions
    assert [(row["label"], row["recognised"], row["typical"]) for row in r["by_level"]] == [
        ("Đảng ủy phường", 0, 1),
        ("Ban Chỉ đạo phường", 1, 0),
        ("Cấp trên", 0, 0),
    ]
    assert (r["decisions"], r["recognised_models"], r["models"]) == (2, 2, 3)


def test_commendations_by_form_and_recipient_leave_out_revoked_drafts_and_next_year(data):
    k = build_report(YEAR).commendations
    assert [(row["count"], row["prize"]) for row in k["by_form"]] == [
        (1, 2_000_000),  # giấy khen of the chairman
        (1, 0),  # giấy khen of the party committee
        (1, 500_000),  # biểu dương
        (0, 0),
    ]
    assert [row["count"] for row in k["by_recipient"]] == [1, 1, 1, 0]
    assert (k["total"], k["prize"]) == (3, 2_500_000)


def test_contributions_net_reversals_and_exclude_cancelled_pledges(data):
    c = build_report(YEAR).contributions
    assert c["pledged"]["total"] == 26_500_000
    assert c["pledged"]["count"] == 3
    assert [(row["key"], row["pledged"], row["received"]) for row in c["by_kind"]] == [
        ("cash", 5_000_000, 9_000_000),  # 5 + (1 − 1 reversed) + 4 (M3)
        ("in_kind", 20_000_000, 20_000_000),
        ("labour", 1_500_000, 1_500_000),
        ("land", 0, 30_000_000),  # received on 31/12/2023: the last day is in
    ]
    received = c["received"]
    assert received["total"] == 60_500_000
    assert received["labour_days"] == Decimal("10")
    assert received["land_m2"] == Decimal("50")
    assert received["contributors"] == 4
    assert (received["households"], received["businesses"], received["organisations"]) == (
        2,
        1,
        1,
    )


def test_contributions_by_month(data):
    months = {row["label"]: row["total"] for row in build_report(YEAR).by_month}
    assert len(months) == 12
    assert months["03/2023"] == 25_000_000
    assert months["04/2023"] == 0  # the reversal nets out in the month of its original
    assert months["05/2023"] == 4_000_000
    assert months["06/2023"] == 1_500_000
    assert months["12/2023"] == 30_000_000
    assert sum(months.values()) == 60_500_000


def test_expenses_and_balance(data):
    m = build_report(YEAR).money
    assert m == {
        "cash_received": 9_000_000,
        "spent": 8_000_000,
        "expenses": 1,
        "balance_in_period": 1_000_000,
        "balance_at_end": 0,  # 9.000.000 in, minus 1.000.000 (2022) + 8.000.000 spent
        "has_expenses": True,
    }


def test_funnel_from_registered_to_recognised(data):
    assert [(row["key"], row["count"]) for row in build_report(YEAR).funnel] == [
        ("registered", 3),
        ("implementing", 2),
        ("evaluated", 2),
        ("recognised", 2),
    ]


def test_list_of_recognised_and_commended_models_with_decision_numbers(data):
    decisions = build_report(YEAR).decisions
    assert [(r["code"], r["tier"], r["decision_number"]) for r in decisions["recognised"]] == [
        ("R-01", "Tiêu biểu", "12-QĐ/ĐU"),
        ("R-02", "Được công nhận", dataset.UNPUBLISHED_RECOGNITION),
    ]
    assert [(r["recipient"], r["decision_number"]) for r in decisions["commended"]] == [
        (dataset.UNISSUED_RECIPIENT, dataset.UNISSUED_DECISION),
        ("Khối dân vận phường Trường Sơn", "7/QĐ-UBND"),
        (dataset.UNCONSENTED_NAME, "8/QĐ-UBND"),
    ]


def test_the_next_day_belongs_to_the_next_period(data):
    report = build_report(ReportPeriod.for_year(2024))
    # 7.000.000 received on 01/01/2024; the 2023 reversal stays with 2023.
    assert report.contributions["received"]["total"] == 7_000_000
    assert report.contributions["pledged"]["total"] == 9_000_000
    last_day = build_report(ReportPeriod.for_range(dt.date(2023, 12, 31), dt.date(2023, 12, 31)))
    assert last_day.contributions["received"]["total"] == 30_000_000
    assert last_day.contributions["received"]["land_m2"] == Decimal("50")


def test_half_year_and_round_periods(data):
    first_half = build_report(ReportPeriod.for_half_year(2023, 1))
    assert first_half.period.end == dt.date(2023, 6, 30)
    # 25.000.000 (March) + 0 (April, reversed) + 4.000.000 (May) + 1.500.000 (30/06: last day)
    assert first_half.contributions["received"]["total"] == 30_500_000
    assert first_half.overview["new"] == 1  # M1 started 01/02/2023
    by_round = build_report(ReportPeriod.for_round(data["round"]))
    assert by_round.recognitions["decisions"] == 2
    assert by_round.evaluations["evaluations"] == 3
    # The round's commendations only: the dataset's commendations have no round.
    assert by_round.commendations["total"] == 0


def test_filters_narrow_every_section(data):
    report = build_report(ReportPeriod.for_year(2023, field=data["society"]))
    assert report.overview["total"] == 2  # M1 (sub-field) and M3 (the field itself)
    assert report.contributions["received"]["total"] == 29_000_000  # M1 25 + M3 4
    report = build_report(ReportPeriod.for_year(2023, admin_unit=data["new_ward"]))
    assert report.overview["total"] == 1
    assert report.recognitions["decisions"] == 0
    report = build_report(ReportPeriod.for_year(2023, lead_organization=data["farmers"]))
    assert report.overview["total"] == 1
    assert report.contributions["received"]["total"] == 31_500_000
    assert report.commendations["total"] == 1


def test_public_figures_count_public_models_and_published_decisions_only(data):
    report = build_report(YEAR, PUBLIC)
    assert report.overview["total"] == 2
    assert report.recognitions["decisions"] == 1
    assert (report.recognitions["recognised_models"], report.recognitions["models"]) == (1, 2)
    assert (report.commendations["total"], report.commendations["prize"]) == (2, 2_500_000)
    # without M3's 4.000.000
    assert contributions(YEAR, PUBLIC)["received"]["total"] == 56_500_000
    # Each kind of 2023 has one contributor, none consenting: the public summary withholds
    # every sum of them (the cash total would be Hộ ông Nguyễn's 5.000.000 itself).
    assert report.contributions["received"]["total"] is None and report.withheld
    assert report.contributions["received"]["households"] == 1
    assert report.evaluations["per_model"] == []
    assert [r["recipient"] for r in report.decisions["commended"]] == [
        "Khối dân vận phường Trường Sơn",
        "Hộ gia đình",  # linked to a contributor who did not consent to be named
    ]
    assert build_report(YEAR, WORKSPACE).overview["total"] == 3


def test_a_limited_list_of_decisions_says_how_many_more_there_are(data):
    """A province decides thousands: pages show the first rows and count the rest."""
    full = build_report(YEAR).decisions
    limited = build_report(YEAR, decision_limit=1).decisions
    assert limited["recognised"] == full["recognised"][:1]
    assert limited["commended"] == full["commended"][:1]
    assert (limited["recognised_more"], limited["commended_more"]) == (1, 2)
    assert (full["recognised_more"], full["commended_more"]) == (0, 0)


def test_a_reversal_entered_in_a_later_year_corrects_its_originals_year(data, official):
    """The reversal is dated the day it is written, but counts in its original's period."""
    before_2023 = build_report(YEAR).contributions["received"]["total"]
    before_2024 = build_report(ReportPeriod.for_year(2024)).contributions["received"]
    original = (
        Donation.objects.filter(
            received_on__year=2023, reverses__isnull=True, reversal__isnull=True
        )
        .order_by("pk")
        .first()
    )
    workflow.donation_reverse(donation=original, by=official, reason="Ghi nhầm")
    assert build_report(YEAR).contributions["received"]["total"] == before_2023 - original.amount
    after_2024 = build_report(ReportPeriod.for_year(2024)).contributions["received"]
    assert after_2024 == before_2024
