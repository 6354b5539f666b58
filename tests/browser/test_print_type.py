"""The project's own type in print and on screen, and the English pages' fit.

The poster, the monthly notice and the certificate, printed to PDF by Chromium, embed only
the fonts served from static/fonts/ (Poppler's ``pdffonts`` lists them): a Vietnamese letter
with a stacked diacritic never comes from a fallback such as DejaVu or Liberation. The
notice prints on one A4 sheet in English as in Vietnamese (``pdfinfo``). That the English
pages fit a 360 px phone is the quality gates' sideways check, in both languages.

``pdffonts`` and ``pdfinfo`` come from Debian's poppler-utils (.ci/run installs it): without
them these tests are skipped, except in CI, where they fail.
"""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from campaigns.review_choices import CommendationStatus
from tests import factories
from tests.browser.conftest import in_ci, log_in
from tests.campaigns.factories_reviews import make_commendation

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre
A4_PORTRAIT = {"width": round(210 * MM), "height": round(297 * MM)}
# The faces static/css/site.css declares; a PDF names an embedded subset "ABCDEF+<face>".
PROJECT_FACES = re.compile(
    r"^(?:[A-Z]{6}\+)?Noto(?:Sans|Serif)-(?:Regular|Italic|Bold|BoldItalic)$"
)


@pytest.fixture(scope="session")
def poppler():
    """pdffonts and pdfinfo from Debian's poppler-utils."""
    tools = {name: shutil.which(name) for name in ("pdffonts", "pdfinfo")}
    missing = [name for name, path in tools.items() if not path]
    if missing:
        message = f"{', '.join(missing)} missing: apt-get install poppler-utils"
        if in_ci():
            pytest.fail(f"CI is set: {message} (.ci/run installs it)", pytrace=False)
        pytest.skip(message)
    return tools


def _printed(page, tmp_path, name: str):
    """The page as Chromium prints it (print media, A4, the page's own @page size), once
    the faces the screen uses have loaded, as when a person presses Print."""
    page.evaluate("document.fonts.ready.then(() => true)")
    page.emulate_media(media="print")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(page.pdf(format="A4", prefer_css_page_size=True))
    return path


def _embedded_fonts(poppler, pdf) -> list[str]:
    """The name column of ``pdffonts``: one line per font the PDF uses."""
    output = subprocess.run(
        [poppler["pdffonts"], str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    # Two heading lines, then one font a line; a Type 3 font has no name ("[none]").
    return [line.split()[0] for line in output.splitlines()[2:] if line.strip()]


def _pages(poppler, pdf) -> int:
    output = subprocess.run(
        [poppler["pdfinfo"], str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", output, re.MULTILINE).group(1))


def _in_english(page, live_server) -> None:
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )


def _notice_url(initiative) -> str:
    # The demo's money is in April 2023.
    return reverse(
        "public:initiative-notice", kwargs={"slug": initiative.slug, "year": 2023, "month": 4}
    )


def _assert_only_project_fonts(poppler, pdf) -> None:
    fonts = _embedded_fonts(poppler, pdf)
    assert fonts, f"{pdf.name}: no font embedded"
    assert [font for font in fonts if not PROJECT_FACES.match(font)] == [], fonts


def test_the_printed_documents_embed_only_the_project_s_fonts(
    page, live_server, le_loi_photo, poppler, tmp_path
):
    """Every font embedded in the printed poster, notice and certificate, and in the
    officials' printed report with its charts, is Noto Sans or Noto Serif from static/fonts/,
    bold and italic included (the machine has DejaVu and Liberation to fall back on: they
    must not appear); the first three still print on one sheet."""
    le_loi = le_loi_photo.initiative
    # A signer's name with the stacked diacritics too (ưở).
    commendation = make_commendation(
        le_loi, status=CommendationStatus.DECIDED, signer_name="Nguyễn Văn Thưởng"
    )
    factories.make_official("canbo_in")
    log_in(page, "canbo_in")
    page.set_viewport_size(A4_PORTRAIT)
    # name → (address, sheets: the certificate's a landscape one; the report runs on)
    documents = {
        "poster": (reverse("public:initiative-poster", kwargs={"slug": le_loi.slug}), 1),
        "notice": (_notice_url(le_loi), 1),
        "certificate": (reverse("workspace:certificate", args=[commendation.pk]), 1),
        "report": (reverse("workspace:report-print"), None),
    }
    for name, (url, sheets) in documents.items():
        page.emulate_media(media="screen")
        page.goto(url)
        # The stacked diacritics the issue saw broken are on the page to print.
        assert "PHƯỜNG SẦM SƠN" in page.locator("main").inner_text(), name
        pdf = _printed(page, tmp_path, name)
        _assert_only_project_fonts(poppler, pdf)
        if sheets:
            assert _pages(poppler, pdf) == sheets, name
    assert page.locator("svg.chart").count() >= 1  # the report's charts were printed too


def test_a_page_reports_the_project_s_font_faces_loaded(page, live_server, le_loi):
    """After ``document.fonts.ready`` the browser has loaded the self-hosted faces the page
    uses, in their Vietnamese subset too, and they come from this site (static/fonts/)."""
    page.goto(reverse("public:initiative-poster", kwargs={"slug": le_loi.slug}))
    page.evaluate("document.fonts.ready.then(() => true)")
    for face in ('400 16px "Noto Sans"', '700 16px "Noto Serif"', 'italic 16px "Noto Serif"'):
        assert page.evaluate("face => document.fonts.check(face, 'Phường Sầm Sơn')", face), face
    loaded = page.evaluate(
        """() => [...document.fonts].filter(f => f.status === 'loaded')
                 .map(f => f.family.replaceAll('"', '') + ' ' + f.weight + ' ' + f.style)"""
    )
    assert {"Noto Sans 400 normal", "Noto Serif 400 normal", "Noto Serif 700 normal"} <= set(
        loaded
    ), loaded
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => /woff2/.test(n))"
    )
    assert any("/static/fonts/noto-serif-vietnamese-" in url for url in fetched), fetched
    assert all(url.startswith(live_server.url + "/static/fonts/") for url in fetched), fetched


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_monthly_notice_prints_on_one_a4_sheet_in_either_language(
    page, live_server, le_loi, poppler, tmp_path, language
):
    """The demo's April notice, footer included, on one sheet (the English one used to push
    its last line onto a second page)."""
    if language == "en":
        _in_english(page, live_server)
    page.set_viewport_size(A4_PORTRAIT)
    page.goto(_notice_url(le_loi))
    assert page.locator("html").get_attribute("lang") == language
    pdf = _printed(page, tmp_path, f"notice-{language}")
    assert _pages(poppler, pdf) == 1
