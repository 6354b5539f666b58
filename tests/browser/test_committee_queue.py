"""The committee's day in the admin at 1366 × 768: the queue on the index, the decision
buttons with their confirmation page, the statuses in Vietnamese, the list's columns that fit;
then the official's dashboard says what the committee decided."""

import re

import pytest
from playwright.sync_api import expect

from campaigns import workflow as campaigns_workflow
from campaigns.models import Recognition
from campaigns.review_choices import RecognitionStatus
from registry.choices import InitiativeStatus
from registry.models import Initiative
from tests import factories
from tests.browser.conftest import ARTIFACTS_DIR, log_in
from tests.campaigns.factories_reviews import make_round

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
TITLE = "Tuyến phố không rác thải nhựa Nguyễn Du"
SUMMARY = "Các hộ dân phố Nguyễn Du cam kết không dùng túi ni lông."
PROPOSAL = "Mô hình tiêu biểu: 120 hộ ký cam kết, chợ Nguyễn Du không còn túi ni lông."


def admin_log_in(page, username):
    page.goto("/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("pw")
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def assert_cells_not_cut(page, column):
    """Every cell of ``column`` is fully inside the window and shows all its text."""
    cells = page.locator(f"#result_list td.field-{column}")
    assert cells.count() > 0
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        assert box["x"] + box["width"] <= LAPTOP["width"], f"{column} cell beyond the window"
        clipped = cells.nth(index).evaluate("el => el.scrollWidth > el.clientWidth")
        assert not clipped, f"{column} cell cut off"
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    # No column hidden behind a horizontal scroll of the list either.
    assert page.evaluate(
        "(() => { const r = document.querySelector('.results');"
        " return r.scrollWidth <= r.clientWidth; })()"
    ), "the list's columns do not fit"


def test_the_committee_decides_from_its_queue_and_the_official_sees_it(
    page, browser, live_server, page_problems
):
    factories.make_committee_member("danguy")
    official = factories.make_official("canbo_phuong")
    # A few models in every state, as a ward's list looks.
    for n, status in enumerate(InitiativeStatus.values):
        factories.make_initiative(
            f"Mô hình đường hoa, chợ văn minh, khu dân cư kiểu mẫu số {n}",
            status=status,
            published=status != InitiativeStatus.DRAFT,
        )
    registered = factories.make_initiative(
        TITLE, status=InitiativeStatus.REGISTERED, published=False, summary=SUMMARY
    )
    proposed_for = factories.make_initiative("Ngôi nhà trí tuệ khu phố Trường Thọ")
    campaigns_workflow.recognition_propose(
        initiative=proposed_for,
        review_round=make_round(title="Đợt đánh giá năm 2024"),
        by=official,
        proposal=PROPOSAL,
    )
    page.set_viewport_size(LAPTOP)

    # The queue on the index, with counts, leads to the filtered list.
    admin_log_in(page, "danguy")
    queue = page.locator("#committee-queue")
    expect(queue).to_contain_text("Đăng ký mô hình chờ duyệt: 2")
    expect(queue).to_contain_text("Đề nghị công nhận chờ quyết định: 1")
    queue.get_by_role("link", name="Đăng ký mô hình chờ duyệt: 2").click()
    expect(page).to_have_url(re.compile(r"status__exact=registered"))
    expect(page.locator("#result_list")).to_contain_text(TITLE)

    # The whole list: the status column is not cut off at 1366 px.
    page.goto("/admin/registry/initiative/")
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "committee-initiative-list-1366.png"))
    assert_cells_not_cut(page, "status")
    page.goto("/admin/campaigns/recognition/")
    assert_cells_not_cut(page, "status")
    page.screenshot(path=str(ARTIFACTS_DIR / "committee-recognition-list-1366.png"))
    page.goto("/admin/registry/initiative/?status__exact=registered")

    # The model's page: "Duyệt đăng ký" opens the confirmation with the proposal's text.
    page.locator("#result_list tr", has_text=TITLE).locator("th a").click()
    page.get_by_role("link", name="Duyệt đăng ký (chuyển sang đang thực hiện)").click()
    expect(page.locator(".decision-summary")).to_contain_text(SUMMARY)
    assert Initiative.objects.get(pk=registered.pk).status == InitiativeStatus.REGISTERED
    page.get_by_role("button", name=re.compile("Xác nhận")).click()
    expect(page.locator(".messagelist")).to_contain_text("Đã cập nhật 1 mô hình.")
    assert Initiative.objects.get(pk=registered.pk).status == InitiativeStatus.IMPLEMENTING
    history = page.locator(".inline-group", has_text="Lịch sử chuyển trạng thái")
    expect(history).to_contain_text("Đã đăng ký")
    expect(history).to_contain_text("Đang thực hiện")
    expect(history).not_to_contain_text("registered")

    # The recognition: "Không duyệt" shows the proposal, asks for the reason.
    page.goto("/admin/")
    page.locator("#committee-queue").get_by_role(
        "link", name="Đề nghị công nhận chờ quyết định: 1"
    ).click()
    page.locator("#result_list tr", has_text="Ngôi nhà trí tuệ").locator("th a").click()
    page.get_by_role("link", name="Không duyệt (kèm lý do)").click()
    expect(page.locator(".decision-summary")).to_contain_text(PROPOSAL)
    page.get_by_label("Lý do").fill("Chưa đủ một năm thực hiện")
    page.get_by_role("button", name=re.compile("Xác nhận")).click()
    expect(page.locator(".messagelist")).to_contain_text("Đã cập nhật 1 mục.")
    recognition = Recognition.objects.get(initiative=proposed_for)
    assert recognition.status == RecognitionStatus.REJECTED
    history = page.locator(".inline-group", has_text="Lịch sử chuyển trạng thái")
    expect(history).to_contain_text("Không duyệt")
    expect(history).not_to_contain_text("rejected")

    # The official's dashboard says what the committee decided.
    official_context = browser.new_context(
        viewport=LAPTOP, locale="vi-VN", base_url=live_server.url
    )
    try:
        official_page = official_context.new_page()
        log_in(official_page, "canbo_phuong")
        official_page.goto("/quan-ly/")
        decided = official_page.locator("#section-committee-decisions")
        expect(decided).to_contain_text("Đảng ủy đã quyết định")
        expect(decided).to_contain_text(f"{TITLE}: Đã đăng ký → Đang thực hiện")
        expect(decided).to_contain_text(
            "Ngôi nhà trí tuệ khu phố Trường Thọ: Đề nghị → Không duyệt"
        )
        expect(decided).to_contain_text("Chưa đủ một năm thực hiện")
    finally:
        official_context.close()
    assert page_problems.all() == []
