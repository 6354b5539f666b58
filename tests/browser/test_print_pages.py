"""The printed pages as a printer sees them (print media): the poster fits one A4 sheet with
a QR code at least 45 mm wide and a title of at most two lines; the notice prints its table.

With ``PRINT_SHOTS=<folder>`` the print-media screenshots are saved there to be looked at.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from tests import factories

pytestmark = pytest.mark.browser

MM = 96 / 25.4  # CSS pixels per millimetre


def _shot(page, name: str) -> None:
    folder = os.environ.get("PRINT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _pdf_pages(page) -> int:
    """Sheets of A4 the page prints on (the PDF's page objects)."""
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_poster_prints_on_one_a4_sheet_with_a_large_qr_code(page, live_server, le_loi_photo):
    le_loi = le_loi_photo.initiative
    page.set_viewport_size({"width": round(210 * MM), "height": round(297 * MM)})
    page.emulate_media(media="print")
    page.goto(reverse("public:initiative-poster", kwargs={"slug": le_loi.slug}))
    _shot(page, "poster")
    qr_box = page.locator("svg.qr").bounding_box()
    assert qr_box["width"] >= 45 * MM
    title = page.locator("#poster-title")
    line_height = title.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert title.bounding_box()["height"] <= 2 * line_height + 2
    assert page.locator(".site-header").is_hidden()
    assert page.locator(".print-tools").is_hidden()
    assert page.get_by_text("Quét để xem tiến độ, gửi góp ý").is_visible()
    assert _pdf_pages(page) == 1


def test_the_poster_s_progress_bar_survives_a_black_and_white_photocopy(
    page, live_server, le_loi_photo
):
    """A black frame and a black fill (no colour, no native widget), the percent as text, and
    the poster still on one sheet."""
    from registry import workflow

    le_loi = le_loi_photo.initiative
    editor = factories.make_user("bientap-in", is_superuser=True)
    workflow.initiative_results_update(initiative=le_loi, by=editor, progress_entered=65)
    for milestone in le_loi.milestones.filter(status="draft"):
        workflow.milestone_publish(milestone=milestone, by=editor)
    page.set_viewport_size({"width": round(210 * MM), "height": round(297 * MM)})
    page.emulate_media(media="print")
    page.goto(reverse("public:initiative-poster", kwargs={"slug": le_loi.slug}))
    _shot(page, "poster-progress")
    bar = page.locator(".poster-progress progress")
    assert bar.is_visible()
    style = bar.evaluate(
        """e => { const s = getComputedStyle(e);
        return [s.appearance, s.borderTopStyle, s.borderTopWidth, s.borderTopColor,
                s.printColorAdjust || s.webkitPrintColorAdjust]; }"""
    )
    assert style[0] == "none" and style[1] == "solid"
    assert float(style[2].removesuffix("px")) >= 1.5 and style[3] == "rgb(0, 0, 0)"
    assert style[4] == "exact"  # the fill prints even without "background graphics"
    # As the printer sees it: along the middle row, about 65 % of the inside is black.
    shot = Image.open(io.BytesIO(bar.screenshot())).convert("L")
    row = [shot.getpixel((x, shot.height // 2)) for x in range(4, shot.width - 4)]
    dark = sum(1 for v in row if v < 80) / len(row)
    assert 0.55 <= dark <= 0.75, dark
    assert bar.bounding_box()["width"] >= 60 * MM
    assert page.locator(".poster-progress").get_by_text("Tiến độ 65%").is_visible()
    assert page.locator(".poster-progress .progress-updated").is_visible()
    assert _pdf_pages(page) == 1


def test_a_long_title_still_prints_on_two_lines(page, live_server, demo):
    initiative = factories.make_initiative(
        "Vận động Nhân dân xây dựng chợ đảm bảo an toàn thực phẩm " * 4, slug="cho-an-toan-dai"
    )
    page.set_viewport_size({"width": round(210 * MM), "height": round(297 * MM)})
    page.emulate_media(media="print")
    page.goto(reverse("public:initiative-poster", kwargs={"slug": initiative.slug}))
    _shot(page, "poster-long-title")
    title = page.locator("#poster-title")
    line_height = title.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert title.bounding_box()["height"] <= 2 * line_height + 2
    assert _pdf_pages(page) == 1


def test_the_monthly_notice_prints_its_heading_table_and_signatures(page, live_server, le_loi):
    page.set_viewport_size({"width": round(210 * MM), "height": round(297 * MM)})
    page.emulate_media(media="print")
    page.goto(
        reverse("public:initiative-notice", kwargs={"slug": le_loi.slug, "year": 2023, "month": 4})
    )
    _shot(page, "notice")
    assert page.get_by_role("heading", name="BẢNG CÔNG KHAI").is_visible()
    assert page.get_by_text("NGƯỜI LẬP BẢNG").is_visible()
    assert page.locator(".site-header").is_hidden()
    assert page.locator("svg.qr").bounding_box()["width"] >= 25 * MM
