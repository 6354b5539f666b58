"""Security headers on public pages and the admin; templates free of inline script and style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

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
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def public_urls():
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    return [
        reverse("registry:home"),
        reverse("registry:initiative-list"),
        reverse("registry:initiative-list") + "?q=le+loi",
        initiative.get_absolute_url(),
        reverse("login"),
    ]


def test_public_pages_send_a_strict_content_security_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_secure_headers(response)


def test_error_pages_send_the_policy_too(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    _assert_secure_headers(response)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/registry/initiative/",
        "/admin/registry/initiative/add/",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ],
)
def test_admin_pages_send_the_same_policy(admin_client, path):
    factories.make_initiative("Đường hoa Lê Lợi")
    response = admin_client.get(path)
    assert response.status_code == 200
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
