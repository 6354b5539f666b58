"""``/healthz`` answers monitoring: 200 and every part named when all answer, 503 naming the
part that does not (a real outage: the cache points at a closed port)."""

import json
import socket

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from wardmodels import health
from wardmodels.cache import UNAVAILABLE
from wardmodels.settings import env_cache

pytestmark = pytest.mark.django_db

WORKING = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PARTS = {"database", "cache", "file stores", "migrations", "job queue"}


@pytest.fixture(autouse=True)
def _stores(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = WORKING
    health._migrations_applied = False
    yield
    settings.CACHES = WORKING
    health._migrations_applied = False


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


def test_healthz_answers_200_naming_every_part_when_all_answer(client, settings, tmp_path):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["parts"]) == PARTS
    assert body["parts"]["job queue"] == "not configured"
    assert all(body["parts"][part] == "ok" for part in PARTS - {"job queue"})
    # The probes leave no file behind in either store.
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        probes = list((root / health.PROBE_FOLDER).glob("*")) if root.exists() else []
        assert probes == []


def test_healthz_answers_503_naming_the_cache_when_it_is_stopped(client, settings, monkeypatch):
    monkeypatch.setenv("WARDMODELS_TEST_DOWN_CACHE", f"redis://127.0.0.1:{_closed_port()}/0")
    settings.CACHES = {"default": env_cache("WARDMODELS_TEST_DOWN_CACHE", "locmem://")}
    with pytest.raises(UNAVAILABLE):
        cache.get("anything")  # the outage is real
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failed" and body["failed"] == ["cache"]
    assert body["parts"]["cache"].startswith("failed: ")
    assert body["parts"]["database"] == "ok" and body["parts"]["file stores"] == "ok"


def test_healthz_answers_503_naming_a_file_store_it_cannot_write(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the private store's folder should be")
    settings.PRIVATE_MEDIA_ROOT = blocked
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["failed"] == ["file stores"]


def test_healthz_answers_503_naming_migrations_not_yet_applied(client):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="registry").order_by("-id").first()
    recorder.record_unapplied(latest.app, latest.name)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert (
        body["failed"] == ["migrations"] and body["parts"]["migrations"] == "failed: RuntimeError"
    )


def test_healthz_is_answered_over_plain_http_when_https_is_on(settings):
    """Monitoring asks on loopback behind the proxy: a redirect would hide the answer."""
    from django.test import Client

    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
