"""An official's edits are never lost: "Công bố mốc này" publishes the text on the screen,
and another button or link on a page with unsaved changes warns first (1366 × 768)."""

import pytest
from playwright.sync_api import expect

from registry.choices import MilestoneStatus
from registry.models import Milestone, OversightActivity
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
EDITED_TITLE = "Trồng xong 200 chậu hoa giấy trên đường Lê Lợi"
EDITED_BODY = "Các hộ dân dọc tuyến cùng trồng và chăm sóc."


def test_publishing_a_milestone_publishes_the_text_just_typed(page, page_problems):
    official = factories.make_official("canbo_tiendo")
    initiative = factories.make_initiative("Đường hoa Lê Lợi")
    draft = factories.make_milestone(
        initiative, by=official, title="Cập nhật tiến độ: 10% → 20%", body="Tự động"
    )
    page.set_viewport_size(LAPTOP)
    log_in(page, "canbo_tiendo")
    page.goto(f"/quan-ly/tien-do/{draft.pk}/")
    page.get_by_label("Tiêu đề").fill(EDITED_TITLE)
    page.get_by_label("Nội dung").fill(EDITED_BODY)
    page.get_by_role("button", name="Công bố mốc này").click()

    expect(page.locator(".messages")).to_contain_text("Đã công bố mốc")
    saved = Milestone.objects.get(pk=draft.pk)
    assert (saved.status, saved.title, saved.body) == (
        MilestoneStatus.PUBLISHED,
        EDITED_TITLE,
        EDITED_BODY,
    )
    page.goto(f"/mo-hinh/{initiative.slug}/tien-do/")
    expect(page.locator("main")).to_contain_text(EDITED_TITLE)
    assert page_problems.all() == []


def test_another_button_on_a_page_with_unsaved_changes_warns_before_losing_them(
    page, page_problems
):
    """The inspection log: a note half typed, then "Đánh dấu đã xử lý xong" on a row."""
    official = factories.make_official("canbo_kiemtra")
    initiative = factories.make_initiative("Chợ an toàn thực phẩm")
    activity = OversightActivity.objects.create(
        initiative=initiative,
        kind="inspection",
        happened_on="2023-04-01",
        note="Kiểm tra quầy rau",
        follow_up_due="2023-04-20",
        by=official,
    )
    page.set_viewport_size(LAPTOP)
    log_in(page, "canbo_kiemtra")
    page.goto(f"/quan-ly/mo-hinh/{initiative.pk}/kiem-tra/")
    page.get_by_label("Nội dung, kết quả").fill("Nhắc các hộ kinh doanh che đậy thực phẩm")
    resolve = page.get_by_role("button", name="Đánh dấu đã xử lý xong")
    resolve.click()
    expect(page.locator(".unsaved-warning")).to_contain_text("chưa lưu")
    expect(page.get_by_label("Nội dung, kết quả")).to_have_value(
        "Nhắc các hộ kinh doanh che đậy thực phẩm"
    )
    activity.refresh_from_db()
    assert not activity.resolved
    # A second click means it: the row is resolved.
    resolve.click()
    expect(page.locator(".messages")).to_be_visible()
    activity.refresh_from_db()
    assert activity.resolved
    assert page_problems.all() == []
