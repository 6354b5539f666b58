"""``/healthz``: does every part the site needs answer? For monitoring, not for people.

200 with ``{"status": "ok", "parts": {...}}`` when the database, the cache and the file
stores answer and every migration is applied; 503 with the failed parts named otherwise
(``"failed: <error class>"``; the detail goes to the log, not to an anonymous client). The
job queue is reported as not configured until the site has one.
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("wardmodels.health")

PROBE_FOLDER = ".healthz"

# Applied migrations stay applied for the life of a process running this code; checking
# them costs a load of every migration file, so a success is remembered.
_migrations_applied = False


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not give back what was just stored")
    cache.delete(key)


def check_file_stores() -> None:
    """Write, read back and delete a small file in each store (public and private), on disk
    or in a bucket."""
    for alias in ("default", "private"):
        storage = storages[alias]
        name = storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        try:
            with storage.open(name) as probe:
                if probe.read() != b"ok":
                    raise RuntimeError(f"the {alias} store gave back other bytes")
        finally:
            storage.delete(name)


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    _migrations_applied = True


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "file stores": check_file_stores,
    "migrations": check_migrations,
}


def run_checks() -> dict[str, str]:
    parts = {}
    for name, check in CHECKS.items():
        if name == "migrations" and parts.get("database") != "ok":
            parts[name] = "not checked: no database"
            continue
        try:
            check()
        except Exception as exc:  # any failure of a part is the answer, not a 500
            logger.error("healthz: %s failed: %s: %s", name, type(exc).__name__, exc)
            parts[name] = f"failed: {type(exc).__name__}"
        else:
            parts[name] = "ok"
    parts["job queue"] = "not configured"
    return parts


@never_cache
@require_safe
def healthz(request):
    parts = run_checks()
    failed = [name for name, state in parts.items() if state.startswith(("failed", "not checked"))]
    body = {"status": "failed" if failed else "ok", "failed": failed, "parts": parts}
    return JsonResponse(body, status=503 if failed else 200, json_dumps_params={"indent": 1})
