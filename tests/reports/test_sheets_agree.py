"""A report's sheets add up: the model list sums to the contributions and money sheets, also
when receipts were recorded after a model's end date (a late payment)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from campaigns import reports, workflow
from campaigns.models import ContributionKind
from campaigns.reports import ReportPeriod
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge

pytestmark = pytest.mark.django_db


def _list_sums(period):
    pledged = received = spent = 0
    for row in reports.model_list(period):
        # (..., pledged, received, spent, feedback received, feedback answered)
        pledged += row[-5]
        received += row[-4]
        spent += row[-3]
    return pledged, received, spent


def test_the_model_list_adds_up_to_the_money_sheets_with_receipts_after_a_model_ended():
    ended = factories.make_initiative(
        "Mô hình đã kết thúc", started_on=dt.date(2023, 1, 1), ended_on=dt.date(2023, 6, 30)
    )
    running = factories.make_initiative("Mô hình đang làm", started_on=dt.date(2023, 1, 1))
    giver = make_contributor()
    late = dt.date(2024, 2, 1)
    make_donation(initiative=ended, contributor=giver, amount=3_000_000, received_on=late)
    make_expense(initiative=ended, amount=500_000, spent_on=late)
    make_pledge(initiative=ended, contributor=giver, value=1_000_000, pledged_on=late)
    make_donation(initiative=running, contributor=giver, amount=2_000_000, received_on=late)
    period = ReportPeriod.for_year(2024)

    contributions = reports.contributions(period)
    money = reports.money(period)
    assert _list_sums(period) == (
        contributions["pledged"]["total"],
        contributions["received"]["total"],
        money["spent"],
    )
    assert contributions["received"]["total"] == 5_000_000
    codes = {row[0] for row in reports.model_list(period)}
    assert ended.code in codes


def test_a_model_without_money_after_it_ended_stays_off_a_later_list():
    factories.make_initiative(
        "Mô hình đã kết thúc", started_on=dt.date(2023, 1, 1), ended_on=dt.date(2023, 6, 30)
    )
    assert list(reports.model_list(ReportPeriod.for_year(2024))) == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2022, 12, 31), "trước ngày mô hình bắt đầu (01/01/2023)"),
        (dt.date(2023, 7, 1), "sau ngày mô hình kết thúc (30/06/2023)"),
        (dt.date(2023, 3, 1), None),
    ],
)
def test_a_date_outside_the_models_dates_is_a_warning(day, expected):
    initiative = factories.make_initiative(
        started_on=dt.date(2023, 1, 1), ended_on=dt.date(2023, 6, 30)
    )
    warning = workflow.outside_model_dates(initiative, day)
    if expected is None:
        assert warning is None
    else:
        assert expected in warning


def test_the_workspace_records_a_receipt_after_the_end_and_warns(official_client):
    initiative = factories.make_initiative(
        started_on=dt.date(2023, 1, 1), ended_on=dt.date(2023, 6, 30)
    )
    giver = make_contributor()
    response = official_client.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        {
            "donation-contributor": str(giver.pk),
            "donation-kind": ContributionKind.CASH,
            "donation-amount": "1.000.000",
            "donation-received_on": "2024-02-01",
            "donation-receipt_number": "BN-LATE",
        },
    )
    assert response.status_code == 302
    assert initiative.donations.get().amount == 1_000_000
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("sau ngày mô hình kết thúc (30/06/2023)" in t for t in texts)
