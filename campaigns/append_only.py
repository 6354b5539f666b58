"""The database's own guard on the ledger: donations and expenses are never changed or deleted.

The models refuse ``save()`` of an existing entry, ``delete()`` and bulk ``update()``; these
triggers make the database refuse the same for every other client (raw SQL, a script, a
database shell), on PostgreSQL and SQLite:

- ``UPDATE`` that changes a value: refused (an update that writes the same values back, as
  ``loaddata`` does when the demo is loaded a second time, changes nothing and passes);
- ``DELETE``: refused; ``TRUNCATE`` (PostgreSQL): refused.

One change is let through, and only one way: ``has_reversal`` of an entry goes from false to
true when, and only when, its reversal is inserted. A trigger on the reversal's insert sets it
(``*_append_only_mark``), so every client keeps it true to the ledger; the guard refuses any
other change of it (unsetting it, or setting it on an entry nobody reversed). Document numbers
are unique among entries not reversed (a partial unique index on it), so the entry that
corrects a reversed one may carry the paper receipt's number again. An entry that ``corrects``
another is checked on insert (``*_append_only_correction``): the corrected entry is a normal
entry of the same model, already reversed.

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

On PostgreSQL the switch is the owner's alone. The site connects as an application role
(``DATABASE_URL``) that holds SELECT and INSERT on these tables and nothing more, and owns no
table, trigger, function or schema; migrations and maintenance connect as the owner
(``DATABASE_OWNER_URL``, docs/deploy.md). Privileges are checked before any trigger runs, so
the application role can neither change an entry, switch or no switch, nor disable, drop or
replace a trigger (only an owner may). ``grant_application_role`` gives it exactly that
(``manage.py grant_app_role``; ``migrate`` does it by itself when both URLs are set). The
trigger also ignores the switch for any role that may not act as the table's owner, so that
a role granted UPDATE by mistake still cannot lift the guard. With one role for everything
(no ``DATABASE_OWNER_URL``, as in the tests), that role is the owner and may lift the guard.

``install`` is idempotent: Django rebuilds a SQLite table to alter it, which drops its
triggers, so a later migration that alters a ledger table calls it again (so does
``manage.py rebuild_ledger_totals``), and a test checks that every trigger is there.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

TABLES = ("campaigns_donation", "campaigns_expense")
# Tables the application's role may read but not write (docs/deploy.md).
READ_ONLY_TABLES = ("django_migrations",)
FLAG_TABLE = "campaigns_ledger_maintenance"
SETTING = "wardmodels.ledger_maintenance"
MESSAGE = "ledger: entries are append-only; record a reversal instead"
CORRECTION_MESSAGE = "ledger: an entry can only correct a reversed normal entry of the same model"
FLAG = "has_reversal"


def _has_flag(connection, table: str) -> bool:
    """Whether the table has ``has_reversal`` yet (the guard is first installed before it)."""
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, table)
    return any(c.name == FLAG for c in columns)


def trigger_names(vendor: str) -> dict[str, list[str]]:
    """The guard's triggers, by table (sorted, as ``installed`` lists them)."""
    if vendor == "postgresql":
        events = ("del", "trunc", "upd", "mark", "correction")
    else:
        events = ("del", "upd", "flag", "mark", "correction")
    return {table: sorted(_name(table, event) for event in events) for table in TABLES}


def _name(table: str, event: str) -> str:
    return f"{table}_append_only_{event}"


def _pg_statements(connection) -> list[str]:
    # The switch counts only for a role that may act as the table's owner: the application's
    # role (docs/deploy.md) can set any custom setting, but setting this one changes nothing
    # for it. Everything is schema-qualified and the search path pinned, so that no function
    # or table of another schema can stand in for the catalogue's.
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION campaigns_ledger_append_only() RETURNS trigger
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $$
        DECLARE
            reversed boolean;
        BEGIN
            IF pg_catalog.current_setting('{SETTING}', true) = 'on'
               AND pg_catalog.pg_has_role(
                   current_user,
                   (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID),
                   'MEMBER'
               )
            THEN
                RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
            END IF;
            -- The one change let through: {FLAG} set when the entry's reversal exists.
            IF TG_OP = 'UPDATE'
               AND (to_jsonb(OLD) - '{FLAG}') = (to_jsonb(NEW) - '{FLAG}')
               AND (to_jsonb(OLD) ->> '{FLAG}') = 'false'
               AND (to_jsonb(NEW) ->> '{FLAG}') = 'true' THEN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE reverses_id = $1)',
                               TG_TABLE_SCHEMA, TG_TABLE_NAME)
                    INTO reversed USING NEW.id;
                IF reversed THEN
                    RETURN NEW;
                END IF;
            END IF;
            RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END;
        $$
        """
    ]
    for table in TABLES:
        delete, trunc, upd = (_name(table, event) for event in ("del", "trunc", "upd"))
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
    if all(_has_flag(connection, table) for table in TABLES):
        statements += _pg_flag_statements()
    return statements


def _pg_flag_statements() -> list[str]:
    # SECURITY DEFINER: the reversal's insert marks the original even when the application's
    # database role may not UPDATE ledger rows; the function does nothing else.
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION campaigns_ledger_mark_reversed() RETURNS trigger AS $$
        BEGIN
            EXECUTE format('UPDATE %I SET {FLAG} = TRUE WHERE id = $1 AND NOT {FLAG}',
                           TG_TABLE_NAME)
                USING NEW.reverses_id;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
        """,
        f"""
        CREATE OR REPLACE FUNCTION campaigns_ledger_check_correction() RETURNS trigger AS $$
        DECLARE
            valid boolean;
        BEGIN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I o WHERE o.id = $1 AND o.{FLAG}'
                           ' AND o.reverses_id IS NULL AND o.initiative_id = $2)',
                           TG_TABLE_NAME)
                INTO valid USING NEW.corrects_id, NEW.initiative_id;
            IF NOT valid THEN
                RAISE EXCEPTION '{CORRECTION_MESSAGE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """,
    ]
    for table in TABLES:
        names = {event: _name(table, event) for event in ("mark", "correction")}
        statements += [
            f"DROP TRIGGER IF EXISTS {names['mark']} ON {table}",
            f"""CREATE TRIGGER {names["mark"]} AFTER INSERT ON {table} FOR EACH ROW
                WHEN (NEW.reverses_id IS NOT NULL)
                EXECUTE FUNCTION campaigns_ledger_mark_reversed()""",
            f"DROP TRIGGER IF EXISTS {names['correction']} ON {table}",
            f"""CREATE TRIGGER {names["correction"]} BEFORE INSERT ON {table} FOR EACH ROW
                WHEN (NEW.corrects_id IS NOT NULL)
                EXECUTE FUNCTION campaigns_ledger_check_correction()""",
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
        delete, upd, flag, mark, correction = (
            _name(table, event) for event in ("del", "upd", "flag", "mark", "correction")
        )
        # has_reversal has its own rule (below); every other column never changes.
        changed = " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns[table] if c != FLAG)
        if FLAG in columns[table]:
            statements += [
                f"DROP TRIGGER IF EXISTS {flag}",
                f"""CREATE TRIGGER {flag} BEFORE UPDATE OF {FLAG} ON {table} FOR EACH ROW
                    WHEN OLD.{FLAG} IS NOT NEW.{FLAG} AND {not_in_maintenance} AND (
                        NEW.{FLAG} IS NOT 1
                        OR NOT EXISTS (SELECT 1 FROM {table} r WHERE r.reverses_id = NEW.id)
                    ) BEGIN {refused}; END""",
                f"DROP TRIGGER IF EXISTS {mark}",
                f"""CREATE TRIGGER {mark} AFTER INSERT ON {table} FOR EACH ROW
                    WHEN NEW.reverses_id IS NOT NULL BEGIN
                    UPDATE {table} SET {FLAG} = 1 WHERE id = NEW.reverses_id AND NOT {FLAG};
                    END""",
                f"DROP TRIGGER IF EXISTS {correction}",
                f"""CREATE TRIGGER {correction} BEFORE INSERT ON {table} FOR EACH ROW
                    WHEN NEW.corrects_id IS NOT NULL AND NOT EXISTS (
                        SELECT 1 FROM {table} o WHERE o.id = NEW.corrects_id AND o.{FLAG}
                        AND o.reverses_id IS NULL AND o.initiative_id = NEW.initiative_id
                    ) BEGIN SELECT RAISE(ABORT, '{CORRECTION_MESSAGE}'); END""",
            ]
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
        statements = _pg_statements(connection)
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
            cursor.execute("DROP FUNCTION IF EXISTS campaigns_ledger_mark_reversed()")
            cursor.execute("DROP FUNCTION IF EXISTS campaigns_ledger_check_correction()")
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


def locked(model, pk: int):
    """The entry ``pk`` of ``model``, locked until the end of the transaction.

    ``SELECT ... FOR UPDATE`` needs the UPDATE privilege, which the application's role does
    not hold on the ledger: on PostgreSQL, a transaction-level advisory lock keyed on the table
    and the entry takes its place (a key above 2**31 shares its lock with another entry: a
    wait, never a missed lock). SQLite runs one write transaction at a time anyway.
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s::regclass::oid::integer, %s)",
                [model._meta.db_table, pk % 2**31],
            )
    return model.objects.get(pk=pk)


def application_role_problems(role: str, connection=default_connection) -> list[str]:
    """Why ``role`` could change the ledger whatever its privileges (empty: it could not)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
        if row is None:
            return [f"the role {role!r} does not exist (CREATE ROLE {role} LOGIN)"]
        if row[0]:
            return [f"{role!r} is a superuser: privileges and triggers do not bind it"]
        # An owner (or a member of the owner's role) may alter, disable or drop what it owns;
        # the owner of the schema may drop any table in it.
        cursor.execute(
            """
            SELECT 'the schema ' || n.nspname FROM pg_catalog.pg_namespace n
             WHERE n.nspname = current_schema() AND pg_catalog.pg_has_role(%s, n.nspowner, 'MEMBER')
            UNION ALL
            SELECT 'the table ' || c.relname FROM pg_catalog.pg_class c
             WHERE c.relnamespace = current_schema()::regnamespace
               AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
               AND pg_catalog.pg_has_role(%s, c.relowner, 'MEMBER')
            UNION ALL
            SELECT 'the function ' || p.proname FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = current_schema()::regnamespace
               AND pg_catalog.pg_has_role(%s, p.proowner, 'MEMBER')
            ORDER BY 1
            """,
            [role, role, role],
        )
        owned = [name for (name,) in cursor.fetchall()]
    if owned:
        shown = ", ".join(owned[:5]) + (f" and {len(owned) - 5} more" if len(owned) > 5 else "")
        return [f"{role!r} owns (or is a member of the owner of) {shown}"]
    return []


def grant_application_role(role: str, connection=default_connection) -> None:
    """Give ``role`` exactly what the site needs, and nothing that rewrites the ledger.

    Every table of the schema: SELECT, INSERT, UPDATE, DELETE; the ledger's: SELECT and
    INSERT only; ``django_migrations``: SELECT; sequences: USAGE; no TRUNCATE, REFERENCES or
    TRIGGER anywhere. Whatever it held before is revoked first, so running it again after a
    migration (or after a mistaken GRANT) leaves exactly this. Raises ``ValueError`` (and
    grants nothing) for a role that could change the ledger whatever it is granted, or that
    holds a ledger privilege through another role. Run as the owner.
    """
    from psycopg import sql

    if connection.vendor != "postgresql":
        raise ValueError("database roles exist on PostgreSQL only")
    problems = application_role_problems(role, connection)
    if problems:
        raise ValueError("; ".join(problems))
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (schema,) = cursor.fetchone()

    def quoted(name):
        return sql.Identifier(name).as_string(connection.connection)

    to = quoted(role)
    in_schema = quoted(schema)
    ledger = ", ".join(quoted(table) for table in TABLES)
    read_only = ", ".join(quoted(table) for table in READ_ONLY_TABLES)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {in_schema} FROM {to}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {in_schema} FROM {to}",
        f"GRANT USAGE ON SCHEMA {in_schema} TO {to}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {in_schema} TO {to}",
        f"REVOKE UPDATE, DELETE ON {ledger} FROM {to}",
        f"REVOKE INSERT, UPDATE, DELETE ON {read_only} FROM {to}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {in_schema} TO {to}",
    ]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        # What it may still do through PUBLIC, pg_write_all_data or a role it belongs to: the
        # revocations above cannot reach those grants.
        cursor.execute(
            "SELECT t || ': ' || p FROM unnest(%s::text[]) AS t,"
            " unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER']) AS p"
            " WHERE has_table_privilege(%s, t, p) ORDER BY 1",
            [list(TABLES), role],
        )
        kept = [row for (row,) in cursor.fetchall()]
        if kept:
            raise ValueError(
                f"{role!r} still holds {', '.join(kept)} through PUBLIC or a role it is a "
                "member of (pg_write_all_data, say): revoke that first"
            )
