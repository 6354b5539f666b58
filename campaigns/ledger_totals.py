"""The SQL that keeps ``LedgerMonth`` and ``ContributorYear`` (campaigns/models/totals.py).

Triggers, for PostgreSQL and SQLite, so that every way a row reaches the ledger (the
workflow, the admin, loaddata, a script with raw SQL) updates the totals in the same
transaction:

- donation / expense inserted: its amount (and quantity, entry and standing counts) is added
  to the month row of its kind, and to its contributor's year row, under "public" when its model
  is public now and under "registered" when its model is not a draft;
- deleted: taken back (an UPDATE only: emptying the tables in any order leaves them empty);
- changed (the ledger is append-only, but the database does not rely on it): taken back and
  added again;
- a model's status or publication changes: its sums move in or out of "public" and
  "registered", month by month and contributor by contributor;
- a contributor's kind changes: their year rows follow.

On PostgreSQL the insert trigger takes a share lock on the model's row, so that a donation
written while its model is being published is counted exactly once, by whichever of the two
commits last. ``install`` is idempotent (a later migration that rebuilds one of these tables
on SQLite, which drops its triggers, calls it again; a test checks that they are all there).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection as default_connection

from registry.choices import PUBLIC_STATUSES, InitiativeStatus

from .models.totals import EXPENSE_KIND

_STATUSES = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)
_DRAFT = f"'{InitiativeStatus.DRAFT}'"

MONTH_COLUMNS = (
    "public_amount",
    "registered_amount",
    "public_quantity",
    "registered_quantity",
    "public_rows",
    "registered_rows",
    "public_standing",
    "registered_standing",
)
YEAR_COLUMNS = ("public_net", "registered_net")

TABLES = ("campaigns_donation", "campaigns_expense")
# In a model's trigger: the entries of that model.
_OWN_ENTRIES = "WHERE x.initiative_id = NEW.id"
TRIGGERS = {
    # table: trigger names (PostgreSQL has one per table, SQLite one per event)
    "postgresql": {
        "campaigns_donation": ["campaigns_totals"],
        "campaigns_expense": ["campaigns_totals"],
        "registry_initiative": ["campaigns_totals"],
        "campaigns_contributor": ["campaigns_totals"],
    },
    "sqlite": {
        "campaigns_donation": [f"campaigns_donation_totals_{e}" for e in ("ins", "del", "upd")],
        "campaigns_expense": [f"campaigns_expense_totals_{e}" for e in ("ins", "del", "upd")],
        "registry_initiative": ["registry_initiative_totals", "registry_initiative_totals_ins"],
        "campaigns_contributor": [
            "campaigns_contributor_totals",
            "campaigns_contributor_totals_ins",
        ],
    },
}


def _measure(column: str) -> str:
    """The column of a per-model sub-total that a ``MONTH_COLUMNS`` column adds up."""
    measure = column.split("_", 1)[1]
    return "entry_rows" if measure == "rows" else measure


class _Dialect:
    """The few expressions that differ between the two engines."""

    def __init__(self, vendor: str):
        self.vendor = vendor

    def month(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"date_trunc('month', {column})::date"
        return f"date({column}, 'start of month')"

    def year(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"extract(year from {column})::integer"
        return f"CAST(strftime('%Y', {column}) AS INTEGER)"

    @staticmethod
    def public(row: str) -> str:
        return f"(CASE WHEN {row}.published AND {row}.status IN ({_STATUSES}) THEN 1 ELSE 0 END)"

    @staticmethod
    def registered(row: str) -> str:
        return f"(CASE WHEN {row}.status <> {_DRAFT} THEN 1 ELSE 0 END)"


def _entries_sql(d: _Dialect, where_donation: str = "", where_expense: str = "") -> str:
    """Every ledger row as (month, kind, amount, quantity, standing, pub, reg)."""
    return f"""
        SELECT {d.month("x.counted_on")} AS month, x.kind AS kind, x.amount AS amount,
               COALESCE(x.quantity, 0) AS quantity,
               CASE WHEN x.reverses_id IS NULL THEN 1 ELSE -1 END AS standing,
               {d.public("i")} AS pub, {d.registered("i")} AS reg
        FROM campaigns_donation x JOIN registry_initiative i ON i.id = x.initiative_id
        {where_donation}
        UNION ALL
        SELECT {d.month("x.counted_on")}, '{EXPENSE_KIND}', x.amount, 0,
               CASE WHEN x.reverses_id IS NULL THEN 1 ELSE -1 END,
               {d.public("i")}, {d.registered("i")}
        FROM campaigns_expense x JOIN registry_initiative i ON i.id = x.initiative_id
        {where_expense}
    """


def _month_select(d: _Dialect) -> str:
    return f"""
        SELECT month, kind,
               SUM(pub * amount), SUM(reg * amount), SUM(pub * quantity), SUM(reg * quantity),
               SUM(pub), SUM(reg), SUM(pub * standing), SUM(reg * standing)
        FROM ({_entries_sql(d)}) e
        GROUP BY month, kind
    """


def _year_select(d: _Dialect) -> str:
    return f"""
        SELECT x.contributor_id, {d.year("x.counted_on")}, c.kind,
               SUM({d.public("i")} * x.amount), SUM({d.registered("i")} * x.amount)
        FROM campaigns_donation x
        JOIN registry_initiative i ON i.id = x.initiative_id
        JOIN campaigns_contributor c ON c.id = x.contributor_id
        GROUP BY x.contributor_id, {d.year("x.counted_on")}, c.kind
    """


def rebuild(connection=default_connection) -> None:
    """Recompute both tables from the ledger (the migration's fill; the command)."""
    d = _Dialect(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM campaigns_ledgermonth")
        cursor.execute(
            f"INSERT INTO campaigns_ledgermonth (month, kind, {', '.join(MONTH_COLUMNS)}) "
            + _month_select(d)
        )
        cursor.execute("DELETE FROM campaigns_contributoryear")
        cursor.execute(
            "INSERT INTO campaigns_contributoryear "
            f"(contributor_id, year, kind, {', '.join(YEAR_COLUMNS)}) " + _year_select(d)
        )


def differences(connection=default_connection) -> list[str]:
    """Rows where the tables differ from the ledger (rows of zeros are as good as none)."""
    d = _Dialect(connection.vendor)
    found = []
    checks = [
        ("campaigns_ledgermonth", ("month", "kind"), MONTH_COLUMNS, _month_select(d)),
        (
            "campaigns_contributoryear",
            ("contributor_id", "year", "kind"),
            YEAR_COLUMNS,
            _year_select(d),
        ),
    ]
    with connection.cursor() as cursor:
        for table, keys, columns, select in checks:
            cursor.execute(select)
            expected = _non_zero(cursor.fetchall(), len(keys))
            cursor.execute(f"SELECT {', '.join(keys + columns)} FROM {table}")
            actual = _non_zero(cursor.fetchall(), len(keys))
            for key in sorted(expected.keys() | actual.keys(), key=str):
                if expected.get(key) != actual.get(key):
                    found.append(
                        f"{table} {key}: ledger {expected.get(key)}, table {actual.get(key)}"
                    )
    return found


def _non_zero(rows, n_keys: int) -> dict:
    return {
        tuple(str(k) for k in row[:n_keys]): tuple(float(v or 0) for v in row[n_keys:])
        for row in rows
        if any(row[n_keys:])
    }


# --- triggers ---------------------------------------------------------------------------------


def _pg_statements() -> list[str]:
    d = _Dialect("postgresql")
    month_set = ", ".join(f"{c} = t.{c} + EXCLUDED.{c}" for c in MONTH_COLUMNS)
    year_set = ", ".join(f"{c} = t.{c} + EXCLUDED.{c}" for c in YEAR_COLUMNS)
    month_sub = ", ".join(f"{c} = {c} - v_{c}" for c in MONTH_COLUMNS)
    month_move = ", ".join(
        f"{c} = t.{c} + {'dpub' if c.startswith('public') else 'dreg'} * s.{_measure(c)}"
        for c in MONTH_COLUMNS
    )
    return [
        f"""
        CREATE OR REPLACE FUNCTION campaigns_totals_apply(
            p_initiative bigint, p_contributor bigint, p_kind varchar, p_on date,
            p_amount bigint, p_quantity numeric, p_normal boolean, p_sign integer
        ) RETURNS void AS $$
        DECLARE
            pub integer;
            reg integer;
            standing integer := CASE WHEN p_normal THEN 1 ELSE -1 END;
            {"; ".join(f"v_{c} numeric" for c in MONTH_COLUMNS)};
        BEGIN
            SELECT {d.public("i")}, {d.registered("i")} INTO pub, reg
            FROM registry_initiative i WHERE i.id = p_initiative FOR SHARE;
            pub := COALESCE(pub, 0);
            reg := COALESCE(reg, 0);
            v_public_amount := pub * p_amount;
            v_registered_amount := reg * p_amount;
            v_public_quantity := pub * COALESCE(p_quantity, 0);
            v_registered_quantity := reg * COALESCE(p_quantity, 0);
            v_public_rows := pub;
            v_registered_rows := reg;
            v_public_standing := pub * standing;
            v_registered_standing := reg * standing;
            IF p_sign > 0 THEN
                INSERT INTO campaigns_ledgermonth AS t (month, kind, {", ".join(MONTH_COLUMNS)})
                VALUES ({d.month("p_on")}, p_kind, {", ".join(f"v_{c}" for c in MONTH_COLUMNS)})
                ON CONFLICT (month, kind) DO UPDATE SET {month_set};
                IF p_contributor IS NOT NULL THEN
                    INSERT INTO campaigns_contributoryear AS t
                        (contributor_id, year, kind, public_net, registered_net)
                    VALUES (p_contributor, {d.year("p_on")}, COALESCE(
                        (SELECT c.kind FROM campaigns_contributor c WHERE c.id = p_contributor),
                        ''), v_public_amount, v_registered_amount)
                    ON CONFLICT (contributor_id, year) DO UPDATE SET {year_set};
                END IF;
            ELSE
                UPDATE campaigns_ledgermonth SET {month_sub}
                WHERE month = {d.month("p_on")} AND kind = p_kind;
                IF p_contributor IS NOT NULL THEN
                    UPDATE campaigns_contributoryear
                    SET public_net = public_net - v_public_amount,
                        registered_net = registered_net - v_registered_amount
                    WHERE contributor_id = p_contributor AND year = {d.year("p_on")};
                END IF;
            END IF;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE OR REPLACE FUNCTION campaigns_donation_totals() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                PERFORM campaigns_totals_apply(OLD.initiative_id, OLD.contributor_id, OLD.kind,
                    OLD.counted_on, OLD.amount, OLD.quantity, OLD.reverses_id IS NULL, -1);
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                PERFORM campaigns_totals_apply(NEW.initiative_id, NEW.contributor_id, NEW.kind,
                    NEW.counted_on, NEW.amount, NEW.quantity, NEW.reverses_id IS NULL, 1);
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE OR REPLACE FUNCTION campaigns_expense_totals() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                PERFORM campaigns_totals_apply(OLD.initiative_id, NULL, '{EXPENSE_KIND}',
                    OLD.counted_on, OLD.amount, NULL, OLD.reverses_id IS NULL, -1);
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                PERFORM campaigns_totals_apply(NEW.initiative_id, NULL, '{EXPENSE_KIND}',
                    NEW.counted_on, NEW.amount, NULL, NEW.reverses_id IS NULL, 1);
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE OR REPLACE FUNCTION campaigns_initiative_totals() RETURNS trigger AS $$
        DECLARE
            dpub integer := {d.public("NEW")};
            dreg integer := {d.registered("NEW")};
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                dpub := dpub - {d.public("OLD")};
                dreg := dreg - {d.registered("OLD")};
            END IF;
            IF dpub = 0 AND dreg = 0 THEN
                RETURN NULL;
            END IF;
            UPDATE campaigns_ledgermonth t SET {month_move}
            FROM (
                SELECT month, kind, SUM(amount) AS amount, SUM(quantity) AS quantity,
                       COUNT(*) AS entry_rows, SUM(standing) AS standing
                FROM ({_entries_sql(d, _OWN_ENTRIES, _OWN_ENTRIES)}) e
                GROUP BY month, kind
            ) s
            WHERE t.month = s.month AND t.kind = s.kind;
            UPDATE campaigns_contributoryear t
            SET public_net = t.public_net + dpub * s.amount,
                registered_net = t.registered_net + dreg * s.amount
            FROM (
                SELECT contributor_id, {d.year("counted_on")} AS year, SUM(amount) AS amount
                FROM campaigns_donation WHERE initiative_id = NEW.id
                GROUP BY contributor_id, {d.year("counted_on")}
            ) s
            WHERE t.contributor_id = s.contributor_id AND t.year = s.year;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """,
        """
        CREATE OR REPLACE FUNCTION campaigns_contributor_totals() RETURNS trigger AS $$
        BEGIN
            UPDATE campaigns_contributoryear SET kind = NEW.kind WHERE contributor_id = NEW.id;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
        """,
        "DROP TRIGGER IF EXISTS campaigns_totals ON campaigns_donation",
        """
        CREATE TRIGGER campaigns_totals AFTER INSERT OR UPDATE OR DELETE ON campaigns_donation
        FOR EACH ROW EXECUTE FUNCTION campaigns_donation_totals()
        """,
        "DROP TRIGGER IF EXISTS campaigns_totals ON campaigns_expense",
        """
        CREATE TRIGGER campaigns_totals AFTER INSERT OR UPDATE OR DELETE ON campaigns_expense
        FOR EACH ROW EXECUTE FUNCTION campaigns_expense_totals()
        """,
        "DROP TRIGGER IF EXISTS campaigns_totals ON registry_initiative",
        """
        CREATE TRIGGER campaigns_totals
        AFTER INSERT OR UPDATE OF status, published ON registry_initiative
        FOR EACH ROW EXECUTE FUNCTION campaigns_initiative_totals()
        """,
        "DROP TRIGGER IF EXISTS campaigns_totals ON campaigns_contributor",
        """
        CREATE TRIGGER campaigns_totals AFTER INSERT OR UPDATE OF kind ON campaigns_contributor
        FOR EACH ROW EXECUTE FUNCTION campaigns_contributor_totals()
        """,
    ]


def _sqlite_row(table: str, row: str) -> tuple[bool, str, str, str]:
    """For a ledger row in a SQLite trigger: (is a donation, kind, quantity, standing)."""
    donation = table == "campaigns_donation"
    kind = f"{row}.kind" if donation else f"'{EXPENSE_KIND}'"
    quantity = f"COALESCE({row}.quantity, 0)" if donation else "0"
    standing = f"(CASE WHEN {row}.reverses_id IS NULL THEN 1 ELSE -1 END)"
    return donation, kind, quantity, standing


def _sqlite_add(table: str, row: str) -> str:
    """Statements adding ``row`` (NEW) of ``table`` to both tables (SQLite trigger body)."""
    d = _Dialect("sqlite")
    donation, kind, quantity, standing = _sqlite_row(table, row)
    values = {
        "public_amount": f"p.pub * {row}.amount",
        "registered_amount": f"p.reg * {row}.amount",
        "public_quantity": f"p.pub * {quantity}",
        "registered_quantity": f"p.reg * {quantity}",
        "public_rows": "p.pub",
        "registered_rows": "p.reg",
        "public_standing": f"p.pub * {standing}",
        "registered_standing": f"p.reg * {standing}",
    }
    # Always one row: a model or contributor not loaded yet (loaddata, any order) counts as
    # neither public nor registered, and their own insert triggers catch up.
    flags = (
        f"(SELECT COALESCE((SELECT {d.public('i')} FROM registry_initiative i "
        f"WHERE i.id = {row}.initiative_id), 0) AS pub, "
        f"COALESCE((SELECT {d.registered('i')} FROM registry_initiative i "
        f"WHERE i.id = {row}.initiative_id), 0) AS reg) p"
    )
    # "WHERE true": SQLite's parser needs it before ON CONFLICT after a SELECT.
    statements = [
        f"""INSERT INTO campaigns_ledgermonth (month, kind, {", ".join(MONTH_COLUMNS)})
        SELECT {d.month(f"{row}.counted_on")}, {kind}, {", ".join(values.values())}
        FROM {flags} WHERE true
        ON CONFLICT (month, kind) DO UPDATE SET
        {", ".join(f"{c} = {c} + excluded.{c}" for c in MONTH_COLUMNS)};"""
    ]
    if donation:
        statements.append(
            f"""INSERT INTO campaigns_contributoryear
            (contributor_id, year, kind, public_net, registered_net)
            SELECT {row}.contributor_id, {d.year(f"{row}.counted_on")},
                   COALESCE((SELECT c.kind FROM campaigns_contributor c
                             WHERE c.id = {row}.contributor_id), ''),
                   p.pub * {row}.amount, p.reg * {row}.amount
            FROM {flags} WHERE true
            ON CONFLICT (contributor_id, year) DO UPDATE SET
            public_net = public_net + excluded.public_net,
            registered_net = registered_net + excluded.registered_net;"""
        )
    return "\n".join(statements)


def _sqlite_sub(table: str, row: str) -> str:
    """Statements taking ``row`` (OLD) back out of both tables (UPDATE only)."""
    d = _Dialect("sqlite")
    donation, kind, quantity, standing = _sqlite_row(table, row)
    flag = {
        # The model may already be gone when a whole database is emptied: then 0.
        "public": f"COALESCE((SELECT {d.public('i')} FROM registry_initiative i "
        f"WHERE i.id = {row}.initiative_id), 0)",
        "registered": f"COALESCE((SELECT {d.registered('i')} FROM registry_initiative i "
        f"WHERE i.id = {row}.initiative_id), 0)",
    }
    measure = {
        "amount": f"{row}.amount",
        "quantity": quantity,
        "rows": "1",
        "standing": standing,
    }
    sets = ", ".join(
        f"{c} = {c} - {flag[c.split('_', 1)[0]]} * {measure[c.split('_', 1)[1]]}"
        for c in MONTH_COLUMNS
    )
    statements = [
        f"UPDATE campaigns_ledgermonth SET {sets} "
        f"WHERE month = {d.month(f'{row}.counted_on')} AND kind = {kind};"
    ]
    if donation:
        statements.append(
            f"""UPDATE campaigns_contributoryear
            SET public_net = public_net - {flag["public"]} * {row}.amount,
                registered_net = registered_net - {flag["registered"]} * {row}.amount
            WHERE contributor_id = {row}.contributor_id
              AND year = {d.year(f"{row}.counted_on")};"""
        )
    return "\n".join(statements)


def _sqlite_statements() -> list[str]:
    d = _Dialect("sqlite")
    statements = []
    for table in TABLES:
        name = table.removeprefix("campaigns_")
        bodies = {
            "ins": ("INSERT", _sqlite_add(table, "NEW")),
            "del": ("DELETE", _sqlite_sub(table, "OLD")),
            "upd": ("UPDATE", _sqlite_sub(table, "OLD") + "\n" + _sqlite_add(table, "NEW")),
        }
        for suffix, (event, body) in bodies.items():
            trigger = f"campaigns_{name}_totals_{suffix}"
            statements += [
                f"DROP TRIGGER IF EXISTS {trigger}",
                f"CREATE TRIGGER {trigger} AFTER {event} ON {table} FOR EACH ROW\n"
                f"BEGIN\n{body}\nEND",
            ]
    moves = {
        # trigger: (event, public delta, registered delta)
        "registry_initiative_totals_ins": ("INSERT", d.public("NEW"), d.registered("NEW")),
        "registry_initiative_totals": (
            "UPDATE OF status, published",
            f"({d.public('NEW')} - {d.public('OLD')})",
            f"({d.registered('NEW')} - {d.registered('OLD')})",
        ),
    }
    for trigger, (event, dpub, dreg) in moves.items():
        month_move = ", ".join(
            f"{c} = {c} + {dpub if c.startswith('public') else dreg} * s.{_measure(c)}"
            for c in MONTH_COLUMNS
        )
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger}",
            f"""CREATE TRIGGER {trigger}
            AFTER {event} ON registry_initiative FOR EACH ROW
            WHEN {dpub} <> 0 OR {dreg} <> 0
            BEGIN
            UPDATE campaigns_ledgermonth SET {month_move}
            FROM (
                SELECT month, kind, SUM(amount) AS amount, SUM(quantity) AS quantity,
                       COUNT(*) AS entry_rows, SUM(standing) AS standing
                FROM ({_entries_sql(d, _OWN_ENTRIES, _OWN_ENTRIES)}) e
                GROUP BY month, kind
            ) AS s
            WHERE campaigns_ledgermonth.month = s.month AND campaigns_ledgermonth.kind = s.kind;
            UPDATE campaigns_contributoryear
            SET public_net = public_net + {dpub} * s.amount,
                registered_net = registered_net + {dreg} * s.amount
            FROM (
                SELECT contributor_id, {d.year("counted_on")} AS year, SUM(amount) AS amount
                FROM campaigns_donation WHERE initiative_id = NEW.id
                GROUP BY contributor_id, {d.year("counted_on")}
            ) AS s
            WHERE campaigns_contributoryear.contributor_id = s.contributor_id
              AND campaigns_contributoryear.year = s.year;
            END""",
        ]
    for trigger, event in {
        "campaigns_contributor_totals_ins": "INSERT",
        "campaigns_contributor_totals": "UPDATE OF kind",
    }.items():
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger}",
            f"""CREATE TRIGGER {trigger} AFTER {event} ON campaigns_contributor FOR EACH ROW
            BEGIN
            UPDATE campaigns_contributoryear SET kind = NEW.kind WHERE contributor_id = NEW.id;
            END""",
        ]
    return statements


def install(connection=default_connection) -> None:
    """Create (or re-create) the triggers; another engine gets none and reports sum entries."""
    build = {"postgresql": _pg_statements, "sqlite": _sqlite_statements}.get(connection.vendor)
    if build is None:
        return
    with connection.cursor() as cursor:
        for statement in build():
            cursor.execute(statement)


def uninstall(connection=default_connection) -> None:
    names = TRIGGERS.get(connection.vendor, {})
    with connection.cursor() as cursor:
        for table, triggers in names.items():
            for trigger in triggers:
                if connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def installed(connection=default_connection) -> dict[str, list[str]]:
    """The totals triggers present now, by table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, trigger_name FROM information_schema.triggers "
                "WHERE trigger_name LIKE %s",
                ["%totals%"],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["%totals%"],
            )
        found: dict[str, set] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return {table: sorted(names) for table, names in sorted(found.items())}


@contextmanager
def suspended(connection=default_connection):
    """Bulk loading (seed_bench): no per-row triggers on PostgreSQL, one rebuild at the end.

    Must run inside the loading transaction: ALTER TABLE ... DISABLE TRIGGER is
    transactional there, so a failed load leaves the triggers as they were.
    """
    tables = list(TRIGGERS["postgresql"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER campaigns_totals")
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE refuses while deferred foreign-key checks of the load are pending:
            # run them now (they would run at commit anyway).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER campaigns_totals")
    rebuild(connection)
