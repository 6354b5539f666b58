import os

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Uploaded files go to a throw-away folder per test; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A request that chose English leaves English active in this thread; start each test
    # in the site's default language.
    translation.activate(settings.LANGUAGE_CODE)
    # The page cache has its own cache (CACHES["pages"]): no test sees another's pages.
    caches["pages"].clear()
    # Production uses whitenoise's manifest storage after collectstatic; tests read the
    # files in static/ directly.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _test_speed_and_static(settings):
    """Pages render without `collectstatic`, and passwords hash fast.

    With DEBUG off the manifest storage needs collectstatic's manifest; the finders serve the
    same files. The fast hasher only changes how long `create_user` takes.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def official(db):
    return factories.make_official("canbo")


@pytest.fixture
def committee_member(db):
    return factories.make_committee_member("danguy")


@pytest.fixture
def admin_user(db):
    return factories.make_user("quantri", is_staff=True, is_superuser=True)


@pytest.fixture
def official_client(client, official):
    client.force_login(official)
    return client


@pytest.fixture
def committee_client(client, committee_member):
    client.force_login(committee_member)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _require_serialized_rollback(items):
    """Every transactional test must use serialized rollback.

    A transactional test ends with a flush. Without serialized rollback, Django then re-creates
    content types and permissions (post_migrate) under new ids, and the next test *with*
    serialized rollback fails to put back the rows saved after the migrations ("duplicate key
    … django_content_type"). With it everywhere, every flush leaves the tables empty and every
    transactional test starts from the migrated state.
    """
    wrong = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        names = getattr(item, "fixturenames", ())
        transactional = (
            (marker is not None and marker.kwargs.get("transaction"))
            or "transactional_db" in names
            or "live_server" in names
        )
        serialized = (
            marker is not None and marker.kwargs.get("serialized_rollback")
        ) or "django_db_serialized_rollback" in names
        if transactional and not serialized:
            wrong.append(item.nodeid)
    if wrong:
        raise pytest.UsageError(
            "Transactional tests without serialized rollback (see tests/conftest.py):\n"
            + "\n".join(wrong)
        )


def _browser_tests_last(items):
    """Run the browser tests after every other test.

    After a browser test, the connection object Django hands out no longer carries the
    serialized contents that transactional tests restore from (seen: a later test with
    serialized rollback started without the permission groups of the data migrations;
    Playwright's synchronous API runs in a greenlet, and Django's connection handler is an
    asgiref ``Local``). Run last, they leave no test behind them.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


# --- PostgreSQL-only tests ---------------------------------------------------------------
#
# `@pytest.mark.postgresql(reason="…")` marks a test that only PostgreSQL can run (row locks
# between connections, the planner, the server's restart). On SQLite it is skipped with its
# reason. On PostgreSQL it must run: in CI (`CI` set) a skip of such a test, whatever raised
# it, fails the run, so the PostgreSQL pass proves it ran them; the summary counts them.

_PG_ONLY = pytest.StashKey[dict]()


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    _require_serialized_rollback(items)
    _browser_tests_last(items)
    config.stash[_PG_ONLY] = {"ran": 0, "skipped": []}
    if _on_postgresql():
        return
    for item in items:
        marker = item.get_closest_marker("postgresql")
        if marker is not None:
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {marker.kwargs['reason']}"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if item.get_closest_marker("postgresql") is None or not _on_postgresql():
        return report
    counts = item.config.stash.get(_PG_ONLY, None)
    if report.skipped and counts is not None:
        counts["skipped"].append(item.nodeid)
        if os.environ.get("CI"):
            report.outcome = "failed"
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            report.longrepr = (
                f"{item.nodeid} is PostgreSQL-only and was skipped in CI's PostgreSQL pass: "
                f"{reason}"
            )
    elif report.when == "call" and report.passed and counts is not None:
        counts["ran"] += 1
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = config.stash.get(_PG_ONLY, None)
    if counts is None or not _on_postgresql():
        return
    terminalreporter.section("PostgreSQL-only tests")
    terminalreporter.write_line(f"{counts['ran']} passed, {len(counts['skipped'])} skipped")
    for nodeid in counts["skipped"]:
        terminalreporter.write_line(f"skipped: {nodeid}")
