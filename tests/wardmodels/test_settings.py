"""Start-up refuses a malformed configuration with a message that names the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.DEBUG)"
)


def start(**env):
    """Load the settings in a fresh interpreter, as `manage.py` or gunicorn would."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "wardmodels.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_fails_without_a_secret_key_outside_debug():
    result = start()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_needs_no_secret_key():
    result = start(DJANGO_DEBUG="on")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "wardmodels.db_backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "True",
    ]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://root@localhost/x"),
        ("DATABASE_URL", "not a url"),
        ("CACHE_URL", "memcached://127.0.0.1"),
        ("DJANGO_ALLOWED_HOSTS", " , "),
        ("PHOTO_MAX_BYTES", "ten megabytes"),
    ],
)
def test_a_malformed_value_stops_start_up_and_names_the_variable(variable, value):
    result = start(DJANGO_SECRET_KEY="s" * 50, **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.strip().splitlines()[-1]


def test_postgres_and_redis_urls_select_their_backends():
    result = start(
        DJANGO_SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://root@127.0.0.1:5432/test",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == [
        "wardmodels.db_backends.postgresql",
        "wardmodels.cache.RedisCache",
    ]


def test_time_zone_language_and_formats(settings):
    from django.utils import formats, translation

    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    import datetime as dt

    with translation.override("vi"):
        assert formats.date_format(dt.date(2023, 4, 1), "SHORT_DATE_FORMAT") == "01/04/2023"
    with translation.override("en"):
        assert formats.date_format(dt.date(2023, 4, 1), "SHORT_DATE_FORMAT") == "01/04/2023"


def test_money_and_figures_print_the_vietnamese_way():
    from registry.formatting import million_dong, number, vnd

    assert vnd(310_000_000) == "310.000.000\u00a0₫"
    assert vnd(0) == "0\u00a0₫"
    assert vnd(-5_000) == "-5.000\u00a0₫"
    assert million_dong(310_000_000) == "310 triệu đồng"
    assert number("310.00") == "310"
    assert number("2.50") == "2,5"
    assert number(12000) == "12.000"
