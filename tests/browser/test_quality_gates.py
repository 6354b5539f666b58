"""Every public page and the main workspace pages: accessible (axe-core, WCAG 2.1 A and AA),
valid HTML (Nu HTML Checker), no console error or failed request while they load, and the
workspace fits a phone screen.

Each test visits all the pages and reports every page's problems at once, so one run shows
the whole list to fix. Public pages are visited signed out; then an official signs in
(through the login page) and the workspace pages are visited.

To put a page under the gates, add ONE line to ``public_pages`` or ``WORKSPACE_PAGES``
(workspace pages are also checked on a phone screen: ``PHONE_PAGES``). A workspace page
gets its objects from the ``Sample`` built by ``workspace_sample``: add what it needs there.

``test_every_page_is_under_the_gates`` walks the URL resolver: every URL pattern is either
visited by a gate or listed in ``NOT_GATED`` with the reason, so a new page without a gate
fails that test.
"""

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from campaigns.models import Commendation
from campaigns.review_choices import CommendationStatus
from registry import workflow
from registry.choices import InitiativeStatus, OversightKind
from registry.models import Initiative, Milestone, OversightActivity
from tests import factories
from tests.browser.conftest import AXE_JS, DESKTOP, PHONE, VNU_JAR, log_in, require_tool
from tests.campaigns.factories_reviews import make_commendation

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
    # The form whose fields ``submit`` fills and whose last submit button is pressed.
    form: str = "main form[method=post]"
    # Spoil the form's CSRF token before sending it: the answer is the CSRF failure page.
    spoil_csrf: bool = False
    # Where the page checked is, when it is not ``path`` (a form sent to another URL).
    answered_at: str | None = None

    @property
    def checked_path(self) -> str:
        return urlsplit(self.answered_at or self.path).path


@dataclass
class Sample:
    """The objects workspace pages are shown for (the demo data plus a little more)."""

    initiative: Initiative
    draft: Initiative  # a model residents cannot see yet (the preview)
    commendation: Commendation  # a draft: the dossier upload form
    decided_commendation: Commendation  # decided, with a printable certificate
    milestone: Milestone  # a draft milestone of Lê Lợi, with a photo
    published_milestone: Milestone  # published, with before and after photos


def public_pages(le_loi) -> dict[str, Visit]:
    """name → page a resident (or a signed-out official) can reach."""
    return {
        "home": Visit("/"),
        "registry": Visit("/mo-hinh/"),
        "search": Visit("/mo-hinh/?q=duong+hoa+le+loi"),
        "filtered": Visit("/mo-hinh/?field=2&status=implementing"),
        "invalid-filter": Visit("/mo-hinh/?field=999999"),
        "model": Visit(le_loi.get_absolute_url()),
        "timeline": Visit(reverse("public:initiative-timeline", args=[le_loi.slug])),
        "registry-progress-filter": Visit("/mo-hinh/?progress=75-99&stale=1"),
        "report": Visit("/bao-cao/"),  # the public summary
        "opendata": Visit("/du-lieu-mo/"),
        "opendata-unknown-file": Visit("/du-lieu-mo/v1/khong-co.csv", status=404),
        "poster": Visit(reverse("public:initiative-poster", kwargs={"slug": le_loi.slug})),
        "notice": Visit(
            reverse(
                "public:initiative-notice", kwargs={"slug": le_loi.slug, "year": 2023, "month": 4}
            )
        ),
        "feedback-list": Visit("/gop-y/"),
        "feedback-list-filtered": Visit("/gop-y/?kind=question&answered=1"),
        "feedback-form": Visit(reverse("public:feedback-submit", args=[le_loi.slug])),
        # The form on the model's page sent with bad input: the form again, with messages.
        "feedback-form-errors": Visit(
            le_loi.get_absolute_url(),
            submit={"text": "Quá ngắn", "phone": "123"},
            form="form.feedback-form",
            status=400,
            answered_at=reverse("public:feedback-submit", args=[le_loi.slug]),
        ),
        "feedback-track": Visit(_answered_feedback_url(le_loi)),
        "feedback-start": Visit("/gop-y/gui/?q=hoa+le+loi"),
        "feedback-ward": Visit(reverse("public:feedback-ward")),
        "feedback-ward-errors": Visit(
            reverse("public:feedback-ward"),
            submit={"text": "Quá ngắn"},
            form="form.feedback-form",
            status=400,
        ),
        # A wrong or cut private link: the page that says what to do.
        "feedback-not-found": Visit("/gop-y/GY-2020-999999/?t=sai", status=404),
        "login": Visit("/accounts/login/"),
        "login-failed": Visit("/accounts/login/", submit={"username": OFFICIAL, "password": "x"}),
        "not-found": Visit(MISSING_PAGE, status=404),
        # A form sent with a spoiled CSRF token (a page left open too long): the language
        # switch every page has, so the answer comes from /i18n/setlang/.
        "csrf-failure": Visit(
            "/",
            submit={},
            form="form.language-switch",
            spoil_csrf=True,
            status=403,
            answered_at=reverse("set_language"),
        ),
    }


def _answered_feedback_url(initiative) -> str:
    """A resident's private tracking page of an answered, published item (with its rating
    form); a new item each call (the text differs, so it is not taken for a duplicate)."""
    from participation import workflow as feedback_workflow
    from participation.models import Feedback

    official = factories.make_official()
    feedback, token = feedback_workflow.feedback_submit(
        initiative=initiative,
        kind="question",
        text="Xin hỏi bao giờ trồng thêm chậu hoa giấy ở đoạn gần cầu? "
        f"({Feedback.objects.count()})",
    )
    feedback_workflow.feedback_receive(feedback=feedback, by=official)
    feedback_workflow.feedback_answer(feedback=feedback, by=official, text="Tháng sau, 40 chậu.")
    feedback_workflow.feedback_publish(feedback=feedback, by=official, public_text=feedback.text)
    return reverse("public:feedback-track", args=[feedback.code]) + f"?t={token}"


def _received_feedback_pk(initiative) -> int:
    """An item received by the ward (the answer, publish and assign forms show)."""
    from participation import workflow as feedback_workflow
    from participation.models import Feedback

    feedback, _token = feedback_workflow.feedback_submit(
        initiative=initiative,
        kind="complaint",
        text="Một số hộ để chậu hoa lấn ra lòng đường, xe máy khó đi. "
        f"({Feedback.objects.count()})",
        name="Lê Văn Nam",
        phone="0912345678",
        contact_consent=True,
    )
    feedback_workflow.feedback_receive(feedback=feedback, by=factories.make_official())
    return feedback.pk


def _area_pk(initiative) -> int:
    from registry.models import ResidentialArea

    area, _ = ResidentialArea.objects.get_or_create(
        name="Hải Thượng", kind="group", admin_unit=initiative.admin_unit
    )
    return area.pk


def _standing_donation_pk(sample) -> int:
    from campaigns.models import Donation

    return Donation.objects.standing().filter(initiative=sample.initiative).first().pk


def _ws(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


# name → page of the workspace, as the signed-in official sees it. One line per page.
WORKSPACE_PAGES: dict[str, Callable[[Sample], Visit]] = {
    "ws-dashboard": lambda s: Visit(_ws("dashboard")),
    "ws-draft-poster": lambda s: Visit(
        reverse("public:initiative-poster", kwargs={"slug": s.draft.slug})
    ),
    "ws-models": lambda s: Visit(_ws("initiative-list")),
    "ws-models-filtered": lambda s: Visit(_ws("initiative-list") + "?status=implementing"),
    "ws-create": lambda s: Visit(_ws("initiative-create")),
    "ws-create-errors": lambda s: Visit(
        _ws("initiative-create"),
        submit={"title": "", "indicators-0-label": "Chậu hoa", "indicators-0-target": "-5"},
    ),
    "ws-model": lambda s: Visit(_ws("initiative-detail", s.initiative.pk)),
    "ws-edit": lambda s: Visit(_ws("initiative-edit", s.initiative.pk)),
    "ws-preview": lambda s: Visit(_ws("initiative-preview", s.draft.pk)),
    "ws-history": lambda s: Visit(_ws("initiative-history", s.initiative.pk)),
    "ws-oversight": lambda s: Visit(_ws("oversight", s.initiative.pk)),
    "ws-areas": lambda s: Visit(_ws("area-list")),
    "ws-area-create": lambda s: Visit(_ws("area-create")),
    "ws-area-create-errors": lambda s: Visit(_ws("area-create"), submit={"name": ""}),
    "ws-area-edit": lambda s: Visit(_ws("area-edit", _area_pk(s.initiative))),
    "ws-guide": lambda s: Visit(_ws("guide")),
    "ws-milestones": lambda s: Visit(_ws("milestone-list", s.initiative.pk)),
    "ws-milestones-errors": lambda s: Visit(
        _ws("milestone-list", s.initiative.pk),
        submit={"title": "", "progress_after": "150"},
    ),
    "ws-milestone-edit": lambda s: Visit(_ws("milestone-edit", s.milestone.pk)),
    "ws-milestone-published": lambda s: Visit(_ws("milestone-edit", s.published_milestone.pk)),
    "ws-milestone-photo-errors": lambda s: Visit(
        _ws("milestone-edit", s.milestone.pk),
        submit={"alt_text": ""},
        form="main form[enctype='multipart/form-data']",
        answered_at=_ws("milestone-photo-add", s.milestone.pk),
    ),
    "ws-milestone-withdraw": lambda s: Visit(_ws("milestone-withdraw", s.published_milestone.pk)),
    "ws-milestone-supersede": lambda s: Visit(_ws("milestone-supersede", s.published_milestone.pk)),
    "ws-ledger-index": lambda s: Visit(_ws("ledger-index")),
    "ws-ledger": lambda s: Visit(_ws("ledger", s.initiative.pk)),
    "ws-donation-correct": lambda s: Visit(_ws("donation-correct", _standing_donation_pk(s))),
    "ws-contributor-search": lambda s: Visit(_ws("contributor-search") + "?q=doanh+nghiep"),
    "ws-reviews": lambda s: Visit(_ws("initiative-reviews", s.initiative.pk)),
    "ws-rounds": lambda s: Visit(_ws("round-list")),
    "ws-score-sheet": lambda s: Visit(_ws("score-sheet", _demo_round_pk())),
    "ws-recognition-propose": lambda s: Visit(
        _ws("recognition-propose", _demo_round_pk(), s.draft.pk)
    ),
    # Lê Lợi already has its recognition in the demo round: the page comes back with the error.
    "ws-recognition-propose-errors": lambda s: Visit(
        _ws("recognition-propose", _demo_round_pk(), s.initiative.pk),
        submit={"proposal": "Đề nghị công nhận lần nữa"},
    ),
    "ws-commendations": lambda s: Visit(_ws("commendation-list")),
    "ws-commendation-create": lambda s: Visit(_ws("commendation-create")),
    "ws-commendation": lambda s: Visit(_ws("commendation-detail", s.commendation.pk)),
    "ws-commendation-decided": lambda s: Visit(
        _ws("commendation-detail", s.decided_commendation.pk)
    ),
    "certificate": lambda s: Visit(
        reverse("workspace:certificate", args=[s.decided_commendation.pk])
    ),
    "ws-feedback-list": lambda s: Visit(_ws("feedback-list")),
    "ws-feedback-overdue": lambda s: Visit(_ws("feedback-list") + "?due=overdue"),
    "ws-feedback": lambda s: Visit(_ws("feedback-detail", _received_feedback_pk(s.initiative))),
    "ws-report": lambda s: Visit(_ws("report")),
    "ws-report-print": lambda s: Visit(_ws("report-print")),
    "password-change": lambda s: Visit(reverse("password_change")),
    "password-change-errors": lambda s: Visit(
        reverse("password_change"),
        submit={"old_password": "sai", "new_password1": "ab", "new_password2": "cd"},
    ),
    "password-change-done": lambda s: Visit(reverse("password_change_done")),
    # The site's 403 page: an official may look at administrative units, not add one.
    "forbidden": lambda s: Visit("/admin/registry/adminunit/add/", status=403),
}


def _demo_round_pk() -> int:
    from campaigns.models import ReviewRound

    return ReviewRound.objects.order_by("pk").first().pk


# --- every page under the gates ------------------------------------------------------------

ADMIN = "admin"  # Django's admin include, one entry
POST_ONLY = "a state change (POST only, GET answers 405), answering with a redirect"

# URL names no gate visits, each with its reason. Everything else the resolver knows must be
# visited by a page in ``public_pages`` or ``WORKSPACE_PAGES``. A POST_ONLY reason is
# checked: a GET to that URL must answer 405.
NOT_GATED: dict[str, str] = {
    ADMIN: "Django's admin: its own templates and scripts (the committee's journey in "
    "test_committee.py uses it); only its 403 answer is the site's page, gated as 'forbidden'",
    "favicon": "a redirect to static/img/favicon.svg",
    "healthz": "a JSON answer for monitoring, not HTML (tests/deploy/test_healthz.py)",
    "public-media": "a photo (image/*), not HTML",
    "public:initiative-qr": "a QR code file (SVG or PNG attachment), not HTML",
    "public:short-link": "a 302 redirect to the model page (gated as 'model'); its plain page "
    "for a model no longer public is checked in tests/registry/test_short_links.py",
    "workspace:dossier-download": "a dossier file sent as an attachment, not HTML",
    "workspace:report-xlsx": "the report as an Excel workbook, not HTML",
    "workspace:report-csv": "the models list as CSV, not HTML",
    "public:opendata-file": "an open-data file, CSV or JSON, not HTML (its 404 page is gated "
    "as 'opendata-unknown-file'; tests/opendata validates the files)",
    "public:opendata-datapackage": "JSON (Frictionless Data Package), not HTML",
    "public:opendata-catalog": "JSON-LD (DCAT), not HTML",
    "public:opendata-feed": "an Atom feed, XML, not HTML (tests/opendata parses it)",
    "logout": POST_ONLY,
    "set_language": POST_ONLY + " (its CSRF failure is gated as 'csrf-failure')",
    "workspace:initiative-submit": POST_ONLY,
    "workspace:initiative-complete": POST_ONLY,
    "workspace:initiative-publish": POST_ONLY,
    "workspace:initiative-unpublish": POST_ONLY,
    "workspace:oversight-resolve": POST_ONLY,
    "workspace:milestone-publish": POST_ONLY,
    "workspace:milestone-discard": POST_ONLY,
    "workspace:contributor-create": POST_ONLY,
    "workspace:pledge-record": POST_ONLY,
    "workspace:donation-record": POST_ONLY,
    "workspace:expense-record": POST_ONLY,
    "workspace:pledge-cancel": POST_ONLY,
    "workspace:donation-reverse": POST_ONLY,
    "workspace:expense-reverse": POST_ONLY,
    "workspace:pledge-correct": "the page of workspace:donation-correct (ledger_correct.html)",
    "workspace:expense-correct": "the page of workspace:donation-correct (ledger_correct.html)",
    "workspace:evaluation-save": POST_ONLY,
    "workspace:dossier-attach": POST_ONLY,
    "workspace:commendation-submit": POST_ONLY,
    "workspace:dossier-remove": POST_ONLY,
    "workspace:recognition-transition": POST_ONLY,
    "workspace:commendation-transition": POST_ONLY,
    "public:feedback-rate": POST_ONLY,
    "workspace:feedback-transition": POST_ONLY,
    "workspace:feedback-assign": POST_ONLY,
    "workspace:feedback-publish": POST_ONLY,
    "workspace:feedback-photo": "a resident's photo (image/*) for officials, not HTML",
}


def url_patterns() -> dict[str, URLPattern]:
    """Every URL pattern of the project by name (``namespace:name``); the admin is one."""
    found: dict[str, URLPattern | None] = {}

    def walk(patterns, namespace: str | None) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name == "admin":
                    found[ADMIN] = None
                    continue
                inner = entry.namespace
                walk(
                    entry.url_patterns,
                    f"{namespace}:{inner}" if namespace and inner else (inner or namespace),
                )
            elif isinstance(entry, URLPattern):
                name = entry.name or f"<unnamed {entry.pattern}>"
                found[f"{namespace}:{name}" if namespace else name] = entry

    walk(get_resolver().url_patterns, None)
    return found


def gated_url_names(sample: Sample) -> set[str]:
    """The URL names the gates' pages resolve to (the page checked, after a form is sent).
    An error page (404, 403) gates the error template, not the URL it was reached at."""
    names = set()
    for _name, visit, _signed_in in all_pages(sample):
        if visit.status != 200:
            continue
        match = resolve(visit.checked_path)
        if visit.checked_path.startswith("/admin/"):
            names.add(ADMIN)
        elif match.view_name:
            names.add(match.view_name)
    return names


def test_every_page_is_under_the_gates(workspace_sample):
    """Every URL pattern is visited by the gates or excluded with a reason; no stale entry."""
    patterns = url_patterns()
    gated = gated_url_names(workspace_sample)
    assert sorted(set(patterns) - gated - set(NOT_GATED)) == [], (
        "pages without a quality gate: add a line to public_pages / WORKSPACE_PAGES in "
        "tests/browser/test_quality_gates.py (or to NOT_GATED with the reason)"
    )
    assert sorted(set(NOT_GATED) - set(patterns)) == [], "NOT_GATED names unknown URLs"
    assert sorted(gated & set(NOT_GATED)) == [], "gated pages also listed in NOT_GATED"


def test_pages_left_out_as_post_only_refuse_a_get():
    """Every NOT_GATED page said to be POST only answers a GET with 405, whoever asks."""
    patterns = url_patterns()
    answers = {}
    for name, reason in NOT_GATED.items():
        if not reason.startswith(POST_ONLY):
            continue
        pattern = patterns[name]
        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        kwargs = dict.fromkeys(pattern.pattern.converters, 1)
        answers[name] = pattern.callback(request, **kwargs).status_code
    assert answers, "no NOT_GATED entry is POST only"
    assert {name: status for name, status in answers.items() if status != 405} == {}


# Pages that must fit a 360 px phone screen without the page scrolling sideways (wide
# tables scroll inside their .table-wrap): every workspace page, the dashboard and the
# create form first of all.
PHONE_PAGES = list(WORKSPACE_PAGES)


@pytest.fixture
def workspace_sample(le_loi_photo):
    """Lê Lợi (demo data, with a photo), an open follow-up and an edit in its history; a
    draft model; a draft and a decided commendation of Lê Lợi."""
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
    draft = factories.make_initiative(
        "Vườn rau sạch tổ dân phố 5",
        status=InitiativeStatus.DRAFT,
        published=False,
        summary="Các hộ dân góp đất trống làm vườn rau chung.",
    )
    # A progress figure: the bar on the model page, the timeline, the cards and the poster.
    workflow.initiative_results_update(
        initiative=initiative,
        by=factories.make_user("bientap-tiendo", is_superuser=True),
        progress_entered=65,
    )
    # The timeline: a published milestone with before and after photos, a withdrawn one (its
    # public line), a draft with a photo.
    published = factories.make_published_milestone(
        initiative,
        by=official,
        title="Đặt xong 310 chậu hoa giấy trên tuyến đường",
        occurred_on=dt.date(2023, 4, 1),
        body="Các doanh nghiệp và hộ dân dọc tuyến cùng góp chậu, cùng chăm sóc.",
        photos=("before", "after"),
    )
    withdrawn = factories.make_published_milestone(
        initiative, by=official, title="Mốc ghi nhầm ngày", occurred_on=dt.date(2023, 3, 1)
    )
    workflow.milestone_withdraw(milestone=withdrawn, by=official, reason="Ghi nhầm ngày")
    milestone = factories.make_milestone(
        initiative, by=official, title="Thay 12 chậu hoa hỏng", photos=("during",)
    )
    return Sample(
        milestone=milestone,
        published_milestone=published,
        initiative=initiative,
        draft=draft,
        commendation=make_commendation(initiative),
        decided_commendation=make_commendation(
            initiative,
            status=CommendationStatus.DECIDED,
            recipient_name="Nhân dân và doanh nghiệp tuyến đường Lê Lợi",
            decision_number="215/QĐ-UBND",
            signer_name="Nguyễn Văn A",
        ),
    )


def all_pages(sample: Sample) -> list[tuple[str, Visit, bool]]:
    """(name, visit, signed in) for every page, public ones first."""
    pages = [(name, visit, False) for name, visit in public_pages(sample.initiative).items()]
    pages += [(name, build(sample), True) for name, build in WORKSPACE_PAGES.items()]
    return pages


def open_page(page, visit: Visit, problems):
    """Load the page in the browser; returns the response for the document checked."""
    if visit.status != 200:
        problems.expected_error_paths.add(visit.checked_path)
    response = page.goto(visit.path, wait_until="load")
    if visit.submit is not None:
        assert response.status == 200, f"{visit.path} answered {response.status}"
        form = page.locator(visit.form)
        for name, value in visit.submit.items():
            form.locator(f"[name='{name}']").fill(value)
        if visit.spoil_csrf:
            form.locator("[name=csrfmiddlewaretoken]").evaluate("input => { input.value = 'x' }")
        with page.expect_navigation(wait_until="load") as navigation:
            form.locator("button[type=submit]").last.click()
        response = navigation.value
    assert response.status == visit.status, f"{visit.path} answered {response.status}"
    assert_not_redirected(response, visit)
    return response


def assert_not_redirected(response, visit: Visit) -> None:
    """A workspace page that sent the browser to the login page is not the page checked."""
    assert urlsplit(response.url).path == visit.checked_path, (
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


# A phone browser widens its layout viewport to fit what sticks out (and zooms out), so the
# widths are compared with the screen's 360 px, not with window.innerWidth.
SIDEWAYS = """(screen) => ({
    page: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    wide: [...document.querySelectorAll("body *")]
        .filter(el => el.getBoundingClientRect().right > screen + 1)
        .filter(el => !el.closest(".table-wrap"))
        .slice(0, 8)
        .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
             + (el.className ? "." + String(el.className).split(" ").join(".") : "")
             + " (" + Math.round(el.getBoundingClientRect().right) + " px)"),
})"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_public_pages_fit_a_phone_screen_in_both_languages(
    phone_page, workspace_sample, page_problems, live_server, language
):
    """At 360 px no public page scrolls sideways, in Vietnamese and in English (only tables
    scroll, inside .table-wrap)."""
    phone_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    too_wide = {}
    for name, visit in public_pages(workspace_sample.initiative).items():
        open_page(phone_page, visit, page_problems)
        widths = phone_page.evaluate(SIDEWAYS, PHONE["width"])
        if widths["page"] > PHONE["width"] or widths["wide"]:
            too_wide[f"{name} ({visit.path})"] = widths
    assert too_wide == {}, json.dumps(too_wide, ensure_ascii=False, indent=2)


def test_workspace_pages_fit_a_phone_screen(phone_page, workspace_sample, page_problems):
    """At 360 × 740 the page never scrolls sideways; only tables scroll, inside .table-wrap."""
    log_in(phone_page, OFFICIAL)
    too_wide = {}
    for name in PHONE_PAGES:
        visit = WORKSPACE_PAGES[name](workspace_sample)
        open_page(phone_page, visit, page_problems)
        widths = phone_page.evaluate(SIDEWAYS, PHONE["width"])
        if widths["page"] > PHONE["width"] or widths["wide"]:
            too_wide[f"{name} ({visit.path})"] = widths
    assert too_wide == {}, json.dumps(too_wide, ensure_ascii=False, indent=2)
