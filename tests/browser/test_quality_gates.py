"""Every public page: accessible (axe-core, WCAG 2.1 A and AA), valid HTML (Nu HTML Checker),
and no console error or failed request while it loads.

Each test visits all the pages and reports every page's problems at once, so one run shows
the whole list to fix.
"""

import json
import shutil
import subprocess

import pytest

from tests.browser.conftest import AXE_JS, VNU_JAR, require_tool

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MISSING_PAGE = "/mo-hinh/khong-co-mo-hinh-nay/"


def public_pages(le_loi) -> dict[str, str]:
    """name → path of every page a resident (or a signed-out official) can reach."""
    return {
        "home": "/",
        "registry": "/mo-hinh/",
        "search": "/mo-hinh/?q=duong+hoa+le+loi",
        "filtered": "/mo-hinh/?field=2&status=implementing",
        "invalid-filter": "/mo-hinh/?field=999999",
        "model": le_loi.get_absolute_url(),
        "report": "/bao-cao/",  # the public summary (issue 6)
        "login": "/accounts/login/",
        "not-found": MISSING_PAGE,
    }


def visit(page, path, problems, *, settle=False):
    """Load ``path``; with ``settle``, also wait until no request is left in flight."""
    if path == MISSING_PAGE:
        problems.expected_error_paths.add(path)
    response = page.goto(path, wait_until="load")
    if settle:
        page.wait_for_load_state("networkidle")
    expected = 404 if path == MISSING_PAGE else 200
    assert response.status == expected, f"{path} answered {response.status}"
    return response


def test_public_pages_have_no_accessibility_violations(page, le_loi_photo, page_problems):
    """axe-core finds no WCAG 2.1 A or AA violation on any public page, phone or desktop."""
    axe = require_tool(AXE_JS, "axe-core")
    report = {}
    for viewport in ({"width": 360, "height": 740}, {"width": 1280, "height": 900}):
        page.set_viewport_size(viewport)
        for name, path in public_pages(le_loi_photo.initiative).items():
            visit(page, path, page_problems)
            # Evaluated through the DevTools protocol, which the page's CSP (script-src 'self',
            # no inline) does not block, unlike an injected <script> tag.
            page.evaluate(axe.read_text(encoding="utf-8"))
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
            assert results["passes"] > 10, f"axe-core checked next to nothing on {path}"
            if results["violations"]:
                report[f"{name} @{viewport['width']}px ({path})"] = results["violations"]
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=2)


def test_public_pages_are_valid_html(page, le_loi_photo, tmp_path):
    """The Nu HTML Checker reports no error on the HTML the server sends for each page."""
    vnu = require_tool(VNU_JAR, "vnu.jar (npm package vnu-jar)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not on PATH: the Nu HTML Checker needs it", pytrace=False)
    files = {}
    for name, path in public_pages(le_loi_photo.initiative).items():
        response = page.request.get(path)
        assert response.status == (404 if path == MISSING_PAGE else 200), path
        files[name] = tmp_path / f"{name}.html"
        files[name].write_bytes(response.body())

    # One JVM for all the pages: starting Java is most of the checker's time.
    run = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", "--stdout"]
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


def test_public_pages_load_without_console_errors_or_failed_requests(
    page, le_loi_photo, page_problems
):
    """No JavaScript error, console error, failed or 4xx/5xx sub-request on any public page."""
    report = {}
    for name, path in public_pages(le_loi_photo.initiative).items():
        page_problems.clear()
        visit(page, path, page_problems, settle=True)
        # Scroll to the end so lazy images load too.
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        if page_problems.all():
            report[f"{name} ({path})"] = page_problems.all()
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=2)
