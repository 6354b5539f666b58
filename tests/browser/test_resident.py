"""A resident on a phone finds the Lê Lợi flower street and what it achieved."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LE_LOI = "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi"
LE_LOI_FIELD = "Văn hoá – xã hội › Xây dựng đô thị văn minh"


def open_le_loi_from_home(page):
    """Home → search without diacritics → filter by field → the model page."""
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Dân vận khéo")

    page.get_by_label("Tìm mô hình").fill("duong hoa le loi")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/mo-hinh/\?q=duong\+hoa\+le\+loi"))
    expect(page.get_by_role("link", name=LE_LOI)).to_be_visible()

    # The filters fold away under the search box on a phone: open them first.
    page.locator("details.filter-more > summary").click()
    page.get_by_label("Lĩnh vực").select_option(label=LE_LOI_FIELD)
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"field=8"))
    expect(page).to_have_url(re.compile(r"q=duong\+hoa\+le\+loi"))
    expect(page.locator(".result-count")).to_contain_text("1 mô hình")
    expect(page.get_by_label("Lĩnh vực")).to_have_value("8")
    expect(page.locator("details.filter-more > summary")).to_have_text("Lọc (1)")
    expect(page.locator(".filter-summary")).to_contain_text(f"Lĩnh vực: {LE_LOI_FIELD}")

    page.get_by_role("link", name=LE_LOI).click()
    expect(page).to_have_url(re.compile(r"/mo-hinh/dam-bao-my-quan-do-thi-duong-hoa-le-loi/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(LE_LOI)


def test_resident_on_a_phone_finds_le_loi_and_its_results(phone_page, le_loi_photo, page_problems):
    """Search, filter, open the model, see 310 pots and 2 km, open a photo, switch language."""
    page = phone_page
    assert page.viewport_size == {"width": 360, "height": 740}
    open_le_loi_from_home(page)

    # Nothing sticks out sideways on a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    results = page.get_by_role("table")
    expect(results.get_by_role("row", name=re.compile("Chậu hoa giấy"))).to_contain_text("310")
    expect(results.get_by_role("row", name=re.compile("Chậu hoa giấy"))).to_contain_text("chậu")
    expect(results.get_by_role("row", name=re.compile("Chiều dài"))).to_contain_text("2")
    expect(results.get_by_role("row", name=re.compile("Chiều dài"))).to_contain_text("km")

    photo = page.get_by_role("img", name="Chậu hoa giấy dọc đường Lê Lợi")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")
    page.get_by_role("link", name="Chậu hoa giấy dọc đường Lê Lợi").click()
    expect(page).to_have_url(re.compile(rf"/media/{re.escape(le_loi_photo.image.name)}$"))
    assert page.evaluate("document.images.length === 1 && document.images[0].naturalWidth") == 640
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(LE_LOI)

    # The language switch submits itself when a language is chosen (static/js/site.js).
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/mo-hinh/dam-bao-my-quan-do-thi-duong-hoa-le-loi/$"))
    expect(page.locator("#language-select")).to_have_value("en")
    page.locator("#language-select").select_option("vi")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_label("Ngôn ngữ")).to_have_value("vi")
    expect(page.get_by_role("heading", level=1)).to_have_text(LE_LOI)

    assert page_problems.all() == []


def test_resident_sees_the_money_raised_for_le_loi(phone_page, le_loi):
    """The ledger shows what the street's households and businesses gave.

    The demo's Lê Lợi contributions total 310.000.000 ₫.
    """
    page = phone_page
    page.goto(le_loi.get_absolute_url())
    expect(page.get_by_text(re.compile(r"310\.000\.000\s₫")).first).to_be_visible()
