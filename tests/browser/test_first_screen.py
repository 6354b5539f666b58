"""On a 360 × 780 phone, what a resident came for is in the first screen: the first result of
a search, the model page's "Gửi góp ý"; the folded filters work without JavaScript; the
feedback journey from /gop-y/ keeps its private link (copy button, QR code); a refused form
puts the focus on its error summary."""

import re

import pytest
from playwright.sync_api import expect

from participation.models import Feedback
from tests.browser.conftest import open_phone

pytestmark = pytest.mark.browser

SCREEN = {"width": 360, "height": 780}
LE_LOI = "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi"
TEXT = "Đề nghị phường bố trí thêm thùng rác gần cầu Bình Hòa, cuối tuần rác để nhiều."


def _phone(browser, live_server, page_problems, *, language="vi", javascript=True):
    return open_phone(
        browser,
        live_server,
        page_problems,
        height=SCREEN["height"],
        language=language,
        javascript=javascript,
    )


@pytest.fixture
def phone(browser, live_server, page_problems):
    context, page = _phone(browser, live_server, page_problems)
    yield page
    context.close()


def _bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    return box["y"] + box["height"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_first_search_result_is_in_the_first_screen(
    browser, live_server, le_loi, page_problems, language
):
    context, page = _phone(browser, live_server, page_problems, language=language)
    try:
        page.goto("/mo-hinh/?q=hoa+le+loi")
        first = page.locator(".cards .card").first
        expect(first.get_by_role("link", name=LE_LOI)).to_be_visible()
        assert page.evaluate("window.scrollY") == 0
        assert _bottom(first) <= SCREEN["height"], f"first result ends at {_bottom(first)} px"
        assert page_problems.all() == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_model_page_offers_send_feedback_in_the_first_screen(
    browser, live_server, le_loi, page_problems, language
):
    context, page = _phone(browser, live_server, page_problems, language=language)
    try:
        page.goto(le_loi.get_absolute_url())
        name = "Gửi góp ý" if language == "vi" else "Send feedback"
        action = page.locator(".initiative-actions").get_by_role("link", name=name, exact=True)
        assert _bottom(action) <= SCREEN["height"], f"the action ends at {_bottom(action)} px"
        assert _bottom(page.locator(".initiative-header .progress")) <= SCREEN["height"]
        action.click()
        expect(page).to_have_url(re.compile(rf"/mo-hinh/{le_loi.slug}/gop-y/$"))
        expect(page.locator("form.feedback-form textarea[name=text]")).to_be_visible()
        assert page_problems.all() == []
    finally:
        context.close()


def test_the_folded_filters_work_without_javascript(browser, live_server, le_loi, page_problems):
    context, page = _phone(browser, live_server, page_problems, javascript=False)
    try:
        page.goto("/mo-hinh/?q=hoa+le+loi")
        summary = page.locator("details.filter-more > summary")
        expect(summary).to_have_text("Lọc")
        expect(page.get_by_label("Trạng thái")).to_be_hidden()
        summary.click()
        page.get_by_label("Trạng thái").select_option("implementing")
        page.get_by_role("button", name="Lọc", exact=True).click()
        expect(page).to_have_url(re.compile(r"status=implementing"))
        expect(page.locator("details.filter-more > summary")).to_have_text("Lọc (1)")
        expect(page.locator(".filter-summary")).to_contain_text("Trạng thái: Đang thực hiện")
        expect(page.locator(".cards").get_by_role("link", name=LE_LOI)).to_be_visible()
        assert page_problems.all() == []
    finally:
        context.close()


def test_feedback_from_the_header_to_a_private_link_that_is_copied(
    phone, le_loi, settings, page_problems
):
    """Header "Góp ý" → search "hoa le loi" → the model's form; a refused form focuses its
    error summary; sent, the private link is text with a copy button and a QR code."""
    settings.FEEDBACK_MIN_SECONDS = 0
    page = phone
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page_problems.expected_error_paths.add(f"/mo-hinh/{le_loi.slug}/gop-y/")
    page.goto("/")
    page.locator(".site-nav").get_by_role("link", name="Góp ý", exact=True).click()
    expect(page).to_have_url(re.compile(r"/gop-y/$"))
    page.get_by_label(re.compile("Góp ý về một mô hình")).fill("hoa le loi")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.get_by_role("link", name=LE_LOI).click()
    expect(page).to_have_url(re.compile(rf"/mo-hinh/{le_loi.slug}/gop-y/$"))

    form = page.locator("form.feedback-form")
    form.get_by_label("Góp ý", exact=True).check()
    form.get_by_label(re.compile(r"^Nội dung")).fill("Ngắn quá")
    form.get_by_role("button", name="Gửi góp ý").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    summary.get_by_role("link", name=re.compile(r"^Nội dung: Nội dung quá ngắn")).click()
    expect(page.locator("#id_text")).to_be_focused()
    expect(page.locator("#id_text")).to_have_value("Ngắn quá")

    page.locator("#id_text").fill(TEXT)
    page.locator("form.feedback-form").get_by_role("button", name="Gửi góp ý").click()
    expect(page).to_have_url(re.compile(r"/gop-y/GY-\d{4}-\d{6}/$"))
    feedback = Feedback.objects.get()
    link = page.locator("#private-link")
    expect(link).to_have_value(re.compile(rf"/gop-y/{feedback.code}/\?t=[\w-]+$"))
    expect(link).to_have_attribute("readonly", "")
    expect(page.locator(".private-link-qr svg.qr")).to_be_visible()
    expect(page.locator(".feedback-code")).to_contain_text(feedback.code)
    page.get_by_role("button", name="Chép đường dẫn").click()
    expect(page.locator("#private-link-status")).to_have_text("Đã chép đường dẫn.")
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= SCREEN["width"]
    assert page_problems.all() == [], page_problems.all()


def test_without_javascript_the_private_link_is_there_to_select_and_no_button_shows(
    browser, live_server, le_loi, page_problems, settings
):
    settings.FEEDBACK_MIN_SECONDS = 0
    context, page = _phone(browser, live_server, page_problems, javascript=False)
    try:
        page.goto("/gop-y/chung/")
        page.locator("form.feedback-form").get_by_label("Hỏi", exact=True).check()
        page.locator("#id_text").fill(TEXT)
        page.locator("form.feedback-form").get_by_role("button", name="Gửi góp ý").click()
        expect(page).to_have_url(re.compile(r"/gop-y/GY-\d{4}-\d{6}/$"))
        assert Feedback.objects.get().initiative is None
        expect(page.locator("#private-link")).to_be_visible()
        expect(page.get_by_role("button", name="Chép đường dẫn")).to_be_hidden()
        expect(page.locator("main")).to_contain_text("Góp ý chung về phường")
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/accounts/login/", {"username": "khong-co", "password": "sai"}),
        ("/gop-y/chung/", {"text": "Ngắn"}),
    ],
)
def test_every_refused_public_form_puts_the_focus_on_its_error_summary(
    phone, demo, page_problems, path, fields
):
    """Even where a field has the autofocus attribute (the login form's user name)."""
    page = phone
    page_problems.expected_error_paths.add(path)
    page.goto(path)
    form = page.locator("main form[method=post]")
    for name, value in fields.items():
        form.locator(f"[name='{name}']").fill(value)
    form.locator("button[type=submit]").last.click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Chưa gửi được: xin sửa những chỗ sau")
