"""Ledger dates are bounded: not before 2000 (a database CHECK too), not after today in the ward."""

import datetime as dt
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaigns import workflow
from campaigns.forms import DonationForm, ExpenseForm, PledgeForm
from campaigns.models import ContributionKind, Donation, Expense, Pledge
from tests import factories
from tests.campaigns.factories import make_contributor

pytestmark = pytest.mark.django_db

YEAR_ONE = date(1, 1, 1)


@pytest.fixture
def initiative():
    return factories.make_initiative("Đường hoa")


@pytest.fixture
def contributor():
    return make_contributor("Hộ ông Nguyễn Văn A")


def test_the_database_refuses_a_donation_dated_year_one(initiative, contributor):
    with pytest.raises(IntegrityError, match="donation_date_from_2000"), transaction.atomic():
        Donation.objects.create(
            initiative=initiative,
            contributor=contributor,
            kind=ContributionKind.CASH,
            amount=1_000_000,
            received_on=YEAR_ONE,
            counted_on=YEAR_ONE,
            receipt_number="BN-1",
        )
    assert not Donation.objects.exists()


def test_the_database_refuses_an_expense_and_a_pledge_dated_before_2000(initiative, contributor):
    with pytest.raises(IntegrityError, match="expense_date_from_2000"), transaction.atomic():
        Expense.objects.create(
            initiative=initiative,
            description="Mua chậu",
            amount=1_000,
            spent_on=date(1999, 12, 31),
            counted_on=date(1999, 12, 31),
            voucher_number="PC-1",
        )
    with pytest.raises(IntegrityError, match="pledge_date_from_2000"), transaction.atomic():
        Pledge.objects.create(
            initiative=initiative,
            contributor=contributor,
            kind=ContributionKind.CASH,
            value=1_000,
            pledged_on=date(1999, 12, 31),
        )
    Expense.objects.create(
        initiative=initiative,
        description="Mua chậu",
        amount=1_000,
        spent_on=date(2000, 1, 1),
        counted_on=date(2000, 1, 1),
        voucher_number="PC-2",
    )


@pytest.mark.parametrize(
    ("action", "fields", "date_field"),
    [
        (
            "donation_record",
            {"kind": "cash", "amount": 1_000, "receipt_number": "BN-1"},
            "received_on",
        ),
        (
            "expense_record",
            {"description": "Mua chậu", "amount": 1_000, "voucher_number": "PC-1"},
            "spent_on",
        ),
        ("pledge_record", {"kind": "cash", "value": 1_000}, "pledged_on"),
    ],
)
def test_the_workflow_refuses_a_date_before_2000_and_one_after_today(
    official, initiative, contributor, action, fields, date_field
):
    if action != "expense_record":
        fields = {**fields, "contributor": contributor}
    for day, code in (
        (YEAR_ONE, "date_too_early"),
        (timezone.localdate() + dt.timedelta(days=1), "date_in_future"),
    ):
        with pytest.raises(workflow.LedgerEntryError) as caught:
            getattr(workflow, action)(
                initiative=initiative, by=official, **fields, **{date_field: day}
            )
        assert (caught.value.code, caught.value.field) == (code, date_field)
    assert not Donation.objects.exists() and not Expense.objects.exists()
    assert not Pledge.objects.exists()


def test_today_is_the_wards_today_not_utcs(official, initiative, contributor, monkeypatch):
    # 18:30 UTC on 1 March is already 2 March in Hồ Chí Minh City (UTC+7).
    moment = dt.datetime(2024, 3, 1, 18, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    donation = workflow.donation_record(
        initiative=initiative,
        contributor=contributor,
        kind="cash",
        amount=1_000,
        received_on=date(2024, 3, 2),
        receipt_number="BN-1",
        by=official,
    )
    assert donation.received_on == date(2024, 3, 2)
    with pytest.raises(workflow.LedgerEntryError, match="chưa tới"):
        workflow.expense_record(
            initiative=initiative,
            description="Mua chậu",
            amount=1_000,
            spent_on=date(2024, 3, 3),
            voucher_number="PC-1",
            by=official,
        )


def test_the_forms_offer_only_the_days_the_ledger_accepts(initiative):
    today = timezone.localdate().isoformat()
    for form in (PledgeForm(), DonationForm(initiative=initiative), ExpenseForm()):
        for name, field in form.fields.items():
            if name.endswith("_on"):
                assert field.widget.attrs["min"] == "2000-01-01", name
                if name != "due_on":
                    assert field.widget.attrs["max"] == today, name
    assert "max" not in PledgeForm().fields["due_on"].widget.attrs


def test_the_workspace_form_refuses_year_one_and_keeps_what_was_typed(
    official_client, initiative, contributor
):
    response = official_client.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        {
            "donation-contributor": str(contributor.pk),
            "donation-kind": "cash",
            "donation-amount": "2.000.000",
            "donation-received_on": "0001-01-01",
            "donation-receipt_number": "BN-0001",
        },
    )
    assert response.status_code == 200
    assert not Donation.objects.exists()
    errors = response.context["forms"]["donation"].errors["received_on"]
    assert "sổ chỉ ghi từ ngày 01/01/2000" in errors[0]
    html = response.content.decode()
    assert 'value="BN-0001"' in html and 'value="2.000.000"' in html


def test_the_admin_refuses_a_donation_dated_year_one(admin_client, initiative, contributor):
    response = admin_client.post(
        reverse("admin:campaigns_donation_add"),
        {
            "initiative": initiative.pk,
            "contributor": contributor.pk,
            "kind": "cash",
            "amount": "2.000.000",
            "received_on": "01/01/0001",
            "receipt_number": "BN-0001",
        },
    )
    assert response.status_code == 200
    assert not Donation.objects.exists()
    assert "sổ chỉ ghi từ ngày 01/01/2000" in response.content.decode()
