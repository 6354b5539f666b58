"""An official types sums the Vietnamese way into the ledger: each spelling is saved in full."""

import pytest
from playwright.sync_api import expect

from campaigns.models import Pledge
from tests import factories
from tests.browser.conftest import log_in
from tests.campaigns.factories import make_contributor

pytestmark = pytest.mark.browser

SPELLINGS = [
    "2.000.000",
    "2 000 000",
    "2\u00a0000\u00a0000",
    "2\u202f000\u202f000",
    "2000000",
    "2.000.000 ₫",
    "2.000.000 đ",
    "2.000.000 VND",
]


def test_each_spelling_typed_with_the_keyboard_is_saved_in_full(
    page, page_problems, transactional_db
):
    factories.make_official("canbo_phuong")
    initiative = factories.make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    contributor = make_contributor("Hộ ông Nguyễn Văn An")
    log_in(page, "canbo_phuong")
    ledger = f"/quan-ly/mo-hinh/{initiative.pk}/dong-gop/?contributor={contributor.pk}"

    for number, typed in enumerate(SPELLINGS, start=1):
        page.goto(ledger)
        value = page.locator("#id_pledge-value")
        expect(value).to_have_attribute("inputmode", "numeric")
        value.click()
        page.keyboard.type(typed)
        # money.js reads the sum as it is typed, before anything is saved.
        expect(page.locator("#id_pledge-value_money")).to_have_text("= 2.000.000\u00a0₫")
        page.locator("#pledge-form button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("2.000.000 ₫")
        assert Pledge.objects.count() == number, typed
        assert Pledge.objects.order_by("-pk").first().value == 2_000_000, typed

    # An ambiguous sum: the hint says so at once, the server refuses it and keeps it as typed.
    page.goto(ledger)
    page.locator("#id_pledge-value").click()
    page.keyboard.type("2.000000")
    expect(page.locator("#id_pledge-value_money")).to_contain_text("Chưa đọc được")
    page.locator("#pledge-form button[type=submit]").click()
    expect(page.locator("#pledge-form")).to_contain_text("phải đủ 3 chữ số")
    expect(page.locator("#id_pledge-value")).to_have_value("2.000000")
    assert Pledge.objects.count() == len(SPELLINGS)
    assert not page_problems.all()


def test_the_sum_read_shows_after_a_round_trip_without_javascript(
    browser, live_server, transactional_db
):
    factories.make_official("canbo_phuong")
    initiative = factories.make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        log_in(page, "canbo_phuong")
        page.goto(f"/quan-ly/mo-hinh/{initiative.pk}/dong-gop/#expenses")
        page.locator("#id_expense-amount").fill("1500000")
        page.locator("#id_expense-spent_on").fill("2000-01-01")
        page.locator("#id_expense-voucher_number").fill("PC-01")
        # No description: the form comes back, with the sum grouped and read.
        page.locator("#id_expense-amount").press("Enter")
        expect(page.locator("#id_expense-amount")).to_have_value("1500000")
        expect(page.locator("#id_expense-amount_money")).to_have_text("= 1.500.000\u00a0₫")
    finally:
        context.close()


def test_an_official_corrects_a_donation_in_one_step(page, page_problems, transactional_db):
    """ "Sửa khoản này": the entry opens pre-filled; saving reverses it and records the fix,
    with the paper receipt's number, linked both ways in the ledger."""
    from campaigns.models import Donation
    from tests.campaigns.factories import make_donation

    factories.make_official("canbo_phuong")
    initiative = factories.make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    contributor = make_contributor("Hộ ông Nguyễn Văn An")
    wrong = make_donation(
        initiative=initiative,
        contributor=contributor,
        amount=2,
        receipt_number="BN-0007",
        description="Ủng hộ mua chậu hoa",
    )
    log_in(page, "canbo_phuong")
    page.goto(f"/quan-ly/mo-hinh/{initiative.pk}/dong-gop/#donations")
    page.locator(f"#donation-{wrong.pk}").get_by_role("link", name="Sửa khoản này").click()
    expect(page.locator("#id_donation-receipt_number")).to_have_value("BN-0007")
    expect(page.locator("#id_donation-description")).to_have_value("Ủng hộ mua chậu hoa")
    amount = page.locator("#id_donation-amount")
    expect(amount).to_have_value("2")
    amount.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2.000.000")
    expect(page.locator("#id_donation-amount_money")).to_have_text("= 2.000.000\u00a0₫")
    page.locator("#id_donation-reason").fill("Gõ nhầm số tiền")
    page.get_by_role("button", name="Lưu khoản đã sửa").click()

    expect(page.locator(".messages")).to_contain_text("ghi khoản đã sửa 2.000.000 ₫")
    new = Donation.objects.get(corrects=wrong)
    assert (new.amount, new.receipt_number) == (2_000_000, "BN-0007")
    assert Donation.objects.get(reverses=wrong).amount == -2
    expect(page.locator(f"#donation-{wrong.pk}")).to_contain_text("Đã sửa thành")
    expect(page.locator(f"#donation-{new.pk}")).to_contain_text("Sửa cho khoản")
    expect(page.locator("[data-total=received]")).to_have_text("2.000.000\u00a0₫")
    assert not page_problems.all()
