"""The database itself refuses to change or delete ledger entries (campaigns/append_only.py).

Raw SQL on purpose: the models refuse too, but these tests are about every other client.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from campaigns import append_only
from campaigns.models import Donation, Expense
from tests import factories
from tests.campaigns.factories import make_donation, make_expense

pytestmark = pytest.mark.django_db

REFUSED = "append-only; record a reversal instead"


def _raw(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def entries():
    return make_donation(amount=2_000_000), make_expense(amount=700_000)


@pytest.mark.parametrize("table", append_only.TABLES)
def test_a_raw_update_that_changes_an_entry_is_refused(entries, table):
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw(f"UPDATE {table} SET amount = amount + 1")
    assert [d.amount for d in Donation.objects.all()] == [2_000_000]
    assert [e.amount for e in Expense.objects.all()] == [700_000]


@pytest.mark.parametrize("table", append_only.TABLES)
def test_a_raw_delete_is_refused(entries, table):
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw(f"DELETE FROM {table}")
    assert Donation.objects.count() == 1 and Expense.objects.count() == 1


@pytest.mark.postgresql(reason="SQLite has no TRUNCATE")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("table", append_only.TABLES)
def test_a_truncate_is_refused(table):
    """Committed rows: PostgreSQL refuses TRUNCATE anyway while this transaction's checks wait."""
    make_donation(amount=2_000_000)
    make_expense(amount=700_000)
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw(f"TRUNCATE {table} CASCADE")
    assert Donation.objects.count() == 1 and Expense.objects.count() == 1


def test_an_update_that_writes_the_same_values_back_changes_nothing_and_passes(entries):
    """What loaddata does when the demo is loaded a second time."""
    donation, _ = entries
    _raw("UPDATE campaigns_donation SET amount = amount, receipt_number = receipt_number")
    assert Donation.objects.get().amount == donation.amount


def test_maintenance_lifts_the_guard_for_its_own_transaction_only(entries):
    donation, expense = entries
    with append_only.maintenance(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE campaigns_donation SET amount = 2500000 WHERE id = %s", [donation.id]
        )
        cursor.execute("DELETE FROM campaigns_expense WHERE id = %s", [expense.pk])
    assert Donation.objects.get().amount == 2_500_000
    assert not Expense.objects.exists()
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw("DELETE FROM campaigns_donation")


def test_maintenance_that_fails_leaves_the_guard_in_place(entries):
    with pytest.raises(ZeroDivisionError), append_only.maintenance():
        _raw("UPDATE campaigns_donation SET amount = 1")
        1 / 0  # noqa: B018 - the failure under test
    assert Donation.objects.get().amount == 2_000_000
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw("UPDATE campaigns_donation SET amount = 1")


def test_every_guard_trigger_is_installed():
    assert append_only.installed() == append_only.trigger_names(connection.vendor)


def test_rebuild_ledger_totals_reinstalls_a_dropped_guard(entries):
    append_only.uninstall()
    _raw("UPDATE campaigns_donation SET amount = 3")  # nothing stops it now
    call_command("rebuild_ledger_totals", verbosity=0)
    assert append_only.installed() == append_only.trigger_names(connection.vendor)
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw("UPDATE campaigns_donation SET amount = 4")


def test_a_user_who_recorded_entries_cannot_be_deleted():
    """Deleting them would rewrite their entries (SET NULL); deactivate the account instead."""
    clerk = factories.make_official("thuquy")
    make_donation(recorded_by=clerk)
    with pytest.raises(ProtectedError):
        clerk.delete()
    assert get_user_model().objects.filter(pk=clerk.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_ledger_as_maintenance():
    """`manage.py flush` and the test runner's flush between tests still work."""
    make_donation()
    make_expense()
    call_command("flush", interactive=False, verbosity=0)
    assert not Donation.objects.exists() and not Expense.objects.exists()
    make_donation()
    with pytest.raises(IntegrityError, match=REFUSED):
        _raw("DELETE FROM campaigns_donation")
