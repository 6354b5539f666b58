"""The ledger's running totals (LedgerMonth, ContributorYear) kept by database triggers, and
the report's money figures they serve.

Trigger tests end by comparing the tables with the ledger itself
(``ledger_totals.differences``). The report tests check its money figures against sums done
by hand over the known dataset (tests/reports/dataset.py) for every kind of period and filter:
whole months without a filter read the totals, the others the entries (the reason is in
campaigns/reports.py); both must give the hand-computed figures.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from campaigns import append_only, ledger_totals, reports, workflow
from campaigns.models import (
    ContributionKind,
    ContributorKind,
    ContributorYear,
    Donation,
    LedgerMonth,
)
from registry import workflow as registry_workflow
from registry.choices import InitiativeStatus
from registry.models import Initiative
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense
from tests.reports import dataset

pytestmark = pytest.mark.django_db


def assert_totals_match_ledger():
    """The tables hold exactly what the ledger adds up to (the triggers missed nothing)."""
    assert ledger_totals.differences() == []


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


def test_which_periods_and_filters_read_the_totals():
    field = factories.make_field("Kinh tế")
    assert not reports.uses_month_totals(
        reports.ReportPeriod.for_range(dt.date(2023, 1, 2), dt.date(2023, 12, 31))
    )
    assert not reports.uses_month_totals(reports.ReportPeriod.for_year(2023, field=field))
    assert reports.uses_month_totals(reports.ReportPeriod.for_half_year(2023, 2))
    assert not reports.uses_year_totals(reports.ReportPeriod.for_half_year(2023, 2))
    assert reports.uses_year_totals(reports.ReportPeriod.for_year(2023))


# --- the report's money figures, against sums done by hand ----------------------------------------


def money_figures(period, audience=reports.WORKSPACE):
    """(received by kind, by month, contributors by kind, money) of ``period``."""
    contributions = reports.contributions(period, audience)
    received = contributions["received"]
    kinds = ("total", "cash", "in_kind", "labour", "land", "labour_days", "land_m2")
    people = ("contributors", "households", "businesses", "organisations")
    return (
        {key: received[key] for key in kinds},
        {row["label"]: row["total"] for row in contributions["by_month"] if row["total"]},
        {key: received[key] for key in people},
        reports.money(period, audience),
    )


def received(total, cash=0, in_kind=0, labour=0, land=0, labour_days=0, land_m2=0):
    return {
        "total": total,
        "cash": cash,
        "in_kind": in_kind,
        "labour": labour,
        "land": land,
        "labour_days": Decimal(labour_days).quantize(Decimal("0.01")),
        "land_m2": Decimal(land_m2).quantize(Decimal("0.01")),
    }


def people(contributors, households=0, businesses=0, organisations=0):
    return {
        "contributors": contributors,
        "households": households,
        "businesses": businesses,
        "organisations": organisations,
    }


def spent(cash_received, spent, expenses, balance_at_end, *, has_expenses=True):
    return {
        "cash_received": cash_received,
        "spent": spent,
        "expenses": expenses,
        "balance_in_period": cash_received - spent,
        "balance_at_end": balance_at_end,
        "has_expenses": has_expenses,
    }


def test_a_whole_year_without_filters_from_the_totals():
    dataset.build()
    year = reports.ReportPeriod.for_year(2023)
    assert reports.uses_month_totals(year) and reports.uses_year_totals(year)
    assert money_figures(year) == (
        # M1: 5 cash + 20 in kind + (1 − 1 reversed); M2: 1.5 labour + 30 land; M3: 4 cash
        received(60_500_000, 9_000_000, 20_000_000, 1_500_000, 30_000_000, 10, 50),
        {
            "03/2023": 25_000_000,
            "05/2023": 4_000_000,
            "06/2023": 1_500_000,
            "12/2023": 30_000_000,
        },
        # h1, h2 (M3), the business, the women's union; M4 is a draft
        people(4, households=2, businesses=1, organisations=1),
        # spent 8 + (2 − 2); until the end also 1 (2022): 9 in, 9 out
        spent(9_000_000, 8_000_000, 1, 0),
    )
    assert money_figures(year, reports.PUBLIC) == (
        received(56_500_000, 5_000_000, 20_000_000, 1_500_000, 30_000_000, 10, 50),
        {"03/2023": 25_000_000, "06/2023": 1_500_000, "12/2023": 30_000_000},
        # h2's only public entry was reversed
        people(3, households=1, businesses=1, organisations=1),
        spent(5_000_000, 8_000_000, 1, -4_000_000),
    )


def test_a_field_filter_from_the_entries():
    data = dataset.build()
    year = reports.ReportPeriod.for_year(2023, field=data["society"])
    assert not reports.uses_month_totals(year)
    # M1 (a sub-field of it) and M3 (the field itself)
    assert money_figures(year) == (
        received(29_000_000, 9_000_000, 20_000_000),
        {"03/2023": 25_000_000, "05/2023": 4_000_000},
        people(3, households=2, businesses=1),
        spent(9_000_000, 8_000_000, 1, 0),
    )
    assert money_figures(year, reports.PUBLIC) == (
        received(25_000_000, 5_000_000, 20_000_000),
        {"03/2023": 25_000_000},
        people(2, households=1, businesses=1),
        spent(5_000_000, 8_000_000, 1, -4_000_000),
    )


def test_a_ward_and_a_lead_organisation_filter_from_the_entries():
    data = dataset.build()
    ward = reports.ReportPeriod.for_year(2023, admin_unit=data["new_ward"])
    # M3 only (M4 is a draft); no expense on record there
    assert money_figures(ward) == (
        received(4_000_000, 4_000_000),
        {"05/2023": 4_000_000},
        people(1, households=1),
        spent(4_000_000, 0, 0, 4_000_000, has_expenses=False),
    )
    farmers = reports.ReportPeriod.for_year(2023, lead_organization=data["farmers"])
    assert money_figures(farmers, reports.PUBLIC) == (
        received(31_500_000, 0, 0, 1_500_000, 30_000_000, 10, 50),
        {"06/2023": 1_500_000, "12/2023": 30_000_000},
        people(2, businesses=1, organisations=1),
        spent(0, 0, 0, 0, has_expenses=False),
    )


def test_periods_off_month_boundaries_from_the_entries_and_whole_months_from_the_totals():
    dataset.build()
    days = reports.ReportPeriod.for_range(dt.date(2023, 3, 12), dt.date(2023, 6, 30))
    assert not reports.uses_month_totals(days)
    # Not h1's 5.000.000 of 10/03; the rest of March to June
    assert money_figures(days) == (
        received(25_500_000, 4_000_000, 20_000_000, 1_500_000, 0, 10),
        {"03/2023": 20_000_000, "05/2023": 4_000_000, "06/2023": 1_500_000},
        people(3, households=1, businesses=1, organisations=1),
        spent(4_000_000, 8_000_000, 1, 0),
    )
    months = reports.ReportPeriod.for_range(dt.date(2023, 3, 1), dt.date(2023, 6, 30))
    assert reports.uses_month_totals(months) and not reports.uses_year_totals(months)
    assert money_figures(months) == (
        received(30_500_000, 9_000_000, 20_000_000, 1_500_000, 0, 10),
        {"03/2023": 25_000_000, "05/2023": 4_000_000, "06/2023": 1_500_000},
        people(4, households=2, businesses=1, organisations=1),
        spent(9_000_000, 8_000_000, 1, 0),
    )
