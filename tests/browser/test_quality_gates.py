"""Every public page and the main workspace pages: accessible (axe-core, WCAG 2.1 A and AA),
valid HTML (Nu HTML Checker), no console error or failed request while they load, and the
workspace fits a phone screen.

Each test visits all the pages and reports every page's problems at once, so one run shows
the whole list to fix. Public pages are visited signed out; then an official signs in
(through the login page) and the workspace pages are visited.

To put a page under the gates, add ONE line to ``public_pages`` or ``WORKSPACE_PAGES``
(workspace pages are also checked on a phone screen: ``PHONE_PAGES``). A workspace page
gets its objects from the ``Sample`` built by ``workspace_sample``: add what it needs there.
"""

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from registry.choices import OversightKind
from registry.models import Initiative, OversightActivity
from tests import factories
from tests.browser.conftest import AXE_JS, DESKTOP, PHONE, VNU_JAR, log_in, require_tool

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MISSING_PAGE = "/mo-hinh/khong-co-mo-hinh-nay/"
OFFICIAL = "canbo_kiemtra"


@dataclass(frozen=True)
class Visit:
    """A page to check: GET ``path``; with ``submit``, then fill those fields (by name) and
    press the page's save button, to check the page the server sends back (a form shown again
    with its errors)."""

    path: str
    submit: dict[str, str] | None = None
    status: int = 200


@dataclass
class Sample:
    """The objects workspace pages are shown for (the demo data plus a little more)."""

    initiative: Initiative


def public_pages(le_loi) -> dict[str, Visit]:
    """name → page a resident (or a signed-out official) can reach."""
    return {
        "home": Visit("/"),
        "registry": Visit("/mo-hinh/"),
        "search": Visit("/mo-hinh/?q=duong+hoa+le+loi"),
        "filtered": Visit("/mo-hinh/?field=2&status=implementing"),
        "invalid-filter": Visit("/mo-hinh/?field=999999"),
        "model": Visit(le_loi.get_absolute_url()),
        "report": Visit("/bao-cao/"),  # the public summary (issue 6)
        "login": Visit("/accounts/login/"),
        "login-failed": Visit("/accounts/login/", submit={"username": OFFICIAL, "password": "x"}),
        "not-found": Visit(MISSING_PAGE, status=404),
    }


def _ws(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


# name → page of the workspace, as the signed-in official sees it. One line per page.
WORKSPACE_PAGES: dict[str, Callable[[Sample], Visit]] = {
    "ws-dashboard": lambda s: Visit(_ws("dashboard")),
    "ws-models": lambda s: Visit(_ws("initiative-list")),
    "ws-models-filtered": lambda s: Visit(_ws("initiative-list") + "?status=implementing"),
    "ws-create": lambda s: Visit(_ws("initiative-create")),
    "ws-create-errors": lambda s: Visit(
        _ws("initiative-create"),
        submit={"title": "", "indicators-0-label": "Chậu hoa", "indicators-0-target": "-5"},
    ),
    "ws-model": lambda s: Visit(_ws("initiative-detail", s.initiative.pk)),
    "ws-edit": lambda s: Visit(_ws("initiative-edit", s.initiative.pk)),
    "ws-history": lambda s: Visit(_ws("initiative-history", s.initiative.pk)),
    "ws-oversight": lambda s: Visit(_ws("oversight", s.initiative.pk)),
    "ws-ledger-index": lambda s: Visit(_ws("ledger-index")),
    "ws-ledger": lambda s: Visit(_ws("ledger", s.initiative.pk)),
    "ws-reviews": lambda s: Visit(_ws("initiative-reviews", s.initiative.pk)),
    "ws-rounds": lambda s: Visit(_ws("round-list")),
    "ws-score-sheet": lambda s: Visit(_ws("score-sheet", _demo_round_pk())),
    "ws-commendations": lambda s: Visit(_ws("commendation-list")),
    "ws-commendation-create": lambda s: Visit(_ws("commendation-create")),
    "ws-report": lambda s: Visit(_ws("report")),
}


def _demo_round_pk() -> int:
    from campaigns.models import ReviewRound

    return ReviewRound.objects.order_by("pk").first().pk


# Pages that must fit a 360 px phone screen without the page scrolling sideways (wide
# tables scroll inside their .table-wrap): every workspace page, the dashboard and the
# create form first of all.
PHONE_PAGES = list(WORKSPACE_PAGES)


@pytest.fixture
def workspace_sample(le_loi_photo):
    """Lê Lợi (demo data, with a photo), an open follow-up and an edit in its history."""
    official = factories.make_official(OFFICIAL)
    initiative = le_loi_photo.initiative
    OversightActivity.objects.create(
        initiative=initiative,
        kind=OversightKind.INSPECTION,
        happened_on=dt.date(2023, 5, 10),
        note="Kiểm tra việc chăm sóc hoa giấy; 12 chậu cần thay.",
        follow_up_due=dt.date(2023, 5, 31),
        by=official,
    )
    initiative.summary += " Các hộ dân tự chăm sóc."
    initiative._history_user = official
    initiative.save()
    return Sample(initiative=initiative)


def all_pages(sample: Sample) -> list[tuple[str, Visit, bool]]:
    """(name, visit, signed in) for every page, public ones first."""
    pages = [(name, visit, False) for name, visit in public_pages(sample.initiative).items()]
    pages += [(name, build(sample), True) for name, build in WORKSPACE_PAGES.items()]
    return pages


def open_page(page, visit: Visit, problems):
    """Load the page in the browser; returns the response for the document checked."""
    if visit.status == 404:
        problems.expected_error_paths.add(visit.path)
    response = page.goto(visit.path, wait_until="load")
    if visit.submit is not None:
        assert response.status == 200, f"{visit.path} answered {response.status}"
        for name, value in visit.submit.items():
            page.locator(f"main form [name='{name}']").fill(value)
        with page.expect_navigation(wait_until="load") as navigation:
            page.locator("main form[method=post] button[type=submit]").last.click()
        response = navigation.value
    assert response.status == visit.status, f"{visit.path} answered {response.status}"
    assert_not_redirected(response, visit)
    return response


def assert_not_redirected(response, visit: Visit) -> None:
    """A workspace page that sent the browser to the login page is not the page checked."""
    assert urlsplit(response.url).path == urlsplit(visit.path).path, (
        f"{visit.path} ended at {response.url}"
    )


class Signer:
    """Signs the official in once, when the first workspace page comes."""

    def __init__(self, page):
        self.page = page
        self.signed_in = False

    def __call__(self, signed_in: bool):
        if signed_in and not self.signed_in:
            log_in(self.page, OFFICIAL)
            self.signed_in = True
        assert signed_in == self.signed_in, "public pages come before workspace pages"


def test_pages_have_no_accessibility_violations(page, workspace_sample, page_problems):
    """axe-core finds no WCAG 2.1 A or AA violation on any page, phone or desktop width."""
    axe = require_tool(AXE_JS, "axe-core").read_text(encoding="utf-8")
    sign = Signer(page)
    report = {}
    for name, visit, signed_in in all_pages(workspace_sample):
        sign(signed_in)
        page.set_viewport_size(PHONE)
        open_page(page, visit, page_problems)
        # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self',
        # no inline) does not block, unlike an injected <script> tag.
        page.evaluate(axe)
        # The same document at both widths: resizing lays it out again, no reload needed.
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            results = page.evaluate(
                """async (tags) => {
                    const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                    return {
                        passes: results.passes.length,
                        violations: results.violations.map(v => ({
                            id: v.id,
                            impact: v.impact,
                            help: v.help,
                            nodes: v.nodes.slice(0, 5).map(
                                n => n.target.join(" ") + ": " + n.failureSummary
                            ),
                        })),
                    };
                }""",
                WCAG_TAGS,
            )
            assert results["passes"] > 10, f"axe-core checked next to nothing on {visit.path}"
            if results["violations"]:
                report[f"{name} @{viewport['width']}px ({visit.path})"] = results["violations"]
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=2)


def test_pages_are_valid_html(page, workspace_sample, page_problems, tmp_path):
    """The Nu HTML Checker reports no error on the HTML the server sends for each page."""
    vnu = require_tool(VNU_JAR, "vnu.jar (npm package vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not on PATH: the Nu HTML Checker needs it", pytrace=False)
    sign = Signer(page)
    files = {}
    for name, visit, signed_in in all_pages(workspace_sample):
        sign(signed_in)
        if visit.submit is None:
            response = page.request.get(visit.path)  # the bytes sent, without rendering
            assert response.status == visit.status, visit.path
            assert_not_redirected(response, visit)
        else:
            response = open_page(page, visit, page_problems)
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(response.body())

    # One JVM for all the pages: starting Java is most of the checker's time.
    run = subprocess.run(
        # --no-langdetect: language guessing only ever gives warnings, and takes seconds.
        [java, "-jar", str(vnu), "--errors-only", "--no-langdetect", "--format", "json", "--stdout"]
        + [str(f) for f in files.values()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
        f" [{m.get('extract', '').strip()}]"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0, run.stderr


def test_pages_load_without_console_errors_or_failed_requests(
    page, workspace_sample, page_problems
):
    """No JavaScript error, console error, failed or 4xx/5xx sub-request on any page."""
    sign = Signer(page)
    report = {}
    for name, visit, signed_in in all_pages(workspace_sample):
        sign(signed_in)
        page_problems.clear()
        open_page(page, visit, page_problems)
        # Scroll to the end so lazy images load too, then wait until nothing is in flight.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        if page_problems.all():
            report[f"{name} ({visit.path})"] = page_problems.all()
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=2)


def test_workspace_pages_fit_a_phone_screen(phone_page, workspace_sample, page_problems):
    """At 360 × 740 the page never scrolls sideways; only tables scroll, inside .table-wrap."""
    log_in(phone_page, OFFICIAL)
    too_wide = {}
    for name in PHONE_PAGES:
        visit = WORKSPACE_PAGES[name](workspace_sample)
        open_page(phone_page, visit, page_problems)
        # A phone browser widens its layout viewport to fit what sticks out (and zooms out),
        # so compare with the screen's 360 px, not with window.innerWidth.
        widths = phone_page.evaluate(
            """(screen) => ({
                page: document.documentElement.scrollWidth,
                body: document.body.scrollWidth,
                wide: [...document.querySelectorAll("body *")]
                    .filter(el => el.getBoundingClientRect().right > screen + 1)
                    .filter(el => !el.closest(".table-wrap"))
                    .slice(0, 8)
                    .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                         + (el.className ? "." + String(el.className).split(" ").join(".") : "")
                         + " (" + Math.round(el.getBoundingClientRect().right) + " px)"),
            })""",
            PHONE["width"],
        )
        if max(widths["page"], widths["body"]) > PHONE["width"] or widths["wide"]:
            too_wide[f"{name} ({visit.path})"] = widths
    assert too_wide == {}, json.dumps(too_wide, ensure_ascii=False, indent=2)
