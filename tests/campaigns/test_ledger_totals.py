"""The ledger's running totals (LedgerMonth, ContributorYear) kept by database triggers.

Every test ends by comparing the tables with the ledger itself (``ledger_totals.differences``)
and the reports' two ways of computing a figure: from the totals, and from the entries.
"""

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from campaigns import append_only, ledger_totals, reports, workflow
from campaigns.models import (
    ContributionKind,
    ContributorKind,
    ContributorYear,
    Donation,
    LedgerMonth,
    ReviewRound,
)
from registry import workflow as registry_workflow
from registry.choices import InitiativeStatus
from registry.models import Initiative
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense

pytestmark = pytest.mark.django_db

AUDIENCES = (reports.PUBLIC, reports.WORKSPACE)


def periods():
    yield from (reports.ReportPeriod.for_year(year) for year in (2022, 2023, 2024))
    yield reports.ReportPeriod.for_half_year(2023, 1)
    yield reports.ReportPeriod.for_half_year(2023, 2)
    yield reports.ReportPeriod.for_range(dt.date(2023, 3, 1), dt.date(2023, 5, 31))
    yield reports.ReportPeriod.for_range(dt.date(2022, 1, 1), dt.date(2024, 12, 31))


def _years_from_entries(audience):
    """reports.years_with_data as it was computed before the totals: from the entries."""
    base = reports._initiative_base(audience)
    years = set()
    for queryset, column in (
        (base, "started_on"),
        (Donation.objects.filter(initiative__in=base), "counted_on"),
        (ReviewRound.objects.all(), "period_end"),
    ):
        span = queryset.aggregate(first=Min(column), last=Max(column))
        if span["first"]:
            years.update(range(span["first"].year, span["last"].year + 1))
    return sorted(years, reverse=True)


def assert_totals_match_ledger():
    assert ledger_totals.differences() == []
    for audience in AUDIENCES:
        assert reports.years_with_data(audience) == _years_from_entries(audience)
    for period in periods():
        assert reports.uses_month_totals(period)
        for audience in AUDIENCES:
            donations = reports._donations(period, audience)
            assert reports._received_from_totals(period, audience) == reports._received(
                period, donations
            ), (period, audience)
            assert reports._money_from_totals(period, audience) == reports._money_from_entries(
                period, audience
            ), (period, audience)
            if reports.uses_year_totals(period):
                assert reports._contributors_from_totals(
                    period, audience
                ) == reports._contributors_by_kind(donations), (period, audience)


@pytest.fixture
def official():
    return factories.make_official()


def test_the_triggers_are_installed():
    expected = ledger_totals.TRIGGERS[connection.vendor]
    found = ledger_totals.installed()
    for table, names in expected.items():
        assert set(names) <= set(found.get(table, [])), table


def test_a_donation_adds_to_its_month_and_its_contributors_year():
    model = factories.make_initiative()
    household = make_contributor()
    make_donation(
        initiative=model, contributor=household, amount=2_000_000, received_on=dt.date(2023, 4, 9)
    )
    make_donation(
        initiative=model,
        contributor=household,
        amount=500_000,
        kind=ContributionKind.LABOUR,
        quantity=3,
        received_on=dt.date(2023, 4, 30),
    )
    cash = LedgerMonth.objects.get(month=dt.date(2023, 4, 1), kind=ContributionKind.CASH)
    assert (cash.public_amount, cash.registered_amount, cash.public_rows) == (2_000_000,) * 2 + (1,)
    labour = LedgerMonth.objects.get(month=dt.date(2023, 4, 1), kind=ContributionKind.LABOUR)
    assert labour.public_quantity == 3
    year = ContributorYear.objects.get(contributor_id=household.pk, year=2023)
    assert (year.kind, year.public_net, year.registered_net) == (
        ContributorKind.HOUSEHOLD,
        2_500_000,
        2_500_000,
    )
    assert_totals_match_ledger()


def test_publishing_and_status_changes_move_a_models_sums(official):
    model = factories.make_initiative(published=False, status=InitiativeStatus.DRAFT)
    make_donation(initiative=model, amount=1_000_000, received_on=dt.date(2023, 2, 1))
    make_expense(initiative=model, amount=400_000, spent_on=dt.date(2023, 2, 3))
    row = LedgerMonth.objects.get(month=dt.date(2023, 2, 1), kind=ContributionKind.CASH)
    assert (row.public_amount, row.registered_amount) == (0, 0)
    Initiative.objects.filter(pk=model.pk).update(status=InitiativeStatus.IMPLEMENTING)
    row.refresh_from_db()
    assert (row.public_amount, row.registered_amount) == (0, 1_000_000)
    registry_workflow.initiative_set_published(initiative=model, by=official, published=True)
    row.refresh_from_db()
    assert (row.public_amount, row.registered_amount) == (1_000_000, 1_000_000)
    spent = LedgerMonth.objects.get(month=dt.date(2023, 2, 1), kind="expense")
    assert (spent.public_amount, spent.public_standing) == (400_000, 1)
    registry_workflow.initiative_set_published(initiative=model, by=official, published=False)
    row.refresh_from_db()
    assert (row.public_amount, row.registered_amount) == (0, 1_000_000)
    assert_totals_match_ledger()


def test_reversals_and_a_contributors_new_kind(official):
    model = factories.make_initiative()
    firm = make_contributor(kind=ContributorKind.HOUSEHOLD)
    original = make_donation(initiative=model, contributor=firm, received_on=dt.date(2023, 12, 31))
    workflow.donation_reverse(donation=original, by=official, reason="Ghi nhầm")
    expense = make_expense(initiative=model, spent_on=dt.date(2023, 12, 1))
    workflow.expense_reverse(expense=expense, by=official, reason="Ghi nhầm")
    year = ContributorYear.objects.get(contributor_id=firm.pk, year=2023)
    assert year.public_net == 0  # the reversal counts in 2023, like its original
    spent = LedgerMonth.objects.get(month=dt.date(2023, 12, 1), kind="expense")
    assert (spent.public_amount, spent.public_rows, spent.public_standing) == (0, 2, 0)
    firm.kind = ContributorKind.BUSINESS
    firm.save()
    assert ContributorYear.objects.get(contributor_id=firm.pk, year=2023).kind == "business"
    assert_totals_match_ledger()


def test_rows_changed_or_deleted_in_maintenance_are_followed():
    """Only maintenance may change or delete entries (append_only.py); the totals follow."""
    donation = make_donation(received_on=dt.date(2023, 5, 5))
    expense = make_expense(spent_on=dt.date(2023, 5, 6))
    with append_only.maintenance(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE campaigns_donation SET amount = 3000000, received_on = %s, counted_on = %s "
            "WHERE id = %s",
            [dt.date(2024, 1, 2), dt.date(2024, 1, 2), donation.pk],
        )
        cursor.execute("DELETE FROM campaigns_expense WHERE id = %s", [expense.pk])
    assert LedgerMonth.objects.get(month=dt.date(2024, 1, 1), kind="cash").public_amount == (
        3_000_000
    )
    assert LedgerMonth.objects.get(month=dt.date(2023, 5, 1), kind="cash").public_amount == 0
    assert LedgerMonth.objects.get(month=dt.date(2023, 5, 1), kind="expense").public_rows == 0
    assert_totals_match_ledger()


def test_a_random_ledger_gives_the_same_figures_both_ways(official):
    rng = random.Random(20261128)
    models = [
        factories.make_initiative(status=status, published=published)
        for status in InitiativeStatus.values
        for published in (True, False)
    ]
    people = [make_contributor(kind=kind) for kind in ContributorKind.values for _ in range(3)]
    donations, expenses = [], []
    for _ in range(120):
        kind = rng.choice(ContributionKind.values)
        quantity = (
            rng.randint(1, 40) if kind in (ContributionKind.LABOUR, ContributionKind.LAND) else None
        )
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        donations.append(
            make_donation(
                initiative=rng.choice(models),
                contributor=rng.choice(people),
                kind=kind,
                quantity=quantity,
                amount=rng.randrange(1, 50) * 100_000,
                received_on=day,
            )
        )
    for _ in range(30):
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(3 * 365))
        expenses.append(
            make_expense(
                initiative=rng.choice(models), amount=rng.randrange(1, 9) * 50_000, spent_on=day
            )  # fmt: skip
        )
    for donation in rng.sample(donations, 25):
        workflow.donation_reverse(donation=donation, by=official, reason="Ghi nhầm")
    for expense in rng.sample(expenses, 8):
        workflow.expense_reverse(expense=expense, by=official, reason="Ghi nhầm")
    assert_totals_match_ledger()
    # Models change status and publication; contributors change kind.
    for model in rng.sample(models, 6):
        Initiative.objects.filter(pk=model.pk).update(
            status=rng.choice(InitiativeStatus.values),
            published=rng.random() < 0.5,
            first_published_at=timezone.now(),
        )
    for person in rng.sample(people, 4):
        person.kind = rng.choice(ContributorKind.values)
        person.save(update_fields=["kind"])
    assert_totals_match_ledger()


def test_rebuild_command_checks_and_repairs():
    make_donation(received_on=dt.date(2023, 4, 1))
    call_command("rebuild_ledger_totals", "--check")
    LedgerMonth.objects.filter(kind="cash").update(public_amount=1)
    with pytest.raises(CommandError, match="differences"):
        call_command("rebuild_ledger_totals", "--check")
    call_command("rebuild_ledger_totals")
    call_command("rebuild_ledger_totals", "--check")
    assert ledger_totals.differences() == []


def test_an_entry_written_before_its_model_and_contributor_is_counted():
    """loaddata writes rows in file order (foreign keys are checked at commit): a donation may
    come before its model and its contributor."""
    donation = make_donation(
        initiative_id=990_001, contributor_id=990_002, received_on=dt.date(2023, 6, 1)
    )
    cash = LedgerMonth.objects.get(month=dt.date(2023, 6, 1), kind="cash")
    assert (cash.public_amount, cash.registered_amount) == (0, 0)
    factories.make_initiative(pk=990_001)
    make_contributor(pk=990_002, kind=ContributorKind.BUSINESS)
    cash.refresh_from_db()
    assert (cash.public_amount, cash.registered_amount) == (donation.amount,) * 2
    year = ContributorYear.objects.get(contributor_id=990_002, year=2023)
    assert (year.kind, year.public_net) == (ContributorKind.BUSINESS, donation.amount)
    assert_totals_match_ledger()


def test_the_demo_data_is_counted():
    call_command("load_demo", verbosity=0)
    assert Donation.objects.exists()
    assert ledger_totals.differences() == []


def test_reports_fall_back_to_the_entries_off_month_boundaries_or_with_filters():
    field = factories.make_field("Kinh tế")
    assert not reports.uses_month_totals(
        reports.ReportPeriod.for_range(dt.date(2023, 1, 2), dt.date(2023, 12, 31))
    )
    assert not reports.uses_month_totals(reports.ReportPeriod.for_year(2023, field=field))
    assert reports.uses_month_totals(reports.ReportPeriod.for_half_year(2023, 2))
    assert not reports.uses_year_totals(reports.ReportPeriod.for_half_year(2023, 2))
    assert reports.uses_year_totals(reports.ReportPeriod.for_year(2023))
