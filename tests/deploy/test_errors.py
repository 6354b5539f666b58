"""Errors are seen: one log line each with time and level, a mail to ADMINS, Sentry when set."""

import http.server
import json
import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from wardmodels.settings import LOGGING, env_admins, env_email

ROOT = Path(__file__).resolve().parents[2]


def test_a_log_record_with_a_traceback_is_one_line_with_time_and_level():
    formatter_config = dict(LOGGING["formatters"]["line"])
    formatter_class = formatter_config.pop("()")
    module, name = formatter_class.rsplit(".", 1)
    formatter = getattr(__import__(module, fromlist=[name]), name)(
        formatter_config["format"], formatter_config["datefmt"]
    )
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, "x", 1, "boom", (), sys.exc_info()
        )
    line = formatter.format(record)
    assert "\n" not in line
    assert " ERROR django.request " in line and "Traceback" in line and "ValueError" in line
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} ", line)  # time and zone


def test_admins_are_read_from_one_variable(monkeypatch):
    monkeypatch.setenv("ADMINS", "Trần Văn An <an@phuong.gov.vn>, bao@example.vn")
    assert env_admins("ADMINS") == [
        ("Trần Văn An", "an@phuong.gov.vn"),
        ("bao@example.vn", "bao@example.vn"),
    ]
    monkeypatch.setenv("ADMINS", "Trần Văn An")
    with pytest.raises(ImproperlyConfigured, match="ADMINS"):
        env_admins("ADMINS")


def test_email_url_gives_the_smtp_settings(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://user%40x.vn:p%40ss@mail.example.vn")
    email = env_email("EMAIL_URL")
    assert email["EMAIL_HOST"] == "mail.example.vn" and email["EMAIL_PORT"] == 587
    assert email["EMAIL_HOST_USER"] == "user@x.vn" and email["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert email["EMAIL_USE_TLS"] and not email["EMAIL_USE_SSL"]
    monkeypatch.setenv("EMAIL_URL", "imap://mail.example.vn")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        env_email("EMAIL_URL")


@pytest.mark.django_db
@pytest.mark.urls("tests.deploy.urls_failing")
def test_an_unhandled_error_is_mailed_to_the_admins(settings):
    settings.ADMINS = [("Quản trị", "quantri@phuong.gov.vn")]
    response = Client(raise_request_exception=False).get("/failing/")
    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["quantri@phuong.gov.vn"]
    assert "RuntimeError" in message.body and "a bug in a view" in message.body


class _Collector(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            import gzip

            body = gzip.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_an_unhandled_error_goes_to_sentry_when_a_dsn_is_set(tmp_path):
    """A real sentry-sdk, sending to a collector on loopback in place of Sentry."""
    pytest.importorskip("sentry_sdk")
    server = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    script = (
        "import django, sentry_sdk; django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment\n"
        "setup_test_environment()\n"
        "from django.conf import settings\n"
        "settings.ROOT_URLCONF = 'tests.deploy.urls_failing'\n"
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {'BACKEND':"
        " 'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n"
        "print(Client(raise_request_exception=False).get('/failing/').status_code)\n"
        "sentry_sdk.flush(timeout=10)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wardmodels.settings",
        "DJANGO_SECRET_KEY": "test-only-not-a-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1",
    }
    try:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("500")
    events = b"\n".join(_Collector.received)
    assert b"a bug in a view" in events and b"RuntimeError" in events
    # No personal data: no cookies or client address sent along.
    assert json.dumps("sessionid")[1:-1].encode() not in events
