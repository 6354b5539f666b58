"""The resident's journey without a mouse: Tab, Enter and Space (arrows inside a list box)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LE_LOI_PATH = "/mo-hinh/dam-bao-my-quan-do-thi-duong-hoa-le-loi/"

# What the focused element shows: its outline, as the browser computed it.
FOCUS_STATE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineColor: style.outlineColor,
        width: box.width,
        height: box.height,
        inViewport: box.bottom > 0 && box.right > 0
            && box.top < window.innerHeight && box.left < window.innerWidth,
    };
}"""


def assert_focus_visible(page):
    """The focused element is on screen and wears a visible outline (site.css :focus-visible)."""
    state = page.evaluate(FOCUS_STATE)
    where = f"{state['tag']} “{state['text']}” on {page.url}"
    assert state["outlineStyle"] not in ("none", "hidden"), f"no focus outline: {where}"
    assert state["outlineWidth"] >= 2, f"focus outline thinner than 2px: {where}"
    assert state["width"] > 0 and state["height"] > 0, f"focused element has no size: {where}"
    assert state["inViewport"], f"focused element is off screen: {where}"
    return state


def tab_to(page, selector, *, limit=60):
    """Press Tab until ``selector`` has the focus, checking the indicator at every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert_focus_visible(page)
            return
        if page.evaluate("document.activeElement !== document.body"):
            assert_focus_visible(page)
    raise AssertionError(f"{selector} never got the focus after {limit} presses of Tab")


def choose_with_arrows(page, value, *, limit=30):
    """In the focused closed <select>, step with the arrow keys to the option ``value``."""
    for _ in range(limit):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value} not reached")


def test_resident_journey_with_the_keyboard_only(page, le_loi_photo, page_problems):
    """Skip link, search, filter, open the model and a photo, change language: no mouse."""
    page.goto("/")

    # The first Tab shows the skip link; Enter moves on to the main content.
    page.keyboard.press("Tab")
    state = assert_focus_visible(page)
    assert state["text"] == "Bỏ qua, đến nội dung chính"
    assert state["outlineStyle"] == "solid"
    assert state["outlineColor"] == "rgb(11, 87, 208)"  # --focus in site.css
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, "#home-q")
    page.keyboard.type("duong hoa le loi")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/mo-hinh/\?q=duong\+hoa\+le\+loi"))

    # The filters are folded under the search box: Enter on the disclosure opens them.
    tab_to(page, "details.filter-more > summary")
    page.keyboard.press("Enter")
    tab_to(page, "#id_field")
    choose_with_arrows(page, "8")  # Văn hoá – xã hội › Xây dựng đô thị văn minh
    tab_to(page, ".filter-actions button[type=submit]")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"field=8"))
    expect(page.locator(".result-count")).to_contain_text("1 mô hình")

    tab_to(page, f'.card-title a[href="{LE_LOI_PATH}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"{LE_LOI_PATH}$"))
    expect(page.get_by_role("row", name=re.compile("Chậu hoa giấy"))).to_contain_text("310")
    expect(page.get_by_role("row", name=re.compile("Chiều dài"))).to_contain_text("km")

    tab_to(page, ".gallery a")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/media/{re.escape(le_loi_photo.image.name)}$"))
    page.go_back()
    expect(page).to_have_url(re.compile(f"{LE_LOI_PATH}$"))

    # Arrows on the closed language list only pick; Enter confirms (static/js/site.js).
    tab_to(page, "#language-select")
    page.keyboard.press("ArrowDown")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(f"{LE_LOI_PATH}$"))

    # And back to Vietnamese through the button, as without JavaScript.
    tab_to(page, "#language-select")
    page.keyboard.press("ArrowUp")
    tab_to(page, ".language-switch button")
    page.keyboard.press("Space")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#language-select")).to_have_value("vi")

    assert page_problems.all() == []
