"""Answering and closing a resident's feedback is one step: an edited answer is never lost
by pressing "close" beside it."""

import pytest
from django.urls import reverse

from participation import workflow
from participation.choices import FeedbackStatus as S
from participation.models import Feedback, FeedbackTransition
from tests.participation.factories import make_feedback

pytestmark = pytest.mark.django_db


def _action(pk, action):
    return reverse("workspace:feedback-transition", args=[pk, action])


def test_the_answer_form_saves_the_answer_then_closes(official_client, official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    detail = official_client.get(reverse("workspace:feedback-detail", args=[feedback.pk]))
    html = detail.content.decode()
    form = html.split(f'action="{_action(feedback.pk, "answer")}"')[1].split("</form>")[0]
    assert 'name="close"' in form and "Lưu câu trả lời và đóng góp ý" in form

    official_client.post(
        _action(feedback.pk, "answer"), {"text": "Phường đã sửa đèn.", "close": "1"}
    )
    saved = Feedback.objects.get(pk=feedback.pk)
    assert saved.status == S.CLOSED and saved.answer.text == "Phường đã sửa đèn."
    steps = FeedbackTransition.objects.filter(feedback=feedback).order_by("at", "id")
    assert [t.to_status for t in steps] == [S.RECEIVED, S.ANSWERED, S.CLOSED]


def test_an_empty_answer_closes_nothing(official_client, official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    official_client.post(_action(feedback.pk, "answer"), {"text": " ", "close": "1"})
    assert Feedback.objects.get(pk=feedback.pk).status == S.RECEIVED


def test_the_workflow_answers_and_closes_in_one_transaction(official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_answer(feedback=feedback, by=official, text="Đã xử lý.", close=True)
    assert Feedback.objects.get(pk=feedback.pk).status == S.CLOSED


def test_unpublishing_keeps_the_public_text_edited_in_the_same_form(official_client, official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_publish(feedback=feedback, by=official, public_text="Bản công khai cũ")
    official_client.post(
        reverse("workspace:feedback-publish", args=[feedback.pk]),
        {"public_text": "Bản đã che thêm tên người khác", "unpublish": "1"},
    )
    saved = Feedback.objects.get(pk=feedback.pk)
    assert not saved.is_public
    assert saved.public_text == "Bản đã che thêm tên người khác"
