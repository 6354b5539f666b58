"""On PostgreSQL the site's database role cannot change the ledger, whatever SQL it sends.

A fresh database, set up as docs/deploy.md says: an owner role (not a superuser) owns the
database, an application role owns nothing; ``DATABASE_URL`` names the application's role and
``DATABASE_OWNER_URL`` the owner, so that ``manage.py migrate`` connects as the owner and
grants the application's role its privileges (campaigns/append_only.py). The application then
records and reverses entries through the workflow and serves pages as its role; every way it
could try to change or delete a donation is refused; the owner's maintenance still works.

The roles are created here and dropped afterwards (roles belong to the whole server: their
names carry a random suffix). They log in without a password: the test server trusts
connections from 127.0.0.1, as CI's does. The test suite's own user may be a superuser
(CI's ``root``); the two roles are not.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection

from campaigns import append_only

pytestmark = pytest.mark.postgresql(
    reason="database roles and privileges: SQLite has neither (it keeps the triggers' guard)"
)

ROOT = Path(__file__).resolve().parents[2]
DONATIONS = "SELECT * FROM campaigns_donation ORDER BY id"
GUARD = (
    "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t"
    " JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE '%append_only%' ORDER BY 1, 2"
)
GUARD_IN_PLACE = sorted(
    (table, name, "O")  # O: enabled
    for table, names in append_only.trigger_names("postgresql").items()
    for name in names
)
ALLOWED_REFUSALS = {
    "42501",  # insufficient_privilege: permission denied, must be owner
    "23001",  # restrict_violation: the guard's trigger
}


def _server() -> dict:
    settings = connection.settings_dict
    return {
        "host": settings.get("HOST") or "127.0.0.1",
        "port": int(settings.get("PORT") or 5432),
        "user": settings.get("USER") or None,
        "password": settings.get("PASSWORD") or None,
    }


def _connect(dbname, **overrides):
    import psycopg

    conninfo = {k: v for k, v in {**_server(), **overrides}.items() if v}
    return psycopg.connect(dbname=dbname, autocommit=True, **conninfo)


@pytest.fixture(scope="module")
def deployed():
    """A database migrated by its owner; the application's role granted by ``migrate``."""
    suffix = uuid.uuid4().hex[:10]
    names = SimpleNamespace(
        db=f"ledger_roles_{suffix}",
        owner=f"ledger_owner_{suffix}",
        app=f"ledger_app_{suffix}",
        clerk=f"ledger_clerk_{suffix}",
        member=f"ledger_member_{suffix}",  # a member of the owner's role
        group=f"ledger_group_{suffix}",  # a group role, for privileges held through it
        grouped=f"ledger_grouped_{suffix}",  # a member of the group
    )
    server = _server()

    def url(role):
        return f"postgres://{role}@{server['host']}:{server['port']}/{names.db}"

    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="wardmodels.settings",
        DJANGO_SECRET_KEY="test-only-not-a-secret",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        DATABASE_URL=url(names.app),
        DATABASE_OWNER_URL=url(names.owner),
    )

    def manage(*args, **env_changes):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, **env_changes},
            capture_output=True,
            text=True,
            timeout=300,
        )

    def python(script):
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    with _connect("postgres") as admin:
        admin.execute(f'CREATE ROLE "{names.owner}" LOGIN')
        admin.execute(f'CREATE ROLE "{names.app}" LOGIN')
        admin.execute(f'CREATE ROLE "{names.clerk}" LOGIN')
        admin.execute(f'CREATE ROLE "{names.member}" LOGIN IN ROLE "{names.owner}"')
        admin.execute(f'CREATE ROLE "{names.group}" NOLOGIN')
        admin.execute(f'CREATE ROLE "{names.grouped}" LOGIN IN ROLE "{names.group}"')
        admin.execute(f'CREATE DATABASE "{names.db}" OWNER "{names.owner}"')
    try:
        migrated = manage("migrate", "--noinput", "-v0")
        assert migrated.returncode == 0, migrated.stderr
        yield SimpleNamespace(
            names=names,
            manage=manage,
            python=python,
            as_owner=lambda: _connect(names.db, user=names.owner, password=None),
            as_app=lambda: _connect(names.db, user=names.app, password=None),
            as_clerk=lambda: _connect(names.db, user=names.clerk, password=None),
        )
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{names.db}" WITH (FORCE)')
            for role in vars(names).values():
                if role != names.db:
                    admin.execute(f'DROP ROLE IF EXISTS "{role}"')


# The application's own work, as its role: the workflow records and reverses entries (the
# reversal locks the original), pages read everything. Printed as JSON for the test.
APPLICATION = """
import json
from datetime import date

import django

django.setup()
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from campaigns import workflow
from campaigns.models import ContributionKind, Donation, Expense
from tests import factories
from tests.campaigns.factories import make_contributor

official = factories.make_official("thuquy")
initiative = factories.make_initiative("Đường hoa Lê Lợi")
contributor = make_contributor("Hộ ông Lê Văn An", publish_name=True, publish_amount=True)
for number, amount in (("BN-00001", 2_000_000), ("BN-00002", 500_000)):
    kept = workflow.donation_record(
        initiative=initiative, contributor=contributor, kind=ContributionKind.CASH,
        amount=amount, received_on=date(2023, 4, 1), receipt_number=number, by=official,
    )
workflow.donation_reverse(donation=kept, by=official, reason="Ghi nhầm số tiền")
expense = workflow.expense_record(
    initiative=initiative, description="Mua chậu hoa giấy", amount=700_000,
    spent_on=date(2023, 4, 2), voucher_number="PC-00001", by=official,
)
workflow.expense_reverse(expense=expense, by=official, reason="Chứng từ trùng")

client = Client()
client.force_login(official)
storages = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
with override_settings(STORAGES=storages):  # no collectstatic here
    pages = {
        path: client.get(path).status_code
        for path in (
            initiative.get_absolute_url(),
            reverse("public:report"),
            reverse("workspace:ledger", kwargs={"pk": initiative.pk}),
        )
    }
with connection.cursor() as cursor:
    cursor.execute("SELECT current_user")
    (user,) = cursor.fetchone()
print(json.dumps({
    "user": user,
    "donations": list(Donation.objects.order_by("id").values_list("amount", flat=True)),
    "expenses": list(Expense.objects.order_by("id").values_list("amount", flat=True)),
    "pages": sorted(set(pages.values())),
}))
"""


@pytest.fixture(scope="module")
def entries(deployed):
    ran = deployed.python(APPLICATION)
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout.strip().splitlines()[-1])


def _privileges(cursor, role, table):
    cursor.execute(
        "SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE',"
        " 'REFERENCES', 'TRIGGER']) AS p WHERE has_table_privilege(%s, %s, p) ORDER BY p",
        [role, table],
    )
    return [p for (p,) in cursor.fetchall()]


def test_migrate_as_the_owner_grants_the_application_role_only_what_the_site_needs(deployed):
    names = deployed.names
    with deployed.as_owner() as owner:
        cursor = owner.cursor()
        for table in append_only.TABLES:
            assert _privileges(cursor, names.app, table) == ["INSERT", "SELECT"]
        assert _privileges(cursor, names.app, "registry_initiative") == [
            "DELETE",
            "INSERT",
            "SELECT",
            "UPDATE",
        ]
        assert _privileges(cursor, names.app, "django_migrations") == ["SELECT"]
        cursor.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class"
            " WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'S')"
        )
        assert cursor.fetchall() == [(names.owner,)]
        assert owner.execute(GUARD).fetchall() == GUARD_IN_PLACE
    with deployed.as_app() as app:
        assert app.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)


def test_the_application_records_and_reverses_entries_as_its_role(deployed, entries):
    assert entries == {
        "user": deployed.names.app,
        "donations": [2_000_000, 500_000, -500_000],
        "expenses": [700_000, -700_000],
        "pages": [200],
    }


def _run(conn, steps) -> list[str]:
    """Each step in its own transaction (a tuple: one transaction); the SQLSTATE of each refusal."""
    import psycopg

    refusals = []
    for step in steps:
        statements = step if isinstance(step, tuple) else (step,)
        try:
            with conn.transaction():
                for statement in statements:
                    conn.execute(statement)
            refusals.append(None)
        except psycopg.Error as exc:
            refusals.append(exc.sqlstate)
    return refusals


UPDATE = "UPDATE campaigns_donation SET amount = amount + 1"
DELETE = "DELETE FROM campaigns_donation"
SWITCH = "wardmodels.ledger_maintenance"

# Each way in: the steps the application's role sends, the last one the change itself.
MEANS = {
    "UPDATE": [UPDATE],
    "DELETE": [DELETE],
    "TRUNCATE": ["TRUNCATE campaigns_donation CASCADE"],
    "upsert": [
        "INSERT INTO campaigns_donation SELECT * FROM campaigns_donation"
        " ON CONFLICT (id) DO UPDATE SET amount = EXCLUDED.amount + 1"
    ],
    "set_config of the switch, then UPDATE": [
        f"SELECT set_config('{SWITCH}', 'on', false)",
        UPDATE,
    ],
    "SET of the switch, then DELETE": [f"SET {SWITCH} = 'on'", DELETE],
    "SET LOCAL of the switch, then UPDATE": [(f"SET LOCAL {SWITCH} = 'on'", UPDATE)],
    "DISABLE TRIGGER, then UPDATE": ["ALTER TABLE campaigns_donation DISABLE TRIGGER ALL", UPDATE],
    "DROP TRIGGER, then DELETE": [
        "DROP TRIGGER campaigns_donation_append_only_del ON campaigns_donation",
        DELETE,
    ],
    "replacing the guard's function, then UPDATE": [
        "CREATE OR REPLACE FUNCTION campaigns_ledger_append_only() RETURNS trigger"
        " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        UPDATE,
    ],
    "session_replication_role (triggers off), then UPDATE": [
        "SET session_replication_role = replica",
        UPDATE,
    ],
    "SET ROLE to the owner, then DELETE": ["SET ROLE {owner}", f"SET {SWITCH} = 'on'", DELETE],
    "taking the table over, then DELETE": [
        "ALTER TABLE campaigns_donation OWNER TO CURRENT_USER",
        DELETE,
    ],
    "DROP TABLE": ["DROP TABLE campaigns_donation CASCADE"],
}


@pytest.mark.parametrize("means", MEANS)
def test_the_application_role_cannot_change_or_delete_a_donation(deployed, entries, means):
    steps = [
        s.format(owner=deployed.names.owner) if isinstance(s, str) else s for s in MEANS[means]
    ]
    with deployed.as_owner() as owner:
        before = owner.execute(DONATIONS).fetchall()
        assert owner.execute(GUARD).fetchall() == GUARD_IN_PLACE
    assert len(before) == 3

    with deployed.as_app() as app:
        refusals = _run(app, steps)

    assert refusals[-1] is not None, f"{means}: the change went through"
    assert {code for code in refusals if code} <= ALLOWED_REFUSALS, refusals
    with deployed.as_owner() as owner:
        assert owner.execute(DONATIONS).fetchall() == before
        assert owner.execute(GUARD).fetchall() == GUARD_IN_PLACE


def test_a_role_granted_update_by_mistake_still_cannot_lift_the_guard(deployed, entries):
    """The switch counts only for a role that may act as the table's owner.

    A blanket grant, as a hurried administrator might type it, gives the clerk's role UPDATE
    and DELETE on the ledger (and on the totals its triggers keep): the switch does not help.
    """
    names = deployed.names
    with deployed.as_owner() as owner:
        owner.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
            f' TO "{names.clerk}"'
        )
        before = owner.execute(DONATIONS).fetchall()
        (reversal,) = owner.execute(
            "SELECT id FROM campaigns_donation WHERE reverses_id IS NOT NULL"
        ).fetchone()
    rewrite = "UPDATE campaigns_donation SET description = 'sửa lại'"
    remove = f"DELETE FROM campaigns_donation WHERE id = {reversal}"
    with deployed.as_clerk() as clerk:
        refusals = _run(
            clerk,
            [f"SET {SWITCH} = 'on'", rewrite, remove, (f"SET LOCAL {SWITCH} = 'on'", rewrite)],
        )
    assert refusals == [None, "23001", "23001", "23001"]
    with deployed.as_owner() as owner:
        assert owner.execute(DONATIONS).fetchall() == before


def test_grant_app_role_takes_back_a_mistaken_grant(deployed):
    names = deployed.names
    with deployed.as_owner() as owner:
        owner.execute(f'GRANT UPDATE, DELETE, TRUNCATE ON campaigns_donation TO "{names.app}"')
        assert "UPDATE" in _privileges(owner.cursor(), names.app, "campaigns_donation")
    granted = deployed.manage("grant_app_role")
    assert granted.returncode == 0, granted.stderr
    with deployed.as_owner() as owner:
        assert _privileges(owner.cursor(), names.app, "campaigns_donation") == [
            "INSERT",
            "SELECT",
        ]


@pytest.mark.parametrize(
    ("role", "reason"),
    [
        ("owner", "is the role this command connects as"),
        ("member", "owns (or is a member of the owner of) the function"),
        ("superuser", "is a superuser"),
        ("grouped", "still holds campaigns_donation: DELETE, campaigns_donation: UPDATE"),
    ],
)
def test_grant_app_role_refuses_a_role_that_could_lift_the_guard(deployed, role, reason):
    name = _server()["user"] if role == "superuser" else getattr(deployed.names, role)
    with deployed.as_owner() as owner:
        owner.execute(f'GRANT UPDATE, DELETE ON campaigns_donation TO "{deployed.names.group}"')
        (superuser,) = owner.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = %s", [name]
        ).fetchone()
    assert superuser == (role == "superuser")  # CI's test user is one
    refused = deployed.manage("grant_app_role", name)
    assert refused.returncode != 0
    assert reason in refused.stderr


def test_the_owner_repairs_the_ledger_in_a_maintenance_transaction(deployed, entries):
    """docs/backup.md's repair, as the owner (not a superuser): the guard is back at COMMIT."""
    with deployed.as_owner() as owner:
        (reversal,) = owner.execute(
            "SELECT id FROM campaigns_donation WHERE reverses_id IS NOT NULL"
        ).fetchone()
        refusals = _run(
            owner,
            [
                f"DELETE FROM campaigns_donation WHERE id = {reversal}",
                (
                    f"SET LOCAL {SWITCH} = 'on'",
                    f"DELETE FROM campaigns_donation WHERE id = {reversal}",
                ),
                UPDATE,
            ],
        )
        assert refusals == ["23001", None, "23001"]
        amounts = owner.execute("SELECT amount FROM campaigns_donation ORDER BY id").fetchall()
        assert amounts == [(2_000_000,), (500_000,)]
    checked = deployed.manage("rebuild_ledger_totals", "--check")
    assert checked.returncode == 0, checked.stderr  # the totals followed the repair


def test_a_plain_set_outlives_its_transaction_and_set_local_does_not(deployed):
    """Why docs/backup.md says SET LOCAL: a plain SET stays on the (persistent) connection."""
    with deployed.as_owner() as owner:
        with owner.transaction():
            owner.execute(f"SET LOCAL {SWITCH} = 'on'")
        assert owner.execute(f"SELECT current_setting('{SWITCH}', true)").fetchone() != ("on",)
        with owner.transaction():
            owner.execute(f"SET {SWITCH} = 'on'")
        assert owner.execute(f"SELECT current_setting('{SWITCH}', true)").fetchone() == ("on",)


def test_flush_runs_as_the_owner_and_fails_as_the_application_role(deployed, entries):
    """`manage.py flush` is maintenance: with DATABASE_OWNER_URL it connects as the owner."""
    as_app = deployed.manage("flush", "--noinput", DATABASE_OWNER_URL="")
    assert as_app.returncode != 0
    assert "couldn't be flushed" in as_app.stderr
    with deployed.as_owner() as owner:
        assert owner.execute("SELECT count(*) FROM campaigns_donation").fetchone()[0] > 0

    flushed = deployed.manage("flush", "--noinput")
    assert flushed.returncode == 0, flushed.stderr
    with deployed.as_owner() as owner:
        assert owner.execute("SELECT count(*) FROM campaigns_donation").fetchone() == (0,)
        assert owner.execute("SELECT count(*) FROM campaigns_expense").fetchone() == (0,)
