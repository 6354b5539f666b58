"""The ledger's data migrations fill rows written before them (0007 counted_on, 0009 totals).

The database is migrated back to campaigns 0006, ledger rows are written with the historical
models of that state, then migrations 0007 and 0009 run over them. The expected figures are
computed here from the rows written, not by the project's SQL. The registry stays at its
latest migration meanwhile (no registry migration depends on campaigns), so its rows come
from the usual factories. The test ends on the latest schema with every trigger back.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection

from campaigns import ledger_totals
from campaigns.models import ContributorYear, LedgerMonth
from campaigns.models.totals import EXPENSE_KIND
from registry.choices import InitiativeStatus
from tests import factories
from tests.migrating import migrate, migrate_to_latest, trigger_names

BEFORE_COUNTED_ON = [("campaigns", "0006_report_permission_groups")]
COUNTED_ON = [("campaigns", "0007_ledger_counted_on")]
BEFORE_TOTALS = [("campaigns", "0008_dashboard_indexes")]
TOTALS = [("campaigns", "0009_ledger_totals")]


def _write_ledger_before_counted_on(apps):
    """Entries of three models (public, registered only, draft), reversals across a month and
    a year end; returns what each entry is, for the expected figures."""
    Contributor = apps.get_model("campaigns", "Contributor")
    Donation = apps.get_model("campaigns", "Donation")
    Expense = apps.get_model("campaigns", "Expense")
    public = factories.make_initiative(status=InitiativeStatus.IMPLEMENTING, published=True)
    registered = factories.make_initiative(status=InitiativeStatus.REGISTERED, published=False)
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    household = Contributor.objects.create(kind="household", name="Hộ ông Nguyễn Văn An")
    business = Contributor.objects.create(kind="business", name="Cửa hàng Minh Phát")

    def donation(initiative, contributor, amount, on, kind="cash", quantity=None, **extra):
        return Donation.objects.create(
            initiative_id=initiative.pk,
            contributor=contributor,
            amount=amount,
            kind=kind,
            quantity=quantity,
            received_on=on,
            **extra,
        )

    cash = donation(public, household, 1_000_000, dt.date(2023, 1, 15), receipt_number="BN-1")
    labour = donation(
        public, business, 600_000, dt.date(2023, 2, 10), "labour", Decimal(3), receipt_number="BN-2"
    )
    # Reversed in March: counts in February, on the original's date.
    labour_back = donation(
        public,
        business,
        -600_000,
        dt.date(2023, 3, 5),
        "labour",
        Decimal(-3),
        reverses=labour,
        reason="Ghi nhầm",
    )
    late = donation(registered, household, 2_000_000, dt.date(2023, 12, 20), receipt_number="BN-3")
    # Reversed in the next year: counts in 2023.
    late_back = donation(
        registered,
        household,
        -2_000_000,
        dt.date(2024, 1, 10),
        reverses=late,
        reason="Trùng biên nhận",
    )
    kept = donation(registered, business, 700_000, dt.date(2024, 2, 1), receipt_number="BN-4")
    hidden = donation(draft, business, 5_000_000, dt.date(2023, 1, 20), receipt_number="BN-5")
    spent = Expense.objects.create(
        initiative_id=public.pk,
        amount=300_000,
        description="Mua chậu hoa giấy",
        spent_on=dt.date(2023, 1, 25),
        voucher_number="PC-1",
    )
    spent_back = Expense.objects.create(
        initiative_id=public.pk,
        amount=-300_000,
        description="Mua chậu hoa giấy",
        spent_on=dt.date(2023, 2, 2),
        reverses=spent,
        reason="Sai số tiền",
    )
    audience = {public.pk: (1, 1), registered.pk: (0, 1), draft.pk: (0, 0)}
    donations = [cash, labour, labour_back, late, late_back, kept, hidden]
    # model -> entry id -> the counted_on 0007 must give it
    expected_dates = {
        "donation": {
            cash.pk: cash.received_on,
            labour.pk: labour.received_on,
            labour_back.pk: labour.received_on,
            late.pk: late.received_on,
            late_back.pk: late.received_on,
            kept.pk: kept.received_on,
            hidden.pk: hidden.received_on,
        },
        "expense": {spent.pk: spent.spent_on, spent_back.pk: spent.spent_on},
    }
    return audience, donations, [spent, spent_back], expected_dates


def _expected_totals(audience, donations, expenses, dates):
    """LedgerMonth and ContributorYear as they must be, summed here from the rows written."""
    months = defaultdict(lambda: defaultdict(Decimal))
    years = defaultdict(lambda: defaultdict(int))
    entries = [
        (d.kind, d, d.quantity or 0, dates["donation"][d.pk], d.contributor_id) for d in donations
    ] + [(EXPENSE_KIND, e, 0, dates["expense"][e.pk], None) for e in expenses]
    for kind, entry, quantity, on, contributor_id in entries:
        standing = 1 if entry.reverses_id is None else -1
        for prefix, flag in zip(
            ("public", "registered"), audience[entry.initiative_id], strict=True
        ):
            row = months[(on.replace(day=1), kind)]
            row[f"{prefix}_amount"] += flag * entry.amount
            row[f"{prefix}_quantity"] += flag * quantity
            row[f"{prefix}_rows"] += flag
            row[f"{prefix}_standing"] += flag * standing
            if contributor_id is not None:
                years[(contributor_id, on.year)][f"{prefix}_net"] += flag * entry.amount
    return _non_zero(months), _non_zero(years)


def _non_zero(table):
    return {key: dict(row) for key, row in table.items() if any(row.values())}


def _month_rows():
    return _non_zero(
        {
            (row.month, row.kind): {c: getattr(row, c) for c in ledger_totals.MONTH_COLUMNS}
            for row in LedgerMonth.objects.all()
        }
    )


def _year_rows():
    return _non_zero(
        {
            (row.contributor_id, row.year): {c: getattr(row, c) for c in ledger_totals.YEAR_COLUMNS}
            for row in ContributorYear.objects.all()
        }
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ledger_migrations_fill_counted_on_and_the_totals_of_existing_entries():
    """0007 dates old entries (a reversal on its original's date); 0009 sums them up."""
    triggers_at_start = trigger_names()
    try:
        apps = migrate(BEFORE_COUNTED_ON)
        Donation = apps.get_model("campaigns", "Donation")
        assert "counted_on" not in {f.name for f in Donation._meta.get_fields()}
        audience, donations, expenses, dates = _write_ledger_before_counted_on(apps)

        apps = migrate(COUNTED_ON)
        for model, expected in dates.items():
            counted = dict(
                apps.get_model("campaigns", model).objects.values_list("pk", "counted_on")
            )
            assert counted == expected, model

        apps = migrate(BEFORE_TOTALS)
        # Written after 0007 (so with its date), before the totals exist.
        Contributor = apps.get_model("campaigns", "Contributor")
        Donation = apps.get_model("campaigns", "Donation")
        newcomer = Contributor.objects.create(kind="organisation", name="Hội Phụ nữ phường")
        donations.append(
            Donation.objects.create(
                initiative_id=donations[0].initiative_id,
                contributor=newcomer,
                amount=4_000_000,
                kind="land",
                quantity=Decimal("12.50"),
                received_on=dt.date(2024, 2, 29),
                counted_on=dt.date(2024, 2, 29),
                receipt_number="BN-6",
            )
        )
        dates["donation"][donations[-1].pk] = dt.date(2024, 2, 29)

        migrate(TOTALS)
        months, years = _expected_totals(audience, donations, expenses, dates)
        assert _month_rows() == months
        assert _year_rows() == years
        kinds = dict(ContributorYear.objects.values_list("contributor_id", "kind"))
        assert kinds[newcomer.pk] == "organisation"
        # Spot checks written out by hand: February 2023's labour was reversed (in March),
        # the 2023 registered-only gift was reversed in 2024.
        labour_feb = LedgerMonth.objects.get(month=dt.date(2023, 2, 1), kind="labour")
        assert (labour_feb.public_amount, labour_feb.public_rows) == (0, 2)
        assert labour_feb.public_standing == 0
        cash_dec = LedgerMonth.objects.get(month=dt.date(2023, 12, 1), kind="cash")
        assert (cash_dec.public_amount, cash_dec.registered_amount) == (0, 0)
        assert cash_dec.registered_rows == 2
        assert not LedgerMonth.objects.filter(month=dt.date(2024, 1, 1)).exists()
    finally:
        migrate_to_latest()
    assert trigger_names() == triggers_at_start
    expected = ledger_totals.TRIGGERS[connection.vendor]
    found = ledger_totals.installed()
    for table, names in expected.items():
        assert set(names) <= set(found.get(table, [])), table
