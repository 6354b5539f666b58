"""Production settings, checked in fresh processes with production environment variables.

Settings are read once at import, so each case runs `manage.py` or a short script in a
subprocess with its own environment, exactly as an operator would start the site.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_HTTPS": "on",
    "DJANGO_ALLOWED_HOSTS": "dvk.example.vn",
    "DJANGO_DEBUG": "off",
}


def _run(args, **env):
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "LOGIN_"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production(**extra):
    return {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **extra}


def test_production_settings_pass_the_deploy_check_at_warning_level():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_without_https_so_it_cannot_pass_by_accident():
    env = _production(DJANGO_HTTPS="off")
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_the_deploy_check_fails_with_a_weak_secret_key():
    env = _production(DJANGO_SECRET_KEY="short")
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_start_up_without_a_secret_key_fails_naming_the_variable():
    env = {**PRODUCTION_ENV}
    result = _run(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_a_malformed_https_switch_fails_naming_the_variable():
    result = _run(["manage.py", "check"], **_production(DJANGO_HTTPS="maybe"))
    assert result.returncode != 0
    assert "DJANGO_HTTPS='maybe' is not a boolean" in result.stderr


# A production process answering requests through Django's test client: no database needed
# for the login page, which sets the CSRF cookie.
_PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["dvk.example.vn", "testserver"]  # the test client's host too
    # No collectstatic here: find static files instead of reading the manifest.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    plain = Client(HTTP_HOST="dvk.example.vn").get("/accounts/login/")
    secure = Client(HTTP_HOST="dvk.example.vn").get("/accounts/login/", secure=True)
    proxied = Client(HTTP_HOST="dvk.example.vn").get(
        "/accounts/login/", HTTP_X_FORWARDED_PROTO="https"
    )
    csrf = secure.cookies.get(settings.CSRF_COOKIE_NAME)
    print(json.dumps({
        "plain_status": plain.status_code,
        "plain_location": plain.get("Location"),
        "secure_status": secure.status_code,
        "hsts": secure.get("Strict-Transport-Security"),
        "proxied_status": proxied.status_code,
        "csrf_cookie": csrf.output() if csrf else None,
        "session_cookie_name": settings.SESSION_COOKIE_NAME,
        "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
        "session_cookie_domain": settings.SESSION_COOKIE_DOMAIN,
        "session_cookie_path": settings.SESSION_COOKIE_PATH,
        "debug": settings.DEBUG,
    }))
    """
)


def _probe(**env):
    result = _run(
        ["-c", _PROBE],
        DJANGO_SETTINGS_MODULE="wardmodels.settings",
        DATABASE_URL="sqlite:///:memory:",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_http_to_https_and_sends_hsts():
    probe = _probe(**_production())
    assert probe["debug"] is False
    assert probe["plain_status"] == 301
    assert probe["plain_location"] == "https://dvk.example.vn/accounts/login/"
    assert probe["secure_status"] == 200
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_production_cookies_are_host_only_secure_cookies():
    probe = _probe(**_production())
    cookie = probe["csrf_cookie"]
    assert cookie.startswith("Set-Cookie: __Host-csrftoken=")
    assert "Secure" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie
    assert probe["session_cookie_name"] == "__Host-sessionid"
    assert probe["session_cookie_secure"] is True
    assert probe["session_cookie_domain"] is None
    assert probe["session_cookie_path"] == "/"


def test_behind_a_proxy_its_https_header_is_trusted_only_when_configured():
    untrusted = _probe(**_production())
    assert untrusted["proxied_status"] == 301
    trusted = _probe(**_production(DJANGO_SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"))
    assert trusted["proxied_status"] == 200


def test_development_defaults_keep_plain_http_working():
    """`make test`, runserver and pytest's live_server speak plain http on loopback."""
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
