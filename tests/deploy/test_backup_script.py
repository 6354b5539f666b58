"""deploy/backup.sh: back up → wipe → restore gives back every row, the ledger's totals and
both file stores byte for byte; it keeps only the newest BACKUP_KEEP backups.

The site runs in a child process on a database of its own (SQLite file, or a PostgreSQL
database created for the test when DATABASE_URL is PostgreSQL), with the demo loaded.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "backup.sh"

SNAPSHOT = """
import json, django
django.setup()
from django.apps import apps
from django.db.models import Sum
from campaigns.models import Donation, Expense, LedgerMonth
counts = {
    m._meta.label: m.objects.count()
    for m in apps.get_models()
    if m._meta.app_label in {"registry", "participation", "campaigns", "auth"}
}
totals = {
    "donations": Donation.objects.aggregate(s=Sum("amount"))["s"],
    "expenses": Expense.objects.aggregate(s=Sum("amount"))["s"],
    "months": sorted(LedgerMonth.objects.values_list("public_amount", "registered_amount")),
}
print(json.dumps({"counts": counts, "totals": totals}, default=str))
"""


def _checksums(*roots: Path) -> dict[str, str]:
    return {
        f"{root.name}/{path.relative_to(root)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def database():
    """A database URL of the test's own, and how to wipe it."""
    main = os.environ.get("DATABASE_URL", "")
    if not main.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    name = f"backupkit_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(main)
    admin_url = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_wipe_restore_gives_back_rows_ledger_totals_and_files(tmp_path, database):
    site = tmp_path / "srv"
    (site / "media" / "photos").mkdir(parents=True)
    (site / "private_media" / "dossiers").mkdir(parents=True)
    (site / "media" / "photos" / "hoa.jpg").write_bytes(os.urandom(2048))
    (site / "private_media" / "dossiers" / "ho-so.pdf").write_bytes(b"%PDF " + os.urandom(512))
    (site / "private_media" / "feedback").mkdir()
    (site / "private_media" / "feedback" / "anh.webp").write_bytes(os.urandom(700))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wardmodels.settings",
        "DJANGO_SECRET_KEY": "backup-test-" + "x" * 40,
        "DATABASE_URL": database or f"sqlite:///{site / 'db.sqlite3'}",
        "MEDIA_ROOT": str(site / "media"),
        "PRIVATE_MEDIA_ROOT": str(site / "private_media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "BACKUP_KEEP": "2",
        "PYTHON": sys.executable,
        "PYTHONPATH": str(ROOT),
    }

    def run(*args, **kwargs):
        result = subprocess.run(
            [str(a) for a in args], cwd=site, env=env, capture_output=True, text=True,
            timeout=300, **kwargs,
        )  # fmt: skip
        assert result.returncode == 0, f"{args}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        return result.stdout

    manage = [sys.executable, ROOT / "manage.py"]
    run(*manage, "migrate", "--noinput")
    run(*manage, "load_demo")
    before = json.loads(run(sys.executable, "-c", SNAPSHOT))
    files_before = _checksums(site / "media", site / "private_media")
    assert before["counts"]["registry.Initiative"] == 6 and before["totals"]["donations"]
    assert len(files_before) == 3

    folders = [Path(run(SCRIPT, "backup").strip().splitlines()[-1]) for _ in range(3)]
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == sorted(f.name for f in folders[-2:])  # BACKUP_KEEP=2: the oldest went

    # Wipe: the database emptied, both file stores gone.
    run(*manage, "flush", "--noinput")
    shutil.rmtree(site / "media")
    shutil.rmtree(site / "private_media")
    assert json.loads(run(sys.executable, "-c", SNAPSHOT))["counts"]["registry.Initiative"] == 0

    run(SCRIPT, "restore", folders[-1])
    assert json.loads(run(sys.executable, "-c", SNAPSHOT)) == before
    assert _checksums(site / "media", site / "private_media") == files_before
    run(*manage, "rebuild_ledger_totals", "--check")


def test_restore_refuses_a_damaged_backup(tmp_path):
    folder = tmp_path / "20270101T000000Z"
    folder.mkdir()
    (folder / "media.tar.gz").write_bytes(b"one")
    (folder / "SHA256SUMS").write_text(hashlib.sha256(b"other").hexdigest() + "  media.tar.gz\n")
    result = subprocess.run(
        [SCRIPT, "restore", folder], env={**os.environ, "DATABASE_URL": "sqlite:///x.sqlite3"},
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0 and not (tmp_path / "x.sqlite3").exists()
