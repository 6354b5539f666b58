"""A ward official registers a model in the workspace (/quan-ly/), the way the UI leads."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from registry.choices import InitiativeStatus
from registry.models import Initiative, InitiativeTransition
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

TITLE = "Tuyến phố hoa giấy Trần Hưng Đạo"
FIELD = "Xây dựng đô thị văn minh"
INDICATORS = [
    ("Chậu hoa giấy", "chậu", "250", "180"),
    ("Chiều dài tuyến đường", "km", "1.5", "1"),
]
COMMITMENT = "Mỗi hộ chăm sóc chậu hoa trước nhà, không lấn chiếm vỉa hè"
PHOTO_ALT = "Hàng chậu hoa giấy trước nhà dân đường Trần Hưng Đạo"


def photo_file():
    """A JPEG made on the spot, as a phone would send it."""
    return {
        "name": "hoa-giay-tran-hung-dao.jpg",
        "mimeType": "image/jpeg",
        "buffer": factories.image_bytes(size=(640, 480), color=(190, 40, 110)),
    }


def formset_row(page, heading, number):
    """Row ``number`` (1-based) of a formset; "Thêm dòng" adds rows until it exists."""
    section = page.locator(".formset", has=page.get_by_role("heading", name=heading, exact=True))
    rows = section.locator(".formset-rows > fieldset")
    while rows.count() < number:
        section.get_by_role("button", name="Thêm dòng").click()
    return rows.nth(number - 1)


def fill_indicator(page, number, label, unit, target, actual):
    row = formset_row(page, "Chỉ tiêu và kết quả", number)
    row.get_by_label("Chỉ tiêu").fill(label)
    row.get_by_label("Đơn vị tính").fill(unit)
    row.get_by_label("Mục tiêu").fill(target)
    row.get_by_label("Kết quả").fill(actual)
    row.get_by_label("Thứ tự").fill(str(number))


def test_official_registers_a_model_fixes_a_mistake_and_submits_it(page, page_problems):
    """Log in, open the workspace, create a model (a validation error first), submit it."""
    official = factories.make_official("canbo_phuong")
    factories.make_field(FIELD)
    factories.make_admin_unit()

    # The styled login page, then the header's "Quản lý" link into the workspace.
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_label("Tên đăng nhập").fill("canbo_phuong")
    page.get_by_label("Mật khẩu").fill("pw")
    page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Quản lý"
    ).click()
    expect(page).to_have_url(re.compile(r"/quan-ly/$"))

    # The list of models offers the registration form.
    page.get_by_role("navigation", name="Trang quản lý").get_by_role(
        "link", name="Mô hình, điển hình"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mô hình, điển hình")
    page.locator(".workspace-main").get_by_role("link", name="Đăng ký mô hình mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký mô hình mới")
    # formset.js shows "Thêm dòng" (the page works without it, with two empty rows).
    expect(page.get_by_role("button", name="Thêm dòng").first).to_be_visible()

    # Everything but the title, and a negative target in the second indicator.
    page.get_by_label("Mã số").fill("DVK-2024-07")
    page.get_by_label("Loại").select_option(label="Mô hình")
    page.get_by_label("Lĩnh vực").select_option(label=FIELD)
    page.get_by_label("Phường, xã").select_option(label="Phường Trường Sơn")
    page.get_by_label("Địa điểm").fill("Đường Trần Hưng Đạo, khu phố 3")
    page.get_by_label("Tóm tắt").fill("250 chậu hoa giấy do các hộ dân tự trồng và chăm sóc.")
    page.get_by_label("Ngày bắt đầu").fill("2024-03-01")
    page.get_by_label("Mục tiêu kinh phí (đồng)").fill("120000000")
    fill_indicator(page, 1, *INDICATORS[0])
    label, unit, _target, actual = INDICATORS[1]
    fill_indicator(page, 2, label, unit, "-2", actual)
    formset_row(page, "Cam kết của hộ dân", 1).get_by_label("Nội dung cam kết").fill(COMMITMENT)
    photo = formset_row(page, "Hình ảnh", 1)
    photo.locator("input[type=file]").set_input_files(photo_file())
    photo.get_by_label("Mô tả ảnh").fill(PHOTO_ALT)
    page.get_by_role("button", name="Lưu", exact=True).click()

    # The errors are shown, nothing is saved, and everything typed is still there.
    expect(page.get_by_role("alert").first).to_contain_text("Chưa lưu được")
    expect(page.get_by_role("alert").first).to_contain_text("hãy chọn lại ảnh")
    title_row = page.locator(".form-row", has=page.get_by_label("Tên mô hình, điển hình"))
    expect(title_row.locator(".field-error")).to_be_visible()
    second = formset_row(page, "Chỉ tiêu và kết quả", 2)
    expect(second.locator(".field-error")).to_have_text("Số liệu không thể âm.")
    assert not Initiative.objects.exists()
    expect(page.get_by_label("Mã số")).to_have_value("DVK-2024-07")
    expect(page.get_by_label("Lĩnh vực").locator("option:checked")).to_have_text(FIELD)
    expect(page.get_by_label("Địa điểm")).to_have_value("Đường Trần Hưng Đạo, khu phố 3")
    expect(page.get_by_label("Mục tiêu kinh phí (đồng)")).to_have_value("120000000")
    expect(page.get_by_label("Ngày bắt đầu")).to_have_value("2024-03-01")
    first = formset_row(page, "Chỉ tiêu và kết quả", 1)
    expect(first.get_by_label("Chỉ tiêu")).to_have_value("Chậu hoa giấy")
    expect(first.get_by_label("Mục tiêu")).to_have_value("250")
    expect(second.get_by_label("Chỉ tiêu")).to_have_value("Chiều dài tuyến đường")
    expect(second.get_by_label("Mục tiêu")).to_have_value("-2")
    commitment = formset_row(page, "Cam kết của hộ dân", 1).get_by_label("Nội dung cam kết")
    expect(commitment).to_have_value(COMMITMENT)
    photo = formset_row(page, "Hình ảnh", 1)
    expect(photo.get_by_label("Mô tả ảnh")).to_have_value(PHOTO_ALT)

    # Fix both mistakes, choose the photo again, save.
    page.get_by_label("Tên mô hình, điển hình").fill(TITLE)
    second.get_by_label("Mục tiêu").fill("1.5")
    photo.locator("input[type=file]").set_input_files(photo_file())
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.locator(".messages")).to_contain_text(f"Đã tạo mô hình “{TITLE}”.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".workspace-header .badge-status")).to_have_text("Dự thảo")
    indicators = page.get_by_role("region", name="Chỉ tiêu và kết quả")
    expect(indicators.get_by_role("row", name=re.compile("Chậu hoa giấy"))).to_contain_text("250")
    expect(indicators.get_by_role("row", name=re.compile("Chiều dài"))).to_contain_text("1,5")
    expect(page.get_by_role("region", name="Cam kết của hộ dân")).to_contain_text(COMMITMENT)
    thumbnail = page.get_by_role("img", name=PHOTO_ALT)
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")

    initiative = Initiative.objects.get(code="DVK-2024-07")
    assert initiative.title == TITLE and initiative.created_by == official
    assert initiative.funding_target == 120_000_000
    assert [(i.label, i.target) for i in initiative.indicators.order_by("order")] == [
        ("Chậu hoa giấy", Decimal("250")),
        ("Chiều dài tuyến đường", Decimal("1.5")),
    ]
    assert [c.text for c in initiative.commitments.all()] == [COMMITMENT]
    assert initiative.photos.get().alt_text == PHOTO_ALT

    # Submit the registration for the party committee.
    page.get_by_role("button", name=re.compile("^Gửi đăng ký")).click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi đăng ký")
    expect(page.locator(".workspace-header .badge-status")).to_have_text("Đã đăng ký")
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.REGISTERED
    transition = InitiativeTransition.objects.get(initiative=initiative)
    assert (transition.from_status, transition.to_status, transition.by) == (
        InitiativeStatus.DRAFT,
        InitiativeStatus.REGISTERED,
        official,
    )

    assert page_problems.all() == []


def test_rows_added_with_the_add_row_button_are_saved(page, page_problems):
    """formset.js: "Thêm dòng" adds a numbered empty row whose values are saved."""
    factories.make_official("canbo_phuong")
    initiative = factories.make_initiative("Ngõ sáng khu phố 5", published=False)
    log_in(page, "canbo_phuong")
    page.goto(f"/quan-ly/mo-hinh/{initiative.pk}/sua/")

    section = page.locator("#commitments")
    rows = section.locator(".formset-rows > fieldset")
    expect(rows).to_have_count(2)
    section.get_by_role("button", name="Thêm dòng").click()
    expect(rows).to_have_count(3)
    added = rows.nth(2)
    expect(added.get_by_label("Nội dung cam kết")).to_be_focused()
    expect(section.locator("input[name=commitments-TOTAL_FORMS]")).to_have_value("3")
    added.get_by_label("Nội dung cam kết").fill("Thắp đèn trước cửa nhà từ 18 giờ")
    page.get_by_role("button", name="Lưu", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("Đã lưu")
    assert [c.text for c in initiative.commitments.all()] == ["Thắp đèn trước cửa nhà từ 18 giờ"]
    assert page_problems.all() == []
