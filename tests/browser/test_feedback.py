"""A resident on a phone sends feedback on the Lê Lợi flower street and follows it with the
private link; an official takes it in, answers it and publishes it with the phone number
removed; the answer appears on the model's page and in the public list."""

import re

import pytest
from playwright.sync_api import expect

from participation.models import Feedback
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

QUESTION = (
    "Xin hỏi phường bao giờ trồng thêm chậu hoa giấy ở đoạn gần cầu Bình Hòa? Số tôi 0912345678."
)
REDACTED = "Xin hỏi phường bao giờ trồng thêm chậu hoa giấy ở đoạn gần cầu Bình Hòa?"
ANSWER = "Tháng sau phường trồng thêm 40 chậu, các hộ dân cùng chăm sóc."


@pytest.fixture
def quick_form(settings):
    """One second instead of three: the journey still waits for it, as a person would."""
    settings.FEEDBACK_MIN_SECONDS = 1


def test_a_resident_sends_feedback_an_official_answers_and_the_answer_is_public(
    phone_page, browser, live_server, le_loi, quick_form, page_problems
):
    page = phone_page
    # The form sent back with its errors answers 400 (a console message, expected here).
    page_problems.expected_error_paths.add(f"/mo-hinh/{le_loi.slug}/gop-y/")
    page.goto(le_loi.get_absolute_url())
    form = page.locator("form.feedback-form")
    expect(page.get_by_role("heading", name="Gửi góp ý cho mô hình này")).to_be_visible()
    form.get_by_label("Hỏi", exact=True).check()
    form.get_by_label(re.compile(r"^Nội dung")).fill(QUESTION)
    form.get_by_label("Số điện thoại (không bắt buộc, không công khai)").fill("0912 345 678")
    form.get_by_label("Tôi đồng ý để cán bộ phường liên hệ qua số điện thoại này").check()
    # The phone-number field is wrong first: the form comes back with the text kept.
    form.get_by_label("Số điện thoại (không bắt buộc, không công khai)").fill("0912")
    page.wait_for_timeout(1200)
    form.get_by_role("button", name="Gửi góp ý").click()
    expect(page.locator(".field-error")).to_contain_text("Số điện thoại chưa đúng")
    form = page.locator("form.feedback-form")
    expect(form.get_by_label(re.compile(r"^Nội dung"))).to_have_value(QUESTION)
    form.get_by_label("Số điện thoại (không bắt buộc, không công khai)").fill("0912 345 678")
    page.wait_for_timeout(1200)
    form.get_by_role("button", name="Gửi góp ý").click()

    # The token is in a cookie, not the address (no flag either: a bookmark is the page);
    # the private link is shown as text to be kept.
    expect(page).to_have_url(re.compile(r"/gop-y/GY-\d{4}-\d{6}/$"))
    tracking_url = page.locator("#private-link").input_value()
    assert re.search(r"/gop-y/GY-\d{4}-\d{6}/\?t=[\w-]+$", tracking_url)
    feedback = Feedback.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Góp ý {feedback.code}")
    expect(page.locator(".feedback-status")).to_have_text("Mới gửi")
    expect(page.locator(".messages")).to_contain_text(f"Góp ý đã được gửi với mã {feedback.code}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert feedback.phone == "0912345678" and feedback.contact_consent

    # An official takes it in from the dashboard, answers it and publishes it, redacted.
    factories.make_official("canbo_gopy")
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    official = context.new_page()
    log_in(official, "canbo_gopy")
    official.goto("/quan-ly/")
    official.get_by_role("link", name=re.compile(feedback.code)).click()
    expect(official.get_by_role("heading", level=1)).to_have_text(f"Góp ý {feedback.code}")
    expect(official.locator("main")).to_contain_text("0912345678")  # contact, for officials
    official.get_by_role("button", name="Tiếp nhận").click()
    expect(official.locator(".feedback-status")).to_have_text("Đã tiếp nhận")
    official.get_by_label("Câu trả lời").fill(ANSWER)
    official.get_by_role("button", name="Lưu câu trả lời", exact=True).click()
    expect(official.locator(".feedback-status")).to_have_text("Đã trả lời")
    official.get_by_label("Nội dung công khai").fill(REDACTED)
    official.get_by_role("button", name="Công khai nội dung này").click()
    expect(official.locator("main")).to_contain_text("Đã công khai lúc")
    context.close()

    # The resident follows the link, sees the answer and rates it.
    page.goto(tracking_url)
    expect(page.locator(".feedback-status")).to_have_text("Đã trả lời")
    expect(page.locator(".feedback-answer")).to_contain_text(ANSWER)
    page.get_by_label("5", exact=True).check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("main")).to_contain_text("Bạn đã đánh giá: 5/5")

    # Everyone sees the redacted question with its answer; never the phone number.
    page.goto(le_loi.get_absolute_url())
    section = page.locator(".feedback-section")
    expect(section).to_contain_text(REDACTED)
    expect(section).to_contain_text(ANSWER)
    assert "0912345678" not in page.content() and "0912 345 678" not in page.content()
    page.goto("/gop-y/?answered=1")
    expect(page.locator("main")).to_contain_text(feedback.code)
    expect(page.locator("main")).to_contain_text(ANSWER)
    assert "0912345678" not in page.content()
    assert page_problems.all() == [], page_problems.all()
