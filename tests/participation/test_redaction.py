"""Personal data in residents' feedback is masked before publication, by one detector
(participation/redaction.py) that the workspace, the admin and the workflow share."""

import pytest
from django.urls import reverse

from participation import workflow
from participation.choices import FeedbackStatus as S
from participation.models import Feedback
from participation.redaction import MASK, find_personal_data, redact
from tests import factories
from tests.participation.factories import make_feedback

M = MASK
SENDER = {"names": ["Nguyễn Thị Hoa"], "phones": ["0912 345 678"]}

# (what a resident typed, what the public suggestion must be). Real-looking texts; each row is
# one rule. The sender of every row is Nguyễn Thị Hoa, phone 0912 345 678.
CASES = [
    # phones, every common spelling
    ("Gọi cho tôi 0987654321 nhé.", f"Gọi cho tôi {M} nhé."),
    ("SĐT: 0987 654 321", f"SĐT: {M}"),
    ("Liên hệ 098.765.4321 buổi tối", f"Liên hệ {M} buổi tối"),
    ("Số của tôi 0987-654-321.", f"Số của tôi {M}."),
    ("Zalo +84 987 654 321", f"Zalo {M}"),
    ("gọi 84987654321 giúp", f"gọi {M} giúp"),
    ("ĐT (+84) 98 765 4321", f"ĐT {M}"),
    ("+84 (0) 987 654 321 là số nhà tôi", f"{M} là số nhà tôi"),
    ("tel.0356789012", f"tel.{M}"),
    ("Máy bàn (0237) 3852 123", f"Máy bàn {M}"),
    ("máy bàn 0237.3852.123", f"máy bàn {M}"),
    ("số cũ 01234 567 890 vẫn dùng", f"số cũ {M} vẫn dùng"),
    ("0987654321, 0356 789 012", f"{M}, {M}"),
    # the sender's own phone, even without its 0; the sender's own name
    ("Cứ nhắn 912 345 678 là được", f"Cứ nhắn {M} là được"),
    ("Tôi là Nguyễn Thị Hoa ở khu phố Bắc Kỳ", f"Tôi là {M} ở khu phố Bắc Kỳ"),
    ("nguyen thi hoa, nguoi dan tuyen duong", f"{M}, nguoi dan tuyen duong"),
    ("NGUYỄN THỊ HOA kiến nghị", f"{M} kiến nghị"),
    ("Chị Thị Hoa bán hàng đầu ngõ", f"Chị {M} bán hàng đầu ngõ"),
    # other names
    ("Tên tôi là Trần Văn Bình.", f"Tên tôi là {M}."),
    ("Ông Lê Văn Tám để xe chắn lối đi", f"Ông {M} để xe chắn lối đi"),
    ("Họ tên: Phạm Minh Đức", f"Họ tên: {M}"),
    # e-mail, ID numbers
    ("Gửi về nguyen.hoa1980@gmail.com", f"Gửi về {M}"),
    ("CCCD số 038095001234", f"CCCD số {M}"),
    ("CMND: 172345678", f"CMND: {M}"),
    ("căn cước 001 203 004 567", f"căn cước {M}"),
    # house addresses
    ("Nhà tôi ở số 88 Lê Lợi", f"Nhà tôi ở {M} Lê Lợi"),
    ("nhà số 12 bị ngập", f"{M} bị ngập"),
    ("ở ngõ 5 Trần Phú có ổ gà", f"ở {M} Trần Phú có ổ gà"),
    ("số nhà 7, ngõ 12 ngách 3/2", f"{M}"),
    ("hẻm 12/4 Hùng Vương tối om", f"{M} Hùng Vương tối om"),
    ("kiệt 45 bị tắc cống", f"{M} bị tắc cống"),
    ("trước số 23 đường Nguyễn Du", f"trước {M} đường Nguyễn Du"),
    # the reported text, published by one click
    (
        "Đèn đường hỏng. Gọi cho tôi 0987654321, nhà tôi ở số 88 Lê Lợi.",
        f"Đèn đường hỏng. Gọi cho tôi {M}, nhà tôi ở {M} Lê Lợi.",
    ),
]

# False friends: figures a resident writes about a model; none is personal data.
# "tổ 5" and "khu phố 3" are decided not personal: a residential group is how the ward files
# its models publicly, dozens of households, not one.
NOT_PERSONAL = [
    "Đặt 310 chậu hoa giấy dọc 2 km đường Lê Lợi.",
    "Hôm 12/03/2023 phường đã dọn xong.",
    "Ngày 12.03.2023 và ngày 1-4-2023 có họp tổ.",
    "Năm 2023 khu phố góp 2.000.000 đồng.",
    "Tổng kinh phí 150000000 đồng cho 2 km.",
    "Dự án lớn 84.500.000.000 đồng.",
    "Theo Kế hoạch số 239-KH/TU của Thành ủy.",
    "Quyết định số 12/QĐ-UBND ngày 5/6/2023.",
    "Tổ 5 và khu phố 3 đã đăng ký.",
    "Đường hoa Lê Lợi đẹp, bà con Khu phố Bắc Kỳ rất vui.",
    "Anh em Đoàn Thanh niên đến giúp, chị Hoa phát nước.",
    "Lúc 19:30, khoảng 45 hộ tham gia, 3,5 tấn rác.",
    "Mã góp ý GY-2023-000123 chưa được trả lời.",
    "Mỗi hộ 50.000đ, mỗi tháng 2 lần, nhà 2 tầng.",
]


@pytest.mark.parametrize(("typed", "public"), CASES)
def test_the_detector_masks_personal_data_in_every_common_spelling(typed, public):
    result = redact(typed, **SENDER)
    assert result.text == public
    assert result.findings and not find_personal_data(result.text, **SENDER)


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_the_detector_leaves_figures_dates_money_and_document_numbers(text):
    assert find_personal_data(text, **SENDER) == []
    assert redact(text, **SENDER).text == text


def test_the_table_has_at_least_thirty_real_looking_cases():
    assert len(CASES) + len(NOT_PERSONAL) >= 30 and len(CASES) >= 30


def test_a_name_the_sender_chose_to_show_is_not_masked():
    feedback = Feedback(text="Nguyễn Thị Hoa đề nghị", name="Nguyễn Thị Hoa", show_name=True)
    from participation.redaction import redact_feedback

    assert redact_feedback(feedback).text == "Nguyễn Thị Hoa đề nghị"
    feedback.show_name = False
    assert redact_feedback(feedback).text == f"{M} đề nghị"


# --- the workflow ----------------------------------------------------------------------------

REPORTED = "Đèn đường hỏng mấy hôm nay. Gọi cho tôi 0987654321, nhà tôi ở số 88 Lê Lợi."


def _received(**kwargs):
    feedback = make_feedback(text=REPORTED, name="Trần Thị Mai", phone="0987654321", **kwargs)
    official = factories.make_official()
    workflow.feedback_receive(feedback=feedback, by=official)
    return feedback, official


@pytest.mark.django_db
def test_the_workflow_refuses_a_public_text_with_personal_data_and_saves_nothing():
    feedback, official = _received()
    history = feedback.transitions.count()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.feedback_publish(feedback=feedback, by=official, public_text=REPORTED)
    assert refused.value.code == "personal_data"
    assert "0987654321" in str(refused.value) and "số 88" in str(refused.value)
    feedback.refresh_from_db()
    assert not feedback.is_public and feedback.public_text == ""
    assert feedback.transitions.count() == history


@pytest.mark.django_db
def test_the_official_s_confirmation_publishes_and_is_recorded_with_their_name():
    feedback, official = _received()
    official.first_name, official.last_name = "Mai", "Lê Thị"
    official.save()
    # Flagged as a phone, but the ward's own public hotline.
    text = "Phản ánh tiếp qua đường dây nóng của phường: 0237 3852 123."
    assert find_personal_data(text)
    workflow.feedback_publish(
        feedback=feedback, by=official, public_text=text, personal_data_checked=True
    )
    feedback.refresh_from_db()
    assert feedback.is_public and feedback.public_text == text
    note = feedback.transitions.order_by("-pk").first()
    assert note.by == official
    assert "Tôi đã kiểm tra: đây không phải thông tin cá nhân" in note.reason
    assert official.get_full_name() in note.reason and "số điện thoại" in note.reason
    assert "3852" not in note.reason  # the kinds, not the flagged text


@pytest.mark.django_db
def test_a_clean_public_text_needs_no_confirmation_and_records_a_plain_publication():
    feedback, official = _received()
    workflow.feedback_publish(feedback=feedback, by=official, public_text=redact(REPORTED).text)
    feedback.refresh_from_db()
    assert (
        feedback.public_text
        == f"Đèn đường hỏng mấy hôm nay. Gọi cho tôi {M}, nhà tôi ở {M} Lê Lợi."
    )
    assert feedback.transitions.order_by("-pk").first().reason == "Công khai"


# --- the workspace: the reported defect ------------------------------------------------------


def _publish_form_text(page: str) -> str:
    import html
    import re

    found = re.search(r'<textarea name="public_text"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)).strip()


@pytest.mark.django_db
def test_one_click_on_the_workspace_publishes_the_masked_text_never_the_raw_one(client, official):
    """The defect: the box was pre-filled with the resident's raw text, and one click put the
    phone number and house number on /gop-y/."""
    feedback = make_feedback(text=REPORTED, phone="0987654321")
    workflow.feedback_receive(feedback=feedback, by=official)
    client.force_login(official)
    detail = client.get(reverse("workspace:feedback-detail", args=[feedback.pk])).content.decode()
    suggested = _publish_form_text(detail)
    assert "0987654321" not in suggested and "số 88" not in suggested and M in suggested
    assert "<q>0987654321</q>" in detail and "<q>số 88</q>" in detail  # what was masked
    assert "Tôi đã kiểm tra: đây không phải thông tin cá nhân" in detail
    client.post(
        reverse("workspace:feedback-publish", args=[feedback.pk]), {"public_text": suggested}
    )
    public = client.get(reverse("public:feedback-list")).content.decode()
    assert feedback.code in public and M in public
    assert "0987654321" not in public and "số 88" not in public


@pytest.mark.django_db
def test_the_workspace_refuses_the_raw_text_and_keeps_what_was_typed(client, official):
    feedback = make_feedback(text=REPORTED)
    workflow.feedback_receive(feedback=feedback, by=official)
    client.force_login(official)
    response = client.post(
        reverse("workspace:feedback-publish", args=[feedback.pk]), {"public_text": REPORTED}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "còn thông tin cá nhân" in page and _publish_form_text(page) == REPORTED
    assert not Feedback.objects.get(pk=feedback.pk).is_public
    response = client.post(
        reverse("workspace:feedback-publish", args=[feedback.pk]),
        {"public_text": REPORTED, "personal_data_checked": "on"},
    )
    feedback.refresh_from_db()
    assert feedback.is_public and feedback.status == S.RECEIVED
    assert official.username in feedback.transitions.order_by("-pk").first().reason


# --- the admin: the same suggestion, the same rule --------------------------------------------


@pytest.mark.django_db
def test_the_admin_publishes_from_the_masked_suggestion_through_the_same_rule(client, official):
    feedback = make_feedback(text=REPORTED)
    workflow.feedback_receive(feedback=feedback, by=official)
    client.force_login(official)
    changelist = reverse("admin:participation_feedback_changelist")
    selected = {"action": "publish_action", "_selected_action": [feedback.pk]}
    page = client.post(changelist, selected).content.decode()
    suggested = _publish_form_text(page)
    assert suggested == f"Đèn đường hỏng mấy hôm nay. Gọi cho tôi {M}, nhà tôi ở {M} Lê Lợi."
    assert "<q>0987654321</q>" in page
    # The raw text is refused on the same page, as typed; nothing is published.
    page = client.post(changelist, {**selected, "apply": "1", "public_text": REPORTED})
    assert "còn thông tin cá nhân" in page.content.decode()
    assert not Feedback.objects.get(pk=feedback.pk).is_public
    response = client.post(changelist, {**selected, "apply": "1", "public_text": suggested})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.is_public and feedback.public_text == suggested


@pytest.mark.django_db
def test_the_admin_publishes_one_item_at_a_time(client, official):
    items = [make_feedback(), make_feedback()]
    client.force_login(official)
    response = client.post(
        reverse("admin:participation_feedback_changelist"),
        {"action": "publish_action", "_selected_action": [f.pk for f in items]},
        follow=True,
    )
    assert "Chọn đúng một góp ý" in response.content.decode()
    assert not Feedback.objects.filter(published_at__isnull=False).exists()
