"""Every change of residents' feedback: states, permissions, due dates, codes and tokens."""

import datetime as dt

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from participation import workflow
from participation.choices import FeedbackStatus as S
from participation.models import Feedback, FeedbackAnswer, FeedbackTransition
from participation.workdays import add_working_days
from registry.transitions import WorkflowError
from tests import factories
from tests.participation.factories import make_answered, make_feedback

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends():
    friday = dt.date(2026, 12, 4)
    assert add_working_days(friday, 1) == dt.date(2026, 12, 7)  # Monday
    assert add_working_days(friday, 10) == dt.date(2026, 12, 18)
    saturday = dt.date(2026, 12, 5)
    assert add_working_days(saturday, 1) == dt.date(2026, 12, 7)
    assert add_working_days(dt.date(2026, 12, 7), 5) == dt.date(2026, 12, 14)


def test_codes_follow_the_year_and_are_unique():
    first = make_feedback()
    second = make_feedback()
    year = timezone.localdate().year
    assert first.code == f"GY-{year}-000001"
    assert second.code == f"GY-{year}-000002"
    assert Feedback.objects.filter(code__startswith=f"GY-{year}-").count() == 2


def test_only_a_hash_of_the_token_is_kept_and_compared():
    feedback = make_feedback()
    assert len(feedback.token) >= 32
    assert feedback.token not in feedback.token_hash
    stored = Feedback.objects.get(pk=feedback.pk)
    assert workflow.token_matches(stored, feedback.token)
    assert not workflow.token_matches(stored, feedback.token[:-1] + "x")
    assert not workflow.token_matches(stored, "")
    assert not workflow.token_matches(stored, None)


def test_a_draft_model_takes_no_feedback():
    draft = factories.make_initiative(status="draft", published=False)
    with pytest.raises(WorkflowError):
        make_feedback(draft)
    assert Feedback.objects.count() == 0


@override_settings(FEEDBACK_DUE_WORKING_DAYS=10)
def test_receiving_sets_the_due_date_in_working_days(official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    feedback.refresh_from_db()
    assert feedback.status == S.RECEIVED
    assert feedback.received_at is not None
    assert feedback.due_on == add_working_days(timezone.localdate(feedback.received_at), 10)
    row = FeedbackTransition.objects.get(feedback=feedback)
    assert (row.from_status, row.to_status, row.by) == (S.NEW, S.RECEIVED, official)


def test_the_whole_way_from_new_to_closed(official):
    feedback = make_answered(by=official, publish=False)
    assert feedback.status == S.ANSWERED
    assert feedback.answer.text == "Phường đã bố trí thêm hai thùng rác."
    first_answer_at = feedback.answered_at
    workflow.feedback_answer(feedback=feedback, by=official, text="Câu trả lời đã sửa.")
    feedback.refresh_from_db()
    assert FeedbackAnswer.objects.get(feedback=feedback).text == "Câu trả lời đã sửa."
    assert feedback.answered_at == first_answer_at  # on time counts the first answer
    workflow.feedback_close(feedback=feedback, by=official)
    feedback.refresh_from_db()
    assert feedback.status == S.CLOSED and feedback.closed_at is not None
    assert list(
        FeedbackTransition.objects.filter(feedback=feedback)
        .order_by("at", "id")
        .values_list("to_status", flat=True)
    ) == [S.RECEIVED, S.ANSWERED, S.ANSWERED, S.CLOSED]


def test_start_moves_a_received_item_to_in_progress(official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_start(feedback=feedback, by=official)
    assert Feedback.objects.get(pk=feedback.pk).status == S.IN_PROGRESS


def test_an_empty_answer_is_refused(official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    with pytest.raises(WorkflowError):
        workflow.feedback_answer(feedback=feedback, by=official, text="   ")
    assert not FeedbackAnswer.objects.exists()
    assert Feedback.objects.get(pk=feedback.pk).status == S.RECEIVED


def test_a_new_item_cannot_be_answered_before_it_is_received(official):
    feedback = make_feedback()
    with pytest.raises(WorkflowError) as exc:
        workflow.feedback_answer(feedback=feedback, by=official, text="Trả lời")
    assert exc.value.code == "wrong_state"
    assert not FeedbackAnswer.objects.exists()


def test_not_publishing_needs_a_reason(official):
    feedback = make_feedback()
    with pytest.raises(WorkflowError) as exc:
        workflow.feedback_not_publish(feedback=feedback, by=official, reason=" ")
    assert exc.value.code == "reason_required"
    workflow.feedback_not_publish(feedback=feedback, by=official, reason="Nêu đích danh hộ dân")
    feedback.refresh_from_db()
    assert feedback.status == S.NOT_PUBLISHED
    assert feedback.reason == "Nêu đích danh hộ dân"


def test_someone_without_the_permission_changes_nothing(committee_member):
    feedback = make_feedback()
    for call in (
        lambda: workflow.feedback_receive(feedback=feedback, by=committee_member),
        lambda: workflow.feedback_mark_spam(feedback=feedback, by=committee_member),
        lambda: workflow.feedback_publish(feedback=feedback, by=committee_member, public_text="x"),
        lambda: workflow.feedback_assign(feedback=feedback, by=committee_member, assignee=None),
    ):
        with pytest.raises(WorkflowError) as exc:
            call()
        assert exc.value.code == "permission"
    feedback.refresh_from_db()
    assert feedback.status == S.NEW and feedback.published_at is None
    assert not FeedbackTransition.objects.exists()


def test_marking_a_duplicate_links_the_original(official):
    original = make_feedback()
    copy = make_feedback(original.initiative)
    workflow.feedback_mark_duplicate(feedback=copy, by=official, original=original)
    copy.refresh_from_db()
    assert copy.status == S.DUPLICATE and copy.duplicate_of == original
    with pytest.raises(WorkflowError):
        workflow.feedback_mark_duplicate(feedback=original, by=official, original=original)


def test_identical_text_to_the_same_model_within_a_week_is_a_duplicate():
    initiative = factories.make_initiative()
    text = "Đề nghị sửa đèn đường ở tổ dân phố số 3, đã hỏng hai tuần nay."
    first = make_feedback(initiative, text=text)
    second = make_feedback(
        initiative, text="  ĐỀ NGHỊ sửa đèn đường ở tổ dân phố số 3, đã hỏng hai tuần nay. "
    )
    other_model = make_feedback(text=text)
    assert second.status == S.DUPLICATE and second.duplicate_of == first
    assert other_model.status == S.NEW
    Feedback.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    Feedback.objects.filter(pk=second.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    third = make_feedback(initiative, text=text)
    assert third.status == S.NEW


def test_publishing_needs_a_received_item_and_keeps_the_first_time(official):
    feedback = make_feedback()
    with pytest.raises(WorkflowError):
        workflow.feedback_publish(feedback=feedback, by=official, public_text="Nội dung")
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_publish(feedback=feedback, by=official, public_text="Nội dung đã che")
    feedback.refresh_from_db()
    published_at = feedback.published_at
    assert feedback.public_text == "Nội dung đã che" and published_at is not None
    workflow.feedback_publish(feedback=feedback, by=official, public_text="Lần hai")
    feedback.refresh_from_db()
    assert feedback.public_text == "Lần hai" and feedback.published_at == published_at
    assert feedback.text != "Lần hai"  # the resident's own words are never changed
    workflow.feedback_unpublish(feedback=feedback, by=official)
    assert Feedback.objects.get(pk=feedback.pk).published_at is None


def test_spam_hides_a_published_item(official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_publish(feedback=feedback, by=official, public_text="x" * 30)
    workflow.feedback_mark_spam(feedback=feedback, by=official)
    feedback.refresh_from_db()
    assert feedback.published_at is None and not Feedback.objects.public().exists()


def test_assigning_needs_someone_who_may_answer(official, committee_member):
    feedback = make_feedback()
    workflow.feedback_assign(feedback=feedback, by=official, assignee=official)
    assert Feedback.objects.get(pk=feedback.pk).assignee == official
    with pytest.raises(WorkflowError):
        workflow.feedback_assign(feedback=feedback, by=official, assignee=committee_member)
    assert Feedback.objects.get(pk=feedback.pk).assignee == official


def test_the_resident_rates_the_answer_once(official):
    feedback = make_answered(by=official)
    with pytest.raises(WorkflowError):
        workflow.feedback_rate(feedback=feedback, token="wrong", rating=5)
    with pytest.raises(WorkflowError):
        workflow.feedback_rate(feedback=feedback, token=feedback.token, rating=6)
    workflow.feedback_rate(feedback=feedback, token=feedback.token, rating=4)
    with pytest.raises(WorkflowError) as exc:
        workflow.feedback_rate(feedback=feedback, token=feedback.token, rating=1)
    assert exc.value.code == "already_rated"
    assert Feedback.objects.get(pk=feedback.pk).rating == 4


def test_an_unanswered_item_cannot_be_rated():
    feedback = make_feedback()
    with pytest.raises(WorkflowError):
        workflow.feedback_rate(feedback=feedback, token=feedback.token, rating=3)
    assert Feedback.objects.get(pk=feedback.pk).rating is None


def test_assigning_and_publishing_are_recorded_with_who_did_it(official):
    feedback = make_feedback()
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_assign(feedback=feedback, by=official, assignee=official)
    workflow.feedback_publish(feedback=feedback, by=official, public_text="Nội dung đã che.")
    workflow.feedback_unpublish(feedback=feedback, by=official)
    rows = list(
        FeedbackTransition.objects.filter(feedback=feedback)
        .order_by("at", "id")
        .values_list("from_status", "to_status", "by", "reason")
    )
    assert rows == [
        (S.NEW, S.RECEIVED, official.pk, ""),
        (S.RECEIVED, S.RECEIVED, official.pk, f"Phân công: {official.username}"),
        (S.RECEIVED, S.RECEIVED, official.pk, "Công khai"),
        (S.RECEIVED, S.RECEIVED, official.pk, "Thôi công khai"),
    ]
