"""A party-committee member decides a registration in the admin; residents then see it.

Approving a proposed recognition with a decision number comes with the recognition work
(issue 4): extend this journey when campaigns' admin has its action.
"""

import re

import pytest
from playwright.sync_api import expect

from registry.choices import InitiativeStatus
from registry.models import InitiativeTransition
from tests import factories

pytestmark = pytest.mark.browser

TITLE = "Tuyến phố không rác thải nhựa Nguyễn Du"


@pytest.fixture
def registered_initiative(demo):
    return factories.make_initiative(
        TITLE,
        status=InitiativeStatus.REGISTERED,
        published=False,
        slug="tuyen-pho-khong-rac-thai-nhua-nguyen-du",
        summary="Các hộ dân phố Nguyễn Du cam kết không dùng túi ni lông.",
    )


def run_admin_action(page, title, action_label):
    row = page.locator("#result_list tbody tr", has_text=title)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label=action_label)
    page.locator("button[name=index]").click()


def test_committee_member_approves_and_publishes_a_registration_in_the_admin(
    page, browser, live_server, registered_initiative, page_problems
):
    """Log in, approve with "Duyệt đăng ký", publish; the public page then shows the model."""
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

    # A resident (no session) now finds it in the registry and on its own page.
    resident = browser.new_context(base_url=live_server.url)
    try:
        public = resident.new_page()
        public.goto("/mo-hinh/?q=nguyen+du")
        public.get_by_role("link", name=TITLE).click()
        expect(public.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(public.locator(".badge-status")).to_have_text("Đang thực hiện")
    finally:
        resident.close()

    assert page_problems.all() == []
