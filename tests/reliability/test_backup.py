"""Back up the test database, restore it into a fresh database, compare what matters.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` of the machine, into a database
created for the test and dropped afterwards. SQLite: Python's online backup API. Both are
the commands of docs/backup.md.

To compare more after a restore (the ledger's totals, say), add one line to COMPARISONS:
a name and an SQL query whose rows must be identical in the original and the restored copy.
"""

import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from registry.choices import InitiativeStatus
from registry.models import InitiativeTransition
from tests import factories

PROJECT_APPS = ("registry", "campaigns", "auth")

# name → query; each query's rows must be equal before and after the round trip.
COMPARISONS: dict[str, str] = {
    "the register": "SELECT code, slug, title, status, published FROM registry_initiative "
    "ORDER BY code",
    "status history": "SELECT from_status, to_status, reason FROM registry_initiativetransition "
    "ORDER BY id",
    "group permissions": "SELECT g.name, p.codename FROM auth_group g "
    "JOIN auth_group_permissions gp ON gp.group_id = g.id "
    "JOIN auth_permission p ON p.id = gp.permission_id ORDER BY g.name, p.codename",
}


def _row_count_queries() -> dict[str, str]:
    queries = {}
    for label in PROJECT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            table = model._meta.db_table
            queries[f"rows in {table}"] = f'SELECT COUNT(*) FROM "{table}"'
    return queries


def _snapshot(run_query) -> dict[str, list[tuple]]:
    queries = {**_row_count_queries(), **COMPARISONS}
    return {name: [tuple(row) for row in run_query(sql)] for name, sql in queries.items()}


def _django_query(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.fixture
def register(django_db_serialized_rollback, transactional_db):
    """Committed rows (pg_dump runs in another process and sees only committed data).

    The rows are flushed afterwards; serialized rollback puts back what the migrations
    created (groups and their permissions) for the tests that run after this one.
    """
    official = factories.make_official("canbo")
    field = factories.make_field("Văn hoá – xã hội")
    area = factories.make_area("Khu phố Trường Sơn")
    for n in range(3):
        initiative = factories.make_initiative(f"Đường hoa Lê Lợi {n}", field=field)
        initiative.residential_areas.add(area)
    factories.make_initiative("Mô hình dự thảo", status=InitiativeStatus.DRAFT, published=False)
    InitiativeTransition.objects.create(
        initiative=initiative,
        from_status=InitiativeStatus.REGISTERED,
        to_status=InitiativeStatus.IMPLEMENTING,
        by=official,
        reason="Đảng ủy phê duyệt; sao lưu phải giữ nguyên dấu tiếng Việt",
    )
    return initiative


def _pg_args(settings_dict) -> list[str]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    return args


def _pg_env(settings_dict) -> dict:
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _backup_and_restore_postgresql(tmp_path: Path):
    import psycopg

    settings_dict = connection.settings_dict
    for tool in ("pg_dump", "pg_restore"):
        assert shutil.which(tool), f"{tool} is needed for the PostgreSQL backup test"
    dump = tmp_path / "dvk.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            *_pg_args(settings_dict),
            f"--file={dump}",
            settings_dict["NAME"],
        ],
        check=True,
        env=_pg_env(settings_dict),
        capture_output=True,
        timeout=120,
    )
    assert dump.stat().st_size > 0

    fresh = f"restore_{uuid.uuid4().hex[:12]}"
    conninfo = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    conninfo = {k: v for k, v in conninfo.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                *_pg_args(settings_dict),
                f"--dbname={fresh}",
                str(dump),
            ],
            check=True,
            env=_pg_env(settings_dict),
            capture_output=True,
            timeout=120,
        )
        with psycopg.connect(dbname=fresh, **conninfo) as restored:
            return _snapshot(lambda sql: restored.execute(sql).fetchall())
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **conninfo) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def _backup_and_restore_sqlite(tmp_path: Path):
    connection.ensure_connection()
    live = connection.connection  # the sqlite3.Connection Django uses
    backup_file = tmp_path / "dvk-backup.sqlite3"
    with sqlite3.connect(backup_file) as backup:
        live.backup(backup)
    backup.close()
    # Restore: the backup file copied, again with the backup API, into a fresh database.
    restored_file = tmp_path / "dvk-restored.sqlite3"
    source = sqlite3.connect(backup_file)
    restored = sqlite3.connect(restored_file)
    try:
        source.backup(restored)
        assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return _snapshot(lambda sql: restored.execute(sql).fetchall())
    finally:
        source.close()
        restored.close()


def test_a_backup_restores_into_a_fresh_database_with_everything_in_it(register, tmp_path):
    original = _snapshot(_django_query)
    assert original["rows in registry_initiative"] == [(4,)]
    assert original["status history"][-1][2].endswith("giữ nguyên dấu tiếng Việt")

    if connection.vendor == "postgresql":
        restored = _backup_and_restore_postgresql(tmp_path)
    elif connection.vendor == "sqlite":
        restored = _backup_and_restore_sqlite(tmp_path)
    else:  # pragma: no cover - the project runs on these two only
        pytest.fail(f"no backup procedure for {connection.vendor}")

    differences = {
        name: (rows, restored.get(name))
        for name, rows in original.items()
        if restored.get(name) != rows
    }
    assert not differences, differences
