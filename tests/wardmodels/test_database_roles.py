"""Which role each process connects as: DATABASE_URL for the site, DATABASE_OWNER_URL for the
commands that change the schema or lift the ledger's guard (docs/deploy.md).

The settings are loaded in a fresh interpreter whose ``sys.argv`` is that of the process under
test (``manage.py migrate``, gunicorn, …); nothing connects to a database.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
APP = "postgres://dvk_app@db.internal:5432/dvk"
OWNER = "postgres://dvk:secret@db.internal:5432/dvk"

PROBE = (
    "import sys; sys.argv = {argv!r}; import wardmodels.settings as s; "
    "print(s.DATABASES['default']['USER'], s.DATABASE_APP_ROLE)"
)


def start(argv, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        cwd=ROOT,
        env={**clean, "DJANGO_SECRET_KEY": "s" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("argv", "role"),
    [
        (["manage.py", "migrate", "--noinput"], "dvk"),
        (["/srv/dvk/manage.py", "flush"], "dvk"),
        (["manage.py", "rebuild_ledger_totals"], "dvk"),
        (["manage.py", "load_demo"], "dvk"),
        (["manage.py", "dbshell"], "dvk"),
        (["/srv/dvk/.venv/bin/django-admin", "grant_app_role"], "dvk"),
        (["/usr/lib/python3/site-packages/django/__main__.py", "migrate"], "dvk"),
        (["/srv/dvk/.venv/bin/gunicorn", "wardmodels.wsgi"], "dvk_app"),
        (["manage.py", "erase_feedback_contacts"], "dvk_app"),
        (["manage.py", "shell"], "dvk_app"),
        (["manage.py", "check", "--deploy"], "dvk_app"),
        (["manage.py"], "dvk_app"),
        (["cron.py", "migrate"], "dvk_app"),
    ],
)
def test_only_the_schema_and_maintenance_commands_connect_as_the_owner(argv, role):
    result = start(argv, DATABASE_URL=APP, DATABASE_OWNER_URL=OWNER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [role, "dvk_app"]


def test_without_an_owner_url_one_role_does_everything():
    result = start(["manage.py", "migrate"], DATABASE_URL=APP)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["dvk_app", "None"]


def test_the_same_role_in_both_urls_is_one_role():
    result = start(["manage.py", "migrate"], DATABASE_URL=OWNER, DATABASE_OWNER_URL=OWNER)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["dvk", "None"]


@pytest.mark.parametrize(
    ("app", "owner", "message"),
    [
        (APP, "postgres://dvk@db.internal:5432/other", "same database"),
        (APP, "postgres://dvk@db.internal:6432/dvk", "same database"),
        ("sqlite:///db.sqlite3", OWNER, "is for PostgreSQL"),
        (APP, "sqlite:///db.sqlite3", "is for PostgreSQL"),
        ("postgres://db.internal:5432/dvk", OWNER, "name their role"),
        (APP, "mysql://dvk@db.internal/dvk", "use sqlite:///path or postgres://"),
    ],
)
def test_an_owner_url_that_does_not_fit_stops_start_up(app, owner, message):
    result = start(["/srv/dvk/.venv/bin/gunicorn"], DATABASE_URL=app, DATABASE_OWNER_URL=owner)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "DATABASE_OWNER_URL" in last_line and message in last_line


@pytest.mark.django_db
def test_grant_app_role_explains_what_it_needs():
    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="PostgreSQL only"):
            call_command("grant_app_role", "dvk_app")
    else:  # the test suite runs with one role and no DATABASE_OWNER_URL
        with pytest.raises(CommandError, match="Name the application's role"):
            call_command("grant_app_role")
