"""A party-committee member decides in the admin; residents then see the decisions.

The registration is approved ("Duyệt đăng ký") and published; a recognition an official
proposed is approved with its decision number and date, then published on the model's page.
"""

import re

import pytest
from playwright.sync_api import expect

from campaigns import workflow as campaigns_workflow
from campaigns.models import Recognition
from campaigns.review_choices import RecognitionStatus
from registry.choices import InitiativeStatus
from registry.models import InitiativeTransition
from tests import factories
from tests.campaigns.factories_reviews import make_round

pytestmark = pytest.mark.browser

TITLE = "Tuyến phố không rác thải nhựa Nguyễn Du"
DECISION_NUMBER = "45-QĐ/ĐU"


@pytest.fixture
def registered_initiative(demo):
    return factories.make_initiative(
        TITLE,
        status=InitiativeStatus.REGISTERED,
        published=False,
        slug="tuyen-pho-khong-rac-thai-nhua-nguyen-du",
        summary="Các hộ dân phố Nguyễn Du cam kết không dùng túi ni lông.",
    )


def run_admin_action(page, title, action_label, *, confirm=True):
    """Tick the row, pick the action, "Đi đến"; then (``confirm``) "Xác nhận" on the
    confirmation page every action answers with."""
    row = page.locator("#result_list tbody tr", has_text=title)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.locator("button[name=index]").click()
    if confirm:
        expect(page.locator(".decision-items")).to_contain_text(title)
        page.get_by_role("button", name="Xác nhận").click()


def test_committee_member_approves_a_registration_and_a_recognition_in_the_admin(
    page, browser, live_server, registered_initiative, page_problems
):
    """Approve with "Duyệt đăng ký", publish; then approve and publish a recognition.

    The public page then shows the model, and the recognition with its decision number.
    """
    member = factories.make_committee_member("danguy")
    public_url = registered_initiative.get_absolute_url()
    page_problems.expected_error_paths.add(public_url)
    assert page.goto(public_url).status == 404

    page.goto("/admin/")
    page.locator("#id_username").fill("danguy")
    page.locator("#id_password").fill("pw")
    page.locator("#login-form [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/registry/initiative/?status__exact=registered")
    expect(page.locator("#result_list")).to_contain_text(TITLE)
    run_admin_action(page, TITLE, "Duyệt đăng ký (chuyển sang đang thực hiện)")
    expect(page.locator(".messagelist")).to_contain_text("Đã cập nhật 1 mô hình.")

    page.goto("/admin/registry/initiative/?status__exact=implementing&published__exact=0")
    run_admin_action(page, TITLE, "Công khai trên trang của phường")
    expect(page.locator(".messagelist")).to_contain_text("Đã cập nhật việc công khai.")

    registered_initiative.refresh_from_db()
    assert registered_initiative.status == InitiativeStatus.IMPLEMENTING
    assert registered_initiative.published
    transition = InitiativeTransition.objects.get(initiative=registered_initiative)
    assert (transition.from_status, transition.to_status, transition.by) == (
        InitiativeStatus.REGISTERED,
        InitiativeStatus.IMPLEMENTING,
        member,
    )

    # An official proposes recognising the model in this year's review round.
    review_round = make_round(title="Đợt đánh giá năm 2024")
    campaigns_workflow.recognition_propose(
        initiative=registered_initiative,
        review_round=review_round,
        by=factories.make_official("canbo_phuong"),
        proposal="Các hộ dân tự giác phân loại rác, không dùng túi ni lông.",
    )

    # The member approves it with the decision number and date, then publishes it.
    page.goto("/admin/")
    page.get_by_role("link", name="Công nhận mô hình", exact=True).click()
    expect(page.locator("#result_list")).to_contain_text(TITLE)
    run_admin_action(page, TITLE, "Duyệt công nhận (ghi số, ngày quyết định)", confirm=False)
    # The intermediate page asks for the decision; the browser will not send it empty.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Duyệt công nhận")
    page.get_by_role("button", name="Xác nhận").click()
    assert page.get_by_label("Số quyết định").evaluate("el => el.validity.valueMissing")
    proposed = Recognition.objects.get(initiative=registered_initiative)
    assert proposed.status == RecognitionStatus.PROPOSED
    page.get_by_label("Số quyết định").fill(DECISION_NUMBER)
    page.get_by_label("Ngày quyết định").fill("2024-06-15")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.locator(".messagelist")).to_contain_text("Đã cập nhật 1 mục.")
    run_admin_action(page, TITLE, "Công bố quyết định trên trang công khai")
    expect(page.locator(".messagelist")).to_contain_text("Đã cập nhật 1 mục.")

    recognition = Recognition.objects.get(pk=proposed.pk)
    assert recognition.status == RecognitionStatus.PUBLISHED
    assert (recognition.decision_number, recognition.decided_on.isoformat()) == (
        DECISION_NUMBER,
        "2024-06-15",
    )
    assert recognition.decided_by == member

    # A resident (no session) now finds the model and its recognition on its own page.
    resident = browser.new_context(base_url=live_server.url)
    try:
        public = resident.new_page()
        public.goto("/mo-hinh/?q=nguyen+du")
        public.get_by_role("link", name=TITLE).click()
        expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(public.locator(".badge-status")).to_have_text("Đang thực hiện")
        decisions = public.get_by_role("region", name="Công nhận và khen thưởng")
        recognition_item = decisions.locator(".decision-recognition")
        expect(recognition_item.locator(".badge-recognition")).to_have_text("Được công nhận")
        expect(recognition_item).to_contain_text("Đợt đánh giá năm 2024")
        expect(recognition_item).to_contain_text(f"Quyết định số {DECISION_NUMBER} ngày 15/06/2024")
    finally:
        resident.close()

    assert page_problems.all() == []
