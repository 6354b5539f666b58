"""Recording and reversing ledger entries through campaigns.workflow, and the totals after."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from campaigns import workflow
from campaigns.models import ContributionKind, ContributorKind, Donation, Expense
from campaigns.queries import initiative_ledger_totals
from registry.workflow import WorkflowError
from tests import factories
from tests.campaigns.factories import (
    make_contributor,
    make_donation,
    make_expense,
    make_pledge,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return factories.make_initiative("Đường hoa")


@pytest.fixture
def contributor():
    return make_contributor("Hộ ông Nguyễn Văn A")


def _record(official, initiative, contributor, **overrides):
    fields = {
        "initiative": initiative,
        "contributor": contributor,
        "kind": ContributionKind.CASH,
        "amount": 2_000_000,
        "received_on": date(2023, 4, 1),
        "receipt_number": "BN-100",
        "by": official,
    }
    fields.update(overrides)
    return workflow.donation_record(**fields)


def test_an_official_records_a_donation(official, initiative, contributor):
    donation = _record(official, initiative, contributor, description="Tiền mua chậu")
    donation.refresh_from_db()
    assert donation.amount == 2_000_000
    assert donation.receipt_number == "BN-100"
    assert donation.recorded_by == official
    assert donation.reverses is None


def test_recording_a_donation_needs_the_permission(committee_member, initiative, contributor):
    with pytest.raises(WorkflowError) as exc:
        _record(committee_member, initiative, contributor)
    assert exc.value.code == "permission"
    assert not Donation.objects.exists()


@pytest.mark.parametrize("amount", [0, -1, None])
def test_zero_negative_or_missing_amounts_are_refused(official, initiative, contributor, amount):
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, amount=amount)
    assert exc.value.field == "amount"
    assert not Donation.objects.exists()


def test_an_amount_with_three_extra_zeros_is_caught_by_the_ceiling(
    official, initiative, contributor, settings
):
    settings.LEDGER_MAX_AMOUNT = 5_000_000_000
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, amount=310_000_000_000)
    assert exc.value.code == "amount_above_ceiling"
    assert "310.000.000.000" in str(exc.value)
    assert "5.000.000.000" in str(exc.value)
    # The ceiling itself is allowed.
    _record(official, initiative, contributor, amount=5_000_000_000)


def test_a_date_in_the_future_is_refused(official, initiative, contributor):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, received_on=tomorrow)
    assert exc.value.code == "date_in_future"


def test_a_duplicate_receipt_number_is_refused_with_a_clear_error(
    official, initiative, contributor
):
    _record(official, initiative, contributor, receipt_number="BN-7")
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, receipt_number=" BN-7 ")
    assert exc.value.code == "duplicate_number"
    assert "BN-7" in str(exc.value)
    assert Donation.objects.count() == 1


def test_a_donation_against_a_cancelled_pledge_is_refused(official, initiative, contributor):
    pledge = make_pledge(initiative=initiative, contributor=contributor)
    workflow.pledge_cancel(pledge=pledge, by=official, reason="Gia đình rút cam kết")
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, pledge=pledge)
    assert exc.value.code == "pledge_cancelled"


def test_a_donation_against_someone_elses_pledge_is_refused(official, initiative, contributor):
    pledge = make_pledge(initiative=initiative)
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, pledge=pledge)
    assert exc.value.code == "pledge_mismatch"


def test_labour_days_need_a_quantity(official, initiative, contributor):
    with pytest.raises(workflow.LedgerEntryError) as exc:
        _record(official, initiative, contributor, kind=ContributionKind.LABOUR)
    assert exc.value.code == "quantity_required"


def test_reversing_a_donation_writes_its_negative_twin(official, initiative, contributor):
    original = _record(
        official, initiative, contributor, kind=ContributionKind.LABOUR, quantity=Decimal("3")
    )
    reversal = workflow.donation_reverse(donation=original, by=official, reason="Ghi nhầm hộ")
    reversal.refresh_from_db()
    original.refresh_from_db()
    assert reversal.reverses == original
    assert reversal.amount == -2_000_000
    assert reversal.quantity == Decimal("-3")
    assert reversal.contributor == contributor
    assert reversal.reason == "Ghi nhầm hộ"
    assert reversal.recorded_by == official
    assert reversal.received_on == timezone.localdate()
    # ... but it counts in the period of the entry it corrects.
    assert original.received_on != reversal.received_on
    assert original.counted_on == original.received_on
    assert reversal.counted_on == original.received_on
    assert reversal.receipt_number is None
    # The original is untouched.
    assert original.amount == 2_000_000
    assert original.receipt_number == "BN-100"
    assert original.is_reversed and reversal.is_reversal


def test_a_reversal_needs_a_reason(official, initiative, contributor):
    original = _record(official, initiative, contributor)
    with pytest.raises(WorkflowError) as exc:
        workflow.donation_reverse(donation=original, by=official, reason="  ")
    assert exc.value.code == "reason_required"
    assert Donation.objects.count() == 1


def test_a_donation_is_reversed_at_most_once(official, initiative, contributor):
    original = _record(official, initiative, contributor)
    workflow.donation_reverse(donation=original, by=official, reason="nhầm")
    with pytest.raises(WorkflowError) as exc:
        workflow.donation_reverse(donation=original, by=official, reason="nhầm lần nữa")
    assert exc.value.code == "already_reversed"
    assert Donation.objects.filter(reverses=original).count() == 1


def test_a_reversal_cannot_be_reversed(official, initiative, contributor):
    original = _record(official, initiative, contributor)
    reversal = workflow.donation_reverse(donation=original, by=official, reason="nhầm")
    with pytest.raises(WorkflowError) as exc:
        workflow.donation_reverse(donation=reversal, by=official, reason="đảo lại")
    assert exc.value.code == "reversal_of_reversal"
    assert Donation.objects.count() == 2


def test_reversing_needs_the_permission(committee_member, official, initiative, contributor):
    original = _record(official, initiative, contributor)
    with pytest.raises(WorkflowError) as exc:
        workflow.donation_reverse(donation=original, by=committee_member, reason="nhầm")
    assert exc.value.code == "permission"
    assert Donation.objects.count() == 1


def test_expenses_are_recorded_and_reversed_the_same_way(official, initiative):
    expense = workflow.expense_record(
        initiative=initiative,
        description="Mua 10 chậu hoa giấy",
        amount=10_000_000,
        spent_on=date(2023, 4, 5),
        voucher_number="PC-01",
        by=official,
    )
    with pytest.raises(workflow.LedgerEntryError) as exc:
        workflow.expense_record(
            initiative=initiative,
            description="Lặp số chứng từ",
            amount=1,
            spent_on=date(2023, 4, 5),
            voucher_number="PC-01",
            by=official,
        )
    assert exc.value.code == "duplicate_number"
    reversal = workflow.expense_reverse(expense=expense, by=official, reason="Chứng từ sai")
    assert reversal.amount == -10_000_000
    assert expense.counted_on == date(2023, 4, 5)
    assert reversal.spent_on == timezone.localdate()
    assert reversal.counted_on == date(2023, 4, 5)
    with pytest.raises(WorkflowError) as exc:
        workflow.expense_reverse(expense=expense, by=official, reason="lần hai")
    assert exc.value.code == "already_reversed"
    with pytest.raises(WorkflowError) as exc:
        workflow.expense_reverse(expense=reversal, by=official, reason="đảo lại")
    assert exc.value.code == "reversal_of_reversal"
    assert Expense.objects.count() == 2


def test_totals_split_cash_valued_labour_and_land_and_net_out_reversals(
    official, initiative, django_assert_num_queries
):
    household = make_contributor(kind=ContributorKind.HOUSEHOLD)
    business = make_contributor(kind=ContributorKind.BUSINESS)
    withdrawn = make_contributor(kind=ContributorKind.BUSINESS)
    make_donation(initiative=initiative, contributor=household, amount=3_000_000)
    make_donation(
        initiative=initiative,
        contributor=household,
        kind=ContributionKind.LABOUR,
        quantity=Decimal("4"),
        amount=1_200_000,
    )
    make_donation(
        initiative=initiative,
        contributor=business,
        kind=ContributionKind.IN_KIND,
        quantity=10,
        unit="chậu",
        amount=10_000_000,
    )
    make_donation(
        initiative=initiative,
        contributor=business,
        kind=ContributionKind.LAND,
        quantity=Decimal("25.5"),
        amount=50_000_000,
    )
    mistaken = make_donation(initiative=initiative, contributor=withdrawn, amount=7_000_000)
    workflow.donation_reverse(donation=mistaken, by=official, reason="Ghi nhầm mô hình")
    make_pledge(initiative=initiative, contributor=household, value=5_000_000)
    cancelled = make_pledge(initiative=initiative, contributor=business, value=9_000_000)
    workflow.pledge_cancel(pledge=cancelled, by=official, reason="rút")
    make_expense(initiative=initiative, amount=1_000_000)
    wrong_expense = make_expense(initiative=initiative, amount=400_000)
    workflow.expense_reverse(expense=wrong_expense, by=official, reason="trùng")
    make_donation(amount=99_000_000)  # another initiative: not counted

    with django_assert_num_queries(1):
        totals = initiative_ledger_totals(initiative)

    assert totals["pledged"] == 5_000_000
    assert totals["received_cash"] == 3_000_000
    assert totals["received_valued"] == 61_200_000
    assert totals["received"] == 64_200_000
    assert totals["labour_days"] == Decimal("4")
    assert totals["land_m2"] == Decimal("25.5")
    assert totals["spent"] == 1_000_000
    assert totals["balance"] == 2_000_000
    assert totals["donors"] == 2
    assert totals["households"] == 1
    assert totals["businesses"] == 1


def test_totals_of_an_initiative_without_entries_are_zero(initiative):
    totals = initiative_ledger_totals(initiative)
    assert totals["received"] == totals["spent"] == totals["pledged"] == totals["donors"] == 0
    assert totals["labour_days"] == 0


def test_ledger_entries_name_their_amount_as_the_pages_print_it():
    """An entry's name (admin lists, history, choices) uses the site's one money format."""
    donation = make_donation(amount=310_000_000, receipt_number="BN-LELOI")
    expense = make_expense(amount=4_500_000, voucher_number="PC-LELOI")
    pledge = make_pledge(value=2_000_000)
    assert str(donation) == "BN-LELOI: 310.000.000\u00a0₫"
    assert str(expense) == "PC-LELOI: 4.500.000\u00a0₫"
    assert str(pledge).endswith(": 2.000.000\u00a0₫")
