"""The browser harness: Debian's Chromium driven by Playwright against ``live_server``.

- One Chromium per test session; a fresh browser context (cookies, storage) per test.
  Playwright's ``launch()`` gives Chromium a new, throw-away user data dir each run.
- Never a browser download: the executable is ``shutil.which("chromium")`` (Debian's
  package). Without it the tests are skipped with the reason shown, except in CI (the ``CI``
  variable set), where they fail: CI must install Chromium (see ``.ci/run``).
- On failure the test's page is saved (screenshot and HTML) under test-artifacts/browser/,
  and the report names the files.
- The quality-gate tools (axe-core, vnu.jar) come from the npm registry through
  tests/browser/package.json (``npm ci`` in the Makefile and .ci/run), never from a CDN.
"""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

# Playwright's sync API runs an asyncio loop in this thread, so Django thinks every ORM call
# from the test body happens in async code. The calls are in fact synchronous and in order.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BROWSER_DIR.parents[1]
ARTIFACTS_DIR = PROJECT_DIR / "test-artifacts" / "browser"
NODE_MODULES = BROWSER_DIR / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require_tool(path: Path, what: str) -> Path:
    """A tool the tests need from tests/browser/node_modules: skip without it, fail in CI."""
    if path.exists():
        return path
    message = f"{what} is missing ({path}); run `npm ci --ignore-scripts` in tests/browser"
    if in_ci():
        pytest.fail(f"CI is set: {message}", pytrace=False)
    pytest.skip(message)


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if path:
        return path
    if in_ci():
        pytest.fail(
            "CI is set but Debian's chromium is not on PATH: .ci/run must install it "
            "(apt-get install chromium). Browser tests fail rather than skip in CI.",
            pytrace=False,
        )
    pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    # Only this run's failures in the folder CI prints.
    shutil.rmtree(ARTIFACTS_DIR, ignore_errors=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class PageProblems:
    """What went wrong while pages loaded: console errors, JS exceptions, failed requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    # Paths of documents that answer with an error status on purpose (the 404 page, the 403
    # page, the CSRF failure page).
    expected_error_paths: set[str] = field(default_factory=set)

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed_requests

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.failed_requests.clear()

    def is_expected(self, url: str) -> bool:
        return urlsplit(url).path in self.expected_error_paths


def _watch(page, problems: PageProblems) -> None:
    def on_console(message):
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        # Chromium logs a document's own error status as a console error: expected for a page
        # that answers 404 or 403 on purpose.
        if problems.is_expected(url) and "the server responded with a status of" in message.text:
            return
        problems.console_errors.append(f"{message.text} ({url})")

    def on_response(response):
        if response.status >= 400 and not problems.is_expected(response.url):
            problems.failed_requests.append(
                f"{response.status} {response.request.method} {response.url}"
            )

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))

    def on_request_failed(request):
        # ERR_ABORTED: the test moved on to the next page before this one finished loading.
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.failed_requests.append(f"{request.failure} {request.method} {request.url}")

    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context, page_problems):
    page = context.new_page()
    _watch(page, page_problems)
    return page


def open_phone(
    browser, live_server, page_problems, *, height=PHONE["height"], language="vi", javascript=True
):
    """A context and page on a 360 px phone screen with touch, in the given language: the one
    way the browser tests open a phone."""
    context = browser.new_context(
        viewport={"width": PHONE["width"], "height": height},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        base_url=live_server.url,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    if language != "vi":
        context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
    page = context.new_page()
    _watch(page, page_problems)
    return context, page


@pytest.fixture
def phone_page(browser, live_server, page_problems):
    """A page on a 360 × 740 phone screen, with touch, as residents mostly use the site."""
    context, page = open_phone(browser, live_server, page_problems)
    yield page
    context.close()


# --- data and settings ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files from the finders; the manifest needs a collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _serialized_rollback(django_db_serialized_rollback):
    """Every browser test is transactional (live_server): see tests/conftest.py."""


@pytest.fixture
def demo(transactional_db):
    """The demo data from the 2023 article (fixtures/), as `make run` loads it."""
    call_command("load_demo", verbosity=0)


@pytest.fixture
def le_loi(demo):
    from registry.models import Initiative

    return Initiative.objects.get(slug="dam-bao-my-quan-do-thi-duong-hoa-le-loi")


@pytest.fixture
def le_loi_photo(le_loi):
    """A photo of the Lê Lợi street, uploaded through the same cleaning as a real upload."""
    from registry.images import process_photo
    from registry.models import Photo
    from tests import factories

    processed = process_photo(
        factories.uploaded_image("hoa-giay.jpg", size=(640, 480), color=(190, 40, 110))
    )
    return Photo.objects.create(
        initiative=le_loi,
        image=processed.image,
        thumbnail=processed.thumbnail,
        alt_text="Chậu hoa giấy dọc đường Lê Lợi",
        caption="Hoa giấy trên đường Lê Lợi",
        credit="Phường Trường Sơn",
    )


# --- artifacts on failure ------------------------------------------------------------------


def _artifact_stem(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid.split("::", 1)[-1])[:150]


def save_page_artifacts(page, name: str) -> list[Path]:
    """Screenshot and HTML of ``page`` under test-artifacts/browser/; returns the files."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    saved = []
    screenshot = ARTIFACTS_DIR / f"{name}.png"
    html = ARTIFACTS_DIR / f"{name}.html"
    try:
        page.screenshot(path=str(screenshot), full_page=True)
        saved.append(screenshot)
    except Exception as exc:  # the page may have crashed: keep what can be kept
        saved.append(Path(f"(no screenshot: {exc})"))
    try:
        html.write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
        saved.append(html)
    except Exception as exc:
        saved.append(Path(f"(no HTML: {exc})"))
    return saved


_saved_artifacts: list[Path] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    pages = [
        value
        for name, value in getattr(item, "funcargs", {}).items()
        if name in ("page", "phone_page") and value is not None
    ]
    lines = []
    for index, page in enumerate(pages):
        stem = _artifact_stem(item.nodeid) + (f"-{index}" if index else "")
        for path in save_page_artifacts(page, stem):
            lines.append(str(path))
            _saved_artifacts.append(path)
    if lines:
        report.sections.append(("browser artifacts", "\n".join(lines)))


def pytest_terminal_summary(terminalreporter):
    if _saved_artifacts:
        terminalreporter.section("browser artifacts")
        terminalreporter.write_line(
            f"Screenshots and HTML of failed browser tests are in {ARTIFACTS_DIR}"
        )


# --- signing in ----------------------------------------------------------------------------


def log_in(page, username: str, password: str = "pw") -> None:
    """Sign in through the site's login page (/accounts/login/), as a person would."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form.stacked-form [type=submit]").click()
    expect(page.locator(".site-nav")).to_contain_text("Đăng xuất")
