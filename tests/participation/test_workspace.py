"""Feedback in the workspace: the list and its filters, an official answering and publishing,
the dashboard's due and overdue items, who sees contact details."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from participation import workflow
from participation.choices import FeedbackStatus as S
from participation.models import Feedback, FeedbackPhoto
from tests import factories
from tests.participation.factories import make_answered, make_feedback
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def _action(pk, action):
    return reverse("workspace:feedback-transition", args=[pk, action])


def test_an_official_receives_answers_and_publishes(official_client, official):
    feedback = make_feedback(phone="0912345678", name="Lê Thị Hoa")
    detail = reverse("workspace:feedback-detail", args=[feedback.pk])
    assert official_client.get(_action(feedback.pk, "receive")).status_code == 405
    assert Feedback.objects.get(pk=feedback.pk).status == S.NEW  # a GET changes nothing
    official_client.post(_action(feedback.pk, "receive"))
    response = official_client.post(
        _action(feedback.pk, "answer"), {"text": "Phường sẽ sửa trong tuần."}
    )
    assert response["Location"] == detail
    response = official_client.post(
        reverse("workspace:feedback-publish", args=[feedback.pk]),
        {"public_text": "Đề nghị sửa đèn (đã che số điện thoại)."},
    )
    feedback.refresh_from_db()
    assert feedback.status == S.ANSWERED and feedback.answer.text == "Phường sẽ sửa trong tuần."
    assert feedback.is_public and feedback.public_text == "Đề nghị sửa đèn (đã che số điện thoại)."
    page = official_client.get(detail).content.decode()
    assert "0912345678" in page and "Lê Thị Hoa" in page  # officials with the permission


def test_bad_input_in_the_workspace_is_a_message_and_changes_nothing(official_client):
    feedback = make_feedback()
    official_client.post(_action(feedback.pk, "receive"))
    response = official_client.post(_action(feedback.pk, "answer"), {"text": "  "}, follow=True)
    assert "Trường này là bắt buộc" in response.content.decode()
    response = official_client.post(
        _action(feedback.pk, "not_publish"), {"reason": ""}, follow=True
    )
    assert "Trường này là bắt buộc" in response.content.decode()
    response = official_client.post(
        _action(feedback.pk, "duplicate"), {"original": "GY-1-1"}, follow=True
    )
    assert "Không có góp ý mã GY-1-1" in response.content.decode()
    assert 'value="GY-1-1"' in response.content.decode()  # the page keeps what was typed
    response = official_client.post(_action(feedback.pk, "close"), follow=True)
    assert "Không thể thực hiện" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.status == S.RECEIVED and feedback.answered_at is None


def test_a_refused_step_keeps_what_the_official_typed(official_client):
    feedback = make_feedback()
    official_client.post(_action(feedback.pk, "receive"))
    response = official_client.post(_action(feedback.pk, "duplicate"), {"original": feedback.code})
    body = response.content.decode()
    assert response.status_code == 200 and "Không thể đánh dấu trùng với chính nó" in body
    assert f'value="{feedback.code}"' in body
    # A form's error is shown on the page itself (no redirect), beside the form.
    official_client.post(_action(feedback.pk, "start"))
    response = official_client.post(
        reverse("workspace:feedback-publish", args=[feedback.pk]), {"public_text": "  "}
    )
    assert response.status_code == 200 and 'class="field-error"' in response.content.decode()
    assert not Feedback.objects.get(pk=feedback.pk).is_public
    typed = "Phường đã kiểm tra hiện trường và sẽ sửa đèn trong tuần tới. " * 3
    response = official_client.post(_action(feedback.pk, "answer"), {"text": typed})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == S.ANSWERED and feedback.answer.text == typed.strip()
    assert feedback.transitions.first().to_status == S.ANSWERED


def test_marking_a_duplicate_through_the_workspace(official_client):
    original = make_feedback()
    copy = make_feedback(original.initiative)
    official_client.post(_action(copy.pk, "duplicate"), {"original": original.code.lower()})
    copy.refresh_from_db()
    assert copy.status == S.DUPLICATE and copy.duplicate_of == original


def test_assigning_and_the_assigned_filter(official_client, official):
    mine = make_feedback()
    other = make_feedback()
    official_client.post(
        reverse("workspace:feedback-assign", args=[mine.pk]), {"assignee": official.pk}
    )
    assert Feedback.objects.get(pk=mine.pk).assignee == official
    body = official_client.get(
        reverse("workspace:feedback-list"), {"assigned": "me"}
    ).content.decode()
    assert mine.code in body and other.code not in body
    body = official_client.get(
        reverse("workspace:feedback-list"), {"assigned": "none"}
    ).content.decode()
    assert other.code in body and mine.code not in body


def test_the_dashboard_shows_due_and_overdue_items_with_the_assignee(official_client, official):
    fresh = make_feedback()
    late = make_feedback()
    workflow.feedback_receive(feedback=late, by=official)
    workflow.feedback_assign(feedback=late, by=official, assignee=official)
    Feedback.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    later = make_feedback()
    workflow.feedback_receive(feedback=later, by=official)  # due in ten working days
    body = official_client.get(reverse("workspace:dashboard")).content.decode()
    assert "Góp ý của người dân cần trả lời" in body
    assert fresh.code in body and late.code in body and later.code not in body
    assert "phụ trách: canbo" in body
    overdue = official_client.get(
        reverse("workspace:feedback-list"), {"due": "overdue"}
    ).content.decode()
    assert late.code in overdue and fresh.code not in overdue


def test_the_list_costs_the_same_for_one_item_or_many(official_client, official):
    make_feedback()
    assert_constant_queries(
        lambda: official_client.get(reverse("workspace:feedback-list")),
        lambda: [make_answered(by=official) for _ in range(3)],
    )


def test_the_dashboard_costs_the_same_for_one_item_or_many(official_client, official):
    make_feedback()

    def grow():
        for _ in range(3):
            feedback = make_feedback()
            workflow.feedback_receive(feedback=feedback, by=official)
            workflow.feedback_assign(feedback=feedback, by=official, assignee=official)

    assert_constant_queries(lambda: official_client.get(reverse("workspace:dashboard")), grow)


def test_contact_details_need_their_own_permission(client, committee_member):
    feedback = make_feedback(phone="0987654321", name="Nguyễn Văn Bình", client_hash="c" * 64)
    client.force_login(committee_member)
    body = client.get(reverse("workspace:feedback-detail", args=[feedback.pk])).content.decode()
    assert feedback.text in body
    assert "0987654321" not in body and "Nguyễn Văn Bình" not in body
    assert "cccccccc" not in body
    assert "không có quyền xem họ tên" in body
    # Reading is not answering.
    assert client.post(_action(feedback.pk, "receive")).status_code == 403
    assert Feedback.objects.get(pk=feedback.pk).status == S.NEW


def test_residents_photos_are_served_only_to_officials(client, official):
    initiative = factories.make_initiative()
    url = reverse("public:feedback-submit", args=[initiative.slug])
    from wardmodels import formclock

    client.post(
        url,
        {
            "kind": "complaint",
            "text": "Rác để không đúng giờ ở đầu ngõ 12, xem ảnh kèm theo.",
            "form_started": formclock.stamp(),
            "photos": [factories.uploaded_image("rac.jpg")],
        },
    )
    photo = FeedbackPhoto.objects.get()
    photo_url = reverse("workspace:feedback-photo", args=[photo.pk])
    assert client.get(photo_url).status_code == 302  # to the login page
    client.force_login(official)
    response = client.get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
