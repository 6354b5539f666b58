"""Security headers on public pages and the admin; templates free of inline script and style."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from registry.choices import InitiativeStatus
from tests import factories
from tests.urls_walk import ADMIN, project_routes

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_secure_headers(response):
    policy = _policy(response)
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header
    assert "'unsafe-eval'" not in header
    assert policy["default-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    if "sandbox" in policy:
        # A public photo (wardmodels/views.py public_media): nothing may run at all.
        assert policy == {"default-src": ["'none'"], "sandbox": []}
        return
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]


# --- every URL of the project, walked from the resolver ---------------------------------------
#
# Each URL with parameters needs a line in FILL saying which real object fills them; a new
# pattern without one fails test_every_url_with_parameters_can_be_filled (and its own walk).


def _initiative(**kwargs) -> Callable[[], dict]:
    return lambda: {"pk": factories.make_initiative(**kwargs).pk}


def _short_code() -> dict:
    from registry.short_links import initiative_short_code

    return {"code": initiative_short_code(factories.make_initiative())}


def _public_photo() -> dict:
    photo = factories.make_photo(factories.make_initiative("Đường hoa Lê Lợi"))
    return {"path": photo.image.name.removeprefix("photos/")}


def _ledger_entry(kind: str) -> Callable[[], dict]:
    from tests.campaigns import factories as ledger

    return lambda: {"pk": getattr(ledger, f"make_{kind}")().pk}


def _oversight() -> dict:
    from registry.models import OversightActivity

    activity = OversightActivity.objects.create(
        initiative=factories.make_initiative(),
        kind="inspection",
        happened_on="2023-04-10",
        note="Kiểm tra vỉa hè",
        follow_up_due="2023-04-20",
    )
    return {"pk": activity.pk}


def _commendation(status="draft", **extra) -> Callable[[], dict]:
    def build() -> dict:
        from tests.campaigns.factories_reviews import make_commendation

        return {"pk": make_commendation(status=status).pk, **extra}

    return build


def _recognition_action() -> dict:
    from tests.campaigns.factories_reviews import make_recognition

    return {"pk": make_recognition().pk, "action": "approve"}


def _dossier() -> dict:
    from campaigns import workflow
    from tests.campaigns.factories_reviews import make_commendation, uploaded_pdf

    document = workflow.dossier_attach(
        commendation=make_commendation(),
        kind="proposal_letter",
        file=uploaded_pdf(),
        by=factories.make_user(is_superuser=True),
    )
    return {"pk": document.pk}


def _round() -> dict:
    from tests.campaigns.factories_reviews import make_round

    return {"pk": make_round().pk}


def _round_and_initiative() -> dict:
    from tests.campaigns.factories_reviews import make_round

    return {"round_pk": make_round().pk, "initiative_pk": factories.make_initiative().pk}


def _milestone(published: bool = False) -> Callable[[], dict]:
    def build() -> dict:
        initiative = factories.make_initiative()
        if published:
            return {"pk": factories.make_published_milestone(initiative, photos=("before",)).pk}
        return {"pk": factories.make_milestone(initiative).pk}

    return build


# A resident's tracking page opens with its token in the query string (``QUERY``).
_TOKENS: dict[str, str] = {}


def _feedback(status: str = "new", **extra) -> Callable[[], dict]:
    """A residents' feedback item (its tracking token kept in ``_TOKENS``)."""

    def build() -> dict:
        from participation import workflow as feedback_workflow
        from tests.participation.factories import make_feedback

        feedback = make_feedback()
        _TOKENS[feedback.code] = feedback.token
        if status == "received":
            feedback_workflow.feedback_receive(feedback=feedback, by=factories.make_official())
        if "code" in extra:
            return {"code": feedback.code}
        return {"pk": feedback.pk, **extra}

    return build


def _timeline() -> dict:
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    factories.make_published_milestone(initiative, photos=("before", "after"))
    return {"slug": initiative.slug}


def _feedback_photo() -> dict:
    from participation.models import FeedbackPhoto
    from registry.images import process_photo
    from tests.participation.factories import make_feedback

    photo = FeedbackPhoto(feedback=make_feedback())
    processed = process_photo(factories.uploaded_image())
    photo.image.save(processed.image.name, processed.image, save=True)
    return {"pk": photo.pk}


FILL: dict[str, Callable[[], dict]] = {
    "public:initiative-detail": lambda: {
        "slug": factories.make_initiative("Đường hoa Lê Lợi").slug
    },
    "public:initiative-timeline": _timeline,
    "public-media": _public_photo,
    "public:opendata-file": lambda: {"name": "models", "fmt": "csv"},
    "public:initiative-poster": lambda: {"slug": factories.make_initiative().slug},
    "public:initiative-qr": lambda: {"slug": factories.make_initiative().slug, "fmt": "svg"},
    "public:initiative-notice": lambda: {
        "slug": factories.make_initiative().slug,
        "year": 2023,
        "month": 4,
    },
    "public:short-link": _short_code,
    "workspace:milestone-list": _initiative(),
    "workspace:milestone-discard": _initiative(),
    "workspace:milestone-edit": _milestone(),
    "workspace:milestone-photo-add": _milestone(),
    "workspace:milestone-publish": _milestone(),
    "workspace:milestone-withdraw": _milestone(published=True),
    "workspace:milestone-supersede": _milestone(published=True),
    "workspace:certificate": _commendation("decided"),
    "workspace:dossier-download": _dossier,
    "workspace:recognition-transition": _recognition_action,
    "workspace:commendation-transition": _commendation("submitted", action="decide"),
    "workspace:initiative-detail": _initiative(),
    "workspace:initiative-edit": _initiative(),
    "workspace:initiative-preview": _initiative(),
    "workspace:initiative-history": _initiative(),
    "workspace:oversight": _initiative(),
    "workspace:initiative-submit": _initiative(status=InitiativeStatus.DRAFT, published=False),
    "workspace:initiative-complete": _initiative(),
    "workspace:initiative-publish": _initiative(published=False),
    "workspace:initiative-unpublish": _initiative(),
    "workspace:oversight-resolve": _oversight,
    "workspace:area-edit": lambda: {"pk": factories.make_area().pk},
    "workspace:ledger": _initiative(),
    "workspace:contributor-create": _initiative(),
    "workspace:pledge-record": _initiative(),
    "workspace:donation-record": _initiative(),
    "workspace:expense-record": _initiative(),
    "workspace:pledge-cancel": _ledger_entry("pledge"),
    "workspace:donation-reverse": _ledger_entry("donation"),
    "workspace:expense-reverse": _ledger_entry("expense"),
    "workspace:pledge-correct": _ledger_entry("pledge"),
    "workspace:donation-correct": _ledger_entry("donation"),
    "workspace:expense-correct": _ledger_entry("expense"),
    "workspace:score-sheet": _round,
    "workspace:evaluation-save": _round_and_initiative,
    "workspace:recognition-propose": _round_and_initiative,
    "workspace:initiative-reviews": _initiative(),
    "workspace:commendation-detail": _commendation("draft"),
    "workspace:dossier-attach": _commendation("draft"),
    "workspace:commendation-submit": _commendation("draft"),
    "workspace:dossier-remove": _dossier,
    "public:feedback-submit": lambda: {"slug": factories.make_initiative().slug},
    "public:feedback-track": _feedback(code=True),
    "public:feedback-rate": _feedback(code=True),
    "workspace:feedback-detail": _feedback(),
    "workspace:feedback-assign": _feedback(),
    "workspace:feedback-publish": _feedback("received"),
    "workspace:feedback-transition": _feedback(action="receive"),
    "workspace:feedback-photo": _feedback_photo,
}

# What a URL needs after its path: the resident's tracking page, its private token.
QUERY: dict[str, Callable[[dict], str]] = {
    "public:feedback-track": lambda kwargs: f"?t={_TOKENS[kwargs['code']]}",
}
# Public URLs that only take a POST (a GET answers 405, with the headers all the same).
PUBLIC_POST_ONLY = {"public:feedback-rate"}

# The admin include is walked model by model below (test_every_admin_page_sends_the_policy).
ROUTES = [route for route in project_routes() if route.name != ADMIN]


def test_every_url_with_parameters_can_be_filled():
    """Every URL pattern that takes parameters has a way to fill them with real objects."""
    missing = sorted(route.name for route in ROUTES if route.params and route.name not in FILL)
    assert not missing, f"URL patterns without a line in test_headers.py FILL: {missing}"
    stale = sorted(set(FILL) - {route.name for route in ROUTES})
    assert not stale, f"FILL names URLs the project does not have: {stale}"
    assert "public:report" in {route.name for route in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_every_url_sends_a_strict_policy_and_the_security_headers(client, route):
    """Anonymous and (for staff pages) administrator responses all carry the headers."""
    assert route.name in FILL or not route.params, f"no way to fill {route.name}: add it to FILL"
    kwargs = FILL[route.name]() if route.params else {}
    assert sorted(kwargs) == sorted(route.params), route.name
    url = reverse(route.name, kwargs=kwargs or None) + QUERY.get(route.name, lambda k: "")(kwargs)
    visitors = [None] if route.public else [None, factories.make_user("quantri", is_superuser=True)]
    for user in visitors:
        if user is not None:
            client.force_login(user)
        # The tracking link moves its token into a cookie: the page is one redirect away.
        response = client.get(url, follow=route.name == "public:feedback-track")
        # A real object fills every parameter: never a 404, never a server error.
        assert response.status_code in (200, 302, 405), (url, user, response.status_code)
        if route.name in PUBLIC_POST_ONLY:
            assert response.status_code == 405, url
        elif route.public and route.name not in ("favicon", "public:short-link"):
            assert response.status_code == 200, url
        _assert_secure_headers(response)


def test_error_pages_send_the_policy_too(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    _assert_secure_headers(response)


def test_every_admin_page_sends_the_same_policy(admin_client):
    """The admin's index, and every registered model's list, add and change pages."""
    factories.make_initiative("Đường hoa Lê Lợi")
    _dossier()  # a commendation, a user, an initiative … : change pages for most models
    _ledger_entry("donation")()
    _oversight()
    paths = ["/admin/"]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        paths += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        instance = model._default_manager.first()
        if instance is not None:
            paths.append(reverse(f"{prefix}_change", args=[instance.pk]))
    assert len(paths) > 2 * len(admin.site._registry)
    for path in paths:
        response = admin_client.get(path)
        # 403: an add page the admin turns off (log entries are never added by hand).
        assert response.status_code in (200, 403), (path, response.status_code)
        _assert_secure_headers(response)


def test_the_admin_change_form_loads_its_scripts_from_files_only(admin_client):
    """Django's admin keeps its data in data- attributes of <script src=...>, CSP-safe."""
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    page = admin_client.get(
        reverse("admin:registry_initiative_change", args=[initiative.pk])
    ).content.decode()
    assert "Đường hoa Lê Lợi" in page
    assert not _inline_scripts(page)
    assert not INLINE_HANDLER.search(page)


# --- templates: no inline script, style attribute or event handler ----------------------------

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _inline_scripts(text: str) -> list[str]:
    """Script elements with a body, or without src (JSON data blocks are not executed)."""
    found = []
    for attrs, body in SCRIPT_TAG.findall(text):
        if 'type="application/json"' in attrs:
            continue
        if body.strip() or "src=" not in attrs:
            found.append(f"<script{attrs}>{body[:60]}")
    return found


def _project_templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("registry", "campaigns")
        if (Path(settings.BASE_DIR) / app / "templates").is_dir()
    ]
    return sorted(p for root in roots for p in root.rglob("*.html"))


def test_the_scanner_finds_what_it_should():
    assert _inline_scripts("<script>alert(1)</script>")
    assert _inline_scripts('<script src="/x.js">alert(1)</script>')
    assert not _inline_scripts('<script src="/x.js" defer></script>')
    assert STYLE_ATTR.search('<p style="color:red">')
    assert INLINE_HANDLER.search('<button onclick="go()">')
    assert not INLINE_HANDLER.search('<p class="once">on=</p>')
    assert JS_URL.search('<a href="javascript:void(0)">')


def test_no_template_has_inline_script_style_or_event_handlers():
    templates = _project_templates()
    assert len(templates) >= 10
    problems = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(settings.BASE_DIR)
        problems += [f"{name}: inline script {s!r}" for s in _inline_scripts(text)]
        if STYLE_ATTR.search(text):
            problems.append(f"{name}: style attribute")
        if STYLE_TAG.search(text):
            problems.append(f"{name}: <style> element")
        if INLINE_HANDLER.search(text):
            problems.append(f"{name}: on...= event handler")
        if JS_URL.search(text):
            problems.append(f"{name}: javascript: URL")
    assert not problems, "CSP forbids these; move them to static/:\n" + "\n".join(problems)
