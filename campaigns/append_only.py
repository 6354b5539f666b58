"""The database's own guard on the ledger: donations and expenses are never changed or deleted.

The models refuse ``save()`` of an existing entry, ``delete()`` and bulk ``update()``; these
triggers make the database refuse the same for every other client (raw SQL, a script, a
database shell), on PostgreSQL and SQLite:

- ``UPDATE`` that changes a value: refused (an update that writes the same values back, as
  ``loaddata`` does when the demo is loaded a second time, changes nothing and passes);
- ``DELETE``: refused; ``TRUNCATE`` (PostgreSQL): refused.

A correction is a reversal entry, written by the workflow. The one way around the guard is
**maintenance**, for an operator who must repair or empty the database (``manage.py flush``,
a restore over existing rows, a correction approved outside the application), always inside
one transaction, so that it ends with that transaction whatever happens:

- PostgreSQL: ``SET LOCAL wardmodels.ledger_maintenance = 'on'``;
- SQLite: a row in ``campaigns_ledger_maintenance``, inserted and deleted again before the
  commit (SQLite has one writer at a time: no other connection ever sees it).

``maintenance()`` does either from Python; docs/backup.md shows the SQL. Django's ``flush``
(between transactional tests, ``manage.py flush``) goes through it: see
``wardmodels/db_backends``.

``install`` is idempotent: Django rebuilds a SQLite table to alter it, which drops its
triggers, so a later migration that alters a ledger table calls it again (so does
``manage.py rebuild_ledger_totals``), and a test checks that every trigger is there.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

TABLES = ("campaigns_donation", "campaigns_expense")
FLAG_TABLE = "campaigns_ledger_maintenance"
SETTING = "wardmodels.ledger_maintenance"
MESSAGE = "ledger: entries are append-only; record a reversal instead"


def trigger_names(vendor: str) -> dict[str, list[str]]:
    """The guard's triggers, by table."""
    events = ("del", "trunc", "upd") if vendor == "postgresql" else ("del", "upd")
    return {table: [f"{table}_append_only_{event}" for event in events] for table in TABLES}


def _pg_statements() -> list[str]:
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION campaigns_ledger_append_only() RETURNS trigger AS $$
        BEGIN
            IF current_setting('{SETTING}', true) = 'on' THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END;
        $$ LANGUAGE plpgsql
        """
    ]
    for table in TABLES:
        delete, trunc, upd = trigger_names("postgresql")[table]
        statements += [
            f"DROP TRIGGER IF EXISTS {upd} ON {table}",
            f"""CREATE TRIGGER {upd} BEFORE UPDATE ON {table} FOR EACH ROW
                WHEN (OLD.* IS DISTINCT FROM NEW.*)
                EXECUTE FUNCTION campaigns_ledger_append_only()""",
            f"DROP TRIGGER IF EXISTS {delete} ON {table}",
            f"""CREATE TRIGGER {delete} BEFORE DELETE ON {table} FOR EACH ROW
                EXECUTE FUNCTION campaigns_ledger_append_only()""",
            f"DROP TRIGGER IF EXISTS {trunc} ON {table}",
            f"""CREATE TRIGGER {trunc} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT
                EXECUTE FUNCTION campaigns_ledger_append_only()""",
        ]
    return statements


def _sqlite_statements(connection) -> list[str]:
    # SQLite has no row comparison: compare every column the table has now.
    with connection.cursor() as cursor:
        columns = {
            table: [c.name for c in connection.introspection.get_table_description(cursor, table)]
            for table in TABLES
        }
    refused = f"SELECT RAISE(ABORT, '{MESSAGE}')"
    not_in_maintenance = f"NOT EXISTS (SELECT 1 FROM {FLAG_TABLE})"
    statements = [f"CREATE TABLE IF NOT EXISTS {FLAG_TABLE} (id INTEGER PRIMARY KEY)"]
    for table in TABLES:
        delete, upd = trigger_names("sqlite")[table]
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns[table])
        statements += [
            f"DROP TRIGGER IF EXISTS {upd}",
            f"""CREATE TRIGGER {upd} BEFORE UPDATE ON {table} FOR EACH ROW
                WHEN ({changed}) AND {not_in_maintenance} BEGIN {refused}; END""",
            f"DROP TRIGGER IF EXISTS {delete}",
            f"""CREATE TRIGGER {delete} BEFORE DELETE ON {table} FOR EACH ROW
                WHEN {not_in_maintenance} BEGIN {refused}; END""",
        ]
    return statements


def install(connection=default_connection) -> None:
    """Create (or re-create) the guard; another engine gets none (the models still refuse)."""
    if connection.vendor == "postgresql":
        statements = _pg_statements()
    elif connection.vendor == "sqlite":
        statements = _sqlite_statements(connection)
    else:
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for table, triggers in trigger_names(connection.vendor).items():
            for trigger in triggers:
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS campaigns_ledger_append_only()")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS {FLAG_TABLE}")


def installed(connection=default_connection) -> dict[str, list[str]]:
    """The guard's triggers present now, by table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT event_object_table, trigger_name FROM information_schema.triggers"
                " WHERE trigger_name LIKE %s",
                ["%append_only%"],
            )
            rows = cursor.fetchall()
            # information_schema.triggers omits TRUNCATE triggers: ask the catalogue.
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE %s",
                ["%append_only%"],
            )
            rows += cursor.fetchall()
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["%append_only%"],
            )
            rows = cursor.fetchall()
    found: dict[str, set] = {}
    for table, name in rows:
        found.setdefault(table, set()).add(name)
    return {table: sorted(names) for table, names in sorted(found.items())}


def maintenance_statements(vendor: str) -> tuple[list[str], list[str]]:
    """SQL that opens and closes maintenance inside the current transaction."""
    if vendor == "postgresql":
        return [f"SET LOCAL {SETTING} = 'on'"], [f"SET LOCAL {SETTING} = 'off'"]
    if vendor == "sqlite":
        return [f"INSERT INTO {FLAG_TABLE} DEFAULT VALUES"], [f"DELETE FROM {FLAG_TABLE}"]
    return [], []


@contextmanager
def maintenance(connection=default_connection):
    """Lift the guard for the enclosed statements, in a transaction (or a savepoint) of its own.

    If the block raises, that transaction rolls back and the guard is back with it.
    """
    begin, end = maintenance_statements(connection.vendor)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            for statement in begin:
                cursor.execute(statement)
        yield
        with connection.cursor() as cursor:
            for statement in end:
                cursor.execute(statement)
