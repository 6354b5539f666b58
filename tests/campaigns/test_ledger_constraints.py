"""The ledger's rules hold in the database itself: bad rows are inserted directly and refused."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from campaigns.models import AppendOnlyError, ContributionKind, Donation, Expense, Pledge
from tests import factories
from tests.campaigns.factories import (
    make_contributor,
    make_donation,
    make_expense,
    make_pledge,
)
from tests.db_errors import unique_column, unique_constraint

pytestmark = pytest.mark.django_db


# The reversal trigger (migrations 0001 and 0007) raises this text on both databases.
REVERSAL_TRIGGER = "ledger: a reversal must negate a normal entry of the same initiative"


def _refused(rule: str, **fields):
    """The donation ``fields`` (built beforehand) are refused by ``rule``, and nothing is saved."""
    before = Donation.objects.count()
    with pytest.raises(IntegrityError, match=rule), transaction.atomic():
        Donation.objects.create(**fields)
    assert Donation.objects.count() == before


def _donation_fields(**overrides):
    fields = {
        "initiative": factories.make_initiative(),
        "contributor": make_contributor(),
        "kind": ContributionKind.CASH,
        "amount": 1_000_000,
        "received_on": date(2023, 4, 1),
        "counted_on": date(2023, 4, 1),
        "receipt_number": "BN-X",
    }
    fields.update(overrides)
    return fields


@pytest.mark.parametrize("amount", [0, -5_000])
def test_a_normal_donation_must_be_positive(amount):
    _refused("donation_sign_matches_reversal", **_donation_fields(amount=amount))


def test_a_normal_donation_needs_a_receipt_number():
    _refused("donation_sign_matches_reversal", **_donation_fields(receipt_number=None))
    _refused("donation_sign_matches_reversal", **_donation_fields(receipt_number=""))


def test_a_negative_entry_without_the_entry_it_reverses_is_refused():
    _refused(
        "donation_sign_matches_reversal",
        **_donation_fields(amount=-1_000_000, receipt_number=None, reason="nhầm"),
    )


def test_a_reversal_must_be_negative_and_give_a_reason():
    original = make_donation(amount=1_000_000)
    base = {
        "initiative": original.initiative,
        "contributor": original.contributor,
        "kind": original.kind,
        "received_on": date(2023, 4, 2),
        "counted_on": original.received_on,
        "receipt_number": None,
        "reverses": original,
    }
    _refused(REVERSAL_TRIGGER, **base, amount=1_000_000, reason="nhầm")
    _refused("donation_sign_matches_reversal", **base, amount=-1_000_000, reason="")


def test_a_reversal_must_negate_the_whole_original_amount():
    original = make_donation(amount=1_000_000)
    _refused(
        REVERSAL_TRIGGER,
        initiative=original.initiative,
        contributor=original.contributor,
        kind=original.kind,
        received_on=date(2023, 4, 2),
        counted_on=original.received_on,
        reverses=original,
        amount=-999_000,
        reason="nhầm",
    )


def test_an_entry_can_be_reversed_only_once_in_the_database():
    original = make_donation(amount=1_000_000)
    fields = {
        "initiative": original.initiative,
        "contributor": original.contributor,
        "kind": original.kind,
        "received_on": date(2023, 4, 2),
        "counted_on": original.received_on,
        "reverses": original,
        "amount": -1_000_000,
        "reason": "nhầm",
    }
    Donation.objects.create(**fields)
    _refused(unique_column("campaigns_donation", "reverses_id"), **fields)
    assert Donation.objects.filter(reverses=original).count() == 1


def test_a_reversal_cannot_be_reversed_in_the_database():
    original = make_donation(amount=1_000_000)
    reversal = Donation.objects.create(
        initiative=original.initiative,
        contributor=original.contributor,
        kind=original.kind,
        received_on=date(2023, 4, 2),
        counted_on=original.received_on,
        reverses=original,
        amount=-1_000_000,
        reason="nhầm",
    )
    _refused(
        REVERSAL_TRIGGER,
        initiative=original.initiative,
        contributor=original.contributor,
        kind=original.kind,
        received_on=date(2023, 4, 3),
        counted_on=original.received_on,
        reverses=reversal,
        amount=1_000_000,
        reason="đảo lại",
    )
    _refused(
        REVERSAL_TRIGGER,
        initiative=original.initiative,
        contributor=original.contributor,
        kind=original.kind,
        received_on=date(2023, 4, 3),
        counted_on=original.received_on,
        reverses=reversal,
        amount=-1_000_000,
        reason="đảo lại",
    )


def test_a_reversal_stays_within_the_initiative_of_the_original():
    original = make_donation(amount=1_000_000)
    _refused(
        REVERSAL_TRIGGER,
        initiative=factories.make_initiative(),
        contributor=original.contributor,
        kind=original.kind,
        received_on=date(2023, 4, 2),
        counted_on=original.received_on,
        reverses=original,
        amount=-1_000_000,
        reason="nhầm",
    )


def test_receipt_numbers_are_unique_in_the_database():
    make_donation(receipt_number="BN-001")
    _refused(
        unique_constraint(
            "campaigns_donation", "receipt_number", "donation_receipt_number_unique_unless_reversed"
        ),
        **_donation_fields(receipt_number="BN-001"),
    )


QUANTITY = "donation_quantity_for_labour_and_land"


def test_labour_and_land_donations_carry_a_positive_quantity():
    _refused(QUANTITY, **_donation_fields(kind=ContributionKind.LABOUR, quantity=None))
    _refused(QUANTITY, **_donation_fields(kind=ContributionKind.LAND, quantity=-3))
    make_donation(kind=ContributionKind.LAND, quantity=12)


def _expense_refused(rule: str, expense: Expense):
    """The unsaved ``expense`` is refused by ``rule``, and nothing is saved."""
    before = Expense.objects.count()
    with pytest.raises(IntegrityError, match=rule), transaction.atomic():
        expense.save()
    assert Expense.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "rule"),
    [
        ({"amount": 0, "voucher_number": "PC-2"}, "expense_sign_matches_reversal"),
        ({"amount": -10, "voucher_number": None}, "expense_sign_matches_reversal"),
        (
            {"amount": 10, "voucher_number": "PC-1"},
            unique_constraint(
                "campaigns_expense",
                "voucher_number",
                "expense_voucher_number_unique_unless_reversed",
            ),
        ),
        (
            {"amount": 10, "voucher_number": "PC-3", "description": ""},
            "expense_description_not_empty",
        ),
    ],
    ids=["zero", "negative_without_reversal", "duplicate_voucher", "empty_description"],
)
def test_expenses_follow_the_same_rules(fields, rule):
    initiative = factories.make_initiative()
    make_expense(initiative=initiative, voucher_number="PC-1")
    expense = Expense(
        initiative=initiative,
        spent_on=date(2023, 4, 5),
        counted_on=date(2023, 4, 5),
        **{"description": "Mua chậu", **fields},
    )
    _expense_refused(rule, expense)


def test_an_expense_reversal_cannot_be_reversed_in_the_database():
    original = make_expense(amount=200_000)
    reversal = Expense.objects.create(
        initiative=original.initiative,
        description=original.description,
        spent_on=date(2023, 4, 6),
        counted_on=original.spent_on,
        reverses=original,
        amount=-200_000,
        reason="nhầm",
    )
    _expense_refused(
        REVERSAL_TRIGGER,
        Expense(
            initiative=original.initiative,
            description=original.description,
            spent_on=date(2023, 4, 7),
            counted_on=original.spent_on,
            reverses=reversal,
            amount=200_000,
            reason="đảo lại",
        ),
    )


def test_a_pledge_must_have_a_positive_value():
    valid = make_pledge(value=1)
    pledge = Pledge(
        initiative=valid.initiative,
        contributor=valid.contributor,
        kind=valid.kind,
        pledged_on=valid.pledged_on,
        value=0,
    )
    with pytest.raises(IntegrityError, match="pledge_value_positive"), transaction.atomic():
        pledge.save()
    assert list(Pledge.objects.all()) == [valid]


def test_ledger_querysets_refuse_update_and_delete():
    donation = make_donation(amount=1_000_000)
    expense = make_expense(amount=1_000)
    with pytest.raises(AppendOnlyError):
        Donation.objects.filter(pk=donation.pk).update(amount=2_000_000)
    with pytest.raises(AppendOnlyError):
        Donation.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Expense.objects.filter(pk=expense.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        Expense.objects.all().delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():
        Donation.objects.bulk_update([donation], ["amount"])
    donation.refresh_from_db()
    assert donation.amount == 1_000_000
    assert Expense.objects.count() == 1


def test_a_saved_entry_cannot_be_saved_again_or_deleted():
    donation = make_donation(amount=1_000_000)
    donation.amount = 10
    with pytest.raises(AppendOnlyError):
        donation.save()
    with pytest.raises(AppendOnlyError):
        donation.delete()
    assert Donation.objects.get(pk=donation.pk).amount == 1_000_000


def test_a_contributor_with_ledger_entries_cannot_be_deleted():
    contributor = make_contributor()
    make_donation(contributor=contributor)
    with pytest.raises(ProtectedError):
        contributor.delete()


def test_an_initiative_with_ledger_entries_cannot_be_deleted():
    for make in (make_donation, make_expense, make_pledge):
        initiative = factories.make_initiative()
        make(initiative=initiative)
        with pytest.raises(ProtectedError):
            initiative.delete()
        assert type(initiative).objects.filter(pk=initiative.pk).exists()


def test_a_normal_entry_counts_on_its_own_date_in_the_database():
    _refused("donation_counted_on_own_date", **_donation_fields(counted_on=date(2023, 5, 1)))
    _expense_refused(
        "expense_counted_on_own_date",
        Expense(
            initiative=factories.make_initiative(),
            description="Mua chậu",
            amount=10,
            spent_on=date(2023, 4, 5),
            counted_on=date(2023, 4, 6),
            voucher_number="PC-9",
        ),
    )


def test_a_reversal_counts_on_its_originals_date_in_the_database():
    """The reports find a reversal's period by ``counted_on`` alone (migration 0007)."""
    original = make_donation(amount=1_000_000, received_on=date(2023, 4, 1))
    fields = {
        "initiative": original.initiative,
        "contributor": original.contributor,
        "kind": original.kind,
        "received_on": date(2024, 1, 9),
        "reverses": original,
        "amount": -1_000_000,
        "reason": "nhầm",
    }
    _refused(REVERSAL_TRIGGER, **fields, counted_on=date(2024, 1, 9))
    reversal = Donation.objects.create(**fields, counted_on=date(2023, 4, 1))
    assert reversal.counted_on == original.received_on
    expense = make_expense(amount=200_000, spent_on=date(2023, 4, 5))
    _expense_refused(
        REVERSAL_TRIGGER,
        Expense(
            initiative=expense.initiative,
            description=expense.description,
            spent_on=date(2024, 1, 9),
            counted_on=date(2024, 1, 9),
            reverses=expense,
            amount=-200_000,
            reason="nhầm",
        ),
    )
