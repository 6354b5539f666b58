from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from campaigns import workflow
from campaigns.models import Evaluation, Recognition, RecognitionTransition
from campaigns.review_choices import RecognitionStatus as R
from registry.choices import InitiativeStatus
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db

DECISION = {"decision_number": "12-QĐ/ĐU", "decided_on": date(2023, 3, 15)}
# A partial unique index: PostgreSQL names it, SQLite names its columns.
ONE_DECISION_PER_LEVEL_AND_ROUND = (
    r"recognition_one_decision_per_level_round|"
    r"campaigns_recognition\.initiative_id, campaigns_recognition\.review_round_id, "
    r"campaigns_recognition\.level"
)


def _history(recognition):
    return list(
        RecognitionTransition.objects.filter(recognition=recognition)
        .order_by("id")
        .values_list("from_status", "to_status", "by__username", "reason")
    )


# propose


def test_an_official_proposes_a_recognition_with_history(official):
    initiative = factories.make_initiative()
    review_round = f.make_round()
    recognition = workflow.recognition_propose(
        initiative=initiative,
        review_round=review_round,
        by=official,
        tier="typical",
        proposal="Điểm bình quân 92/100",
    )
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED
    assert recognition.proposed_by == official
    assert recognition.tier == "typical"
    assert _history(recognition) == [("", "proposed", official.username, "")]


def test_proposing_the_same_model_twice_in_a_round_is_a_clear_error(official):
    recognition = f.make_recognition()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_propose(
            initiative=recognition.initiative, review_round=recognition.review_round, by=official
        )
    assert exc.value.code == "already_proposed"
    assert Recognition.objects.count() == 1


def test_proposing_again_after_a_rejection_is_allowed(official):
    rejected = f.make_recognition(status=R.REJECTED)
    workflow.recognition_propose(
        initiative=rejected.initiative, review_round=rejected.review_round, by=official
    )
    assert Recognition.objects.filter(status=R.PROPOSED).count() == 1


def test_proposing_needs_the_propose_permission(committee_member):
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_propose(
            initiative=factories.make_initiative(),
            review_round=f.make_round(),
            by=committee_member,
        )
    assert exc.value.code == "permission"
    assert not Recognition.objects.exists()


def test_a_draft_model_cannot_be_proposed(official):
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_propose(initiative=draft, review_round=f.make_round(), by=official)
    assert exc.value.code == "not_evaluable"


# approve


def test_the_committee_approves_with_decision_number_and_date(committee_member):
    recognition = f.make_recognition()
    workflow.recognition_approve(recognition=recognition, by=committee_member, **DECISION)
    assert recognition.status == R.APPROVED  # the caller's copy is refreshed
    recognition.refresh_from_db()
    assert recognition.status == R.APPROVED
    assert recognition.decision_number == "12-QĐ/ĐU"
    assert recognition.decided_on == date(2023, 3, 15)
    assert recognition.decided_by == committee_member
    assert recognition.decided_at is not None
    assert recognition.published_at is None
    assert _history(recognition) == [("proposed", "approved", committee_member.username, "")]


@pytest.mark.parametrize(
    "decision",
    [
        {"decision_number": " ", "decided_on": date(2023, 3, 1)},
        {"decision_number": "12-QĐ/ĐU", "decided_on": None},
    ],
)
def test_approving_needs_a_decision_number_and_date(committee_member, decision):
    recognition = f.make_recognition()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_approve(recognition=recognition, by=committee_member, **decision)
    assert exc.value.code == "decision_required"
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED


def test_an_official_cannot_approve(official):
    recognition = f.make_recognition()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_approve(recognition=recognition, by=official, **DECISION)
    assert exc.value.code == "permission"
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED
    assert _history(recognition) == []


def test_approving_twice_is_a_clear_error_and_writes_no_second_row(committee_member):
    recognition = f.make_recognition()
    workflow.recognition_approve(recognition=recognition, by=committee_member, **DECISION)
    stale = Recognition.objects.get(pk=recognition.pk)
    stale.status = R.PROPOSED  # what a second approver's page still shows
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_approve(
            recognition=stale, by=committee_member, decision_number="99", decided_on=date.today()
        )
    assert exc.value.code == "wrong_state"
    assert "Đã duyệt" in str(exc.value)
    recognition.refresh_from_db()
    assert recognition.decision_number == "12-QĐ/ĐU"
    assert len(_history(recognition)) == 1


def test_a_second_approval_at_the_same_level_and_round_is_refused(committee_member):
    approved = f.make_recognition(status=R.APPROVED)
    # A second proposal can exist only if it bypassed recognition_propose (an import, say).
    second = f.make_recognition(approved.initiative, approved.review_round)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_approve(recognition=second, by=committee_member, **DECISION)
    assert exc.value.code == "already_recognised"
    second.refresh_from_db()
    assert second.status == R.PROPOSED


def test_another_level_in_the_same_round_may_be_approved(committee_member):
    approved = f.make_recognition(status=R.APPROVED)
    other = f.make_recognition(approved.initiative, approved.review_round, level="higher")
    workflow.recognition_approve(recognition=other, by=committee_member, **DECISION)
    assert other.status == R.APPROVED


@pytest.mark.parametrize("second_status", [R.APPROVED, R.PUBLISHED])
def test_the_database_refuses_two_decided_recognitions_at_one_level_and_round(second_status):
    first = f.make_recognition(status=R.PUBLISHED)
    second = f.make_recognition(first.initiative, first.review_round, status=R.PROPOSED)
    second.status = second_status
    second.decision_number, second.decided_on = "13-QĐ/ĐU", date(2023, 6, 2)
    second.published_at = first.published_at
    with (
        pytest.raises(IntegrityError, match=ONE_DECISION_PER_LEVEL_AND_ROUND),
        transaction.atomic(),
    ):
        second.save()
    second.refresh_from_db()
    assert second.status == R.PROPOSED


def test_the_database_allows_rejected_and_proposed_rows_next_to_a_decision():
    first = f.make_recognition(status=R.APPROVED)
    f.make_recognition(first.initiative, first.review_round, status=R.REJECTED)
    f.make_recognition(first.initiative, first.review_round, status=R.PROPOSED)
    assert Recognition.objects.count() == 3


# reject


def test_rejecting_needs_a_reason(committee_member):
    recognition = f.make_recognition()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_reject(recognition=recognition, by=committee_member, reason="  ")
    assert exc.value.code == "reason_required"
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED


def test_rejecting_records_the_reason(committee_member):
    recognition = f.make_recognition()
    workflow.recognition_reject(
        recognition=recognition, by=committee_member, reason="Chưa có kết quả cụ thể"
    )
    recognition.refresh_from_db()
    assert recognition.status == R.REJECTED
    assert recognition.rejection_reason == "Chưa có kết quả cụ thể"
    assert _history(recognition) == [
        ("proposed", "rejected", committee_member.username, "Chưa có kết quả cụ thể")
    ]


def test_rejecting_an_approved_recognition_is_refused(committee_member):
    recognition = f.make_recognition(status=R.APPROVED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_reject(recognition=recognition, by=committee_member, reason="x")
    assert exc.value.code == "wrong_state"


def test_an_official_cannot_reject(official):
    recognition = f.make_recognition()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_reject(recognition=recognition, by=official, reason="x")
    assert exc.value.code == "permission"


# publish


def test_publishing_an_approved_recognition(committee_member):
    recognition = f.make_recognition(status=R.APPROVED)
    workflow.recognition_publish(recognition=recognition, by=committee_member)
    recognition.refresh_from_db()
    assert recognition.status == R.PUBLISHED
    assert recognition.published_at is not None
    assert _history(recognition) == [("approved", "published", committee_member.username, "")]


@pytest.mark.parametrize("status", [R.PROPOSED, R.REJECTED, R.PUBLISHED])
def test_only_an_approved_recognition_is_published(committee_member, status):
    recognition = f.make_recognition(status=status)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_publish(recognition=recognition, by=committee_member)
    assert exc.value.code == "wrong_state"
    assert _history(recognition) == []


def test_publishing_needs_the_publish_permission(official):
    recognition = f.make_recognition(status=R.APPROVED)
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_publish(recognition=recognition, by=official)
    assert exc.value.code == "permission"


def test_an_inactive_committee_member_cannot_act(committee_member):
    committee_member.is_active = False
    committee_member.save()
    recognition = f.make_recognition()
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.recognition_approve(recognition=recognition, by=committee_member, **DECISION)
    assert exc.value.code == "permission"
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED


# the staff endpoints


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def _url(recognition, action):
    return reverse("workspace:recognition-transition", args=[recognition.pk, action])


@pytest.mark.parametrize("action", ["approve", "reject", "publish"])
def test_a_get_changes_nothing(committee_client, action):
    recognition = f.make_recognition(status=R.APPROVED if action == "publish" else R.PROPOSED)
    before = recognition.status
    response = committee_client.get(_url(recognition, action), DECISION)
    assert response.status_code == 405
    recognition.refresh_from_db()
    assert recognition.status == before
    assert _history(recognition) == []


def test_the_committee_approves_by_post(committee_client, committee_member):
    recognition = f.make_recognition()
    response = committee_client.post(
        _url(recognition, "approve"),
        {"decision_number": "12-QĐ/ĐU", "decided_on": "2023-03-15"},
        follow=True,
    )
    recognition.refresh_from_db()
    assert recognition.status == R.APPROVED
    assert recognition.decided_by == committee_member
    assert recognition.decision_number == "12-QĐ/ĐU"
    assert _messages(response) == [
        ("success", f"Đã cập nhật: {recognition} — Đã duyệt."),
    ]


def test_posting_without_a_decision_number_changes_nothing(committee_client):
    recognition = f.make_recognition()
    response = committee_client.post(
        _url(recognition, "approve"), {"decided_on": "2023-03-15"}, follow=True
    )
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED
    assert recognition.decision_number == ""
    assert _history(recognition) == []
    assert _messages(response) == [("error", "Trường này là bắt buộc.")]
    assert '<li class="error">Trường này là bắt buộc.</li>' in response.content.decode()


def test_an_official_posting_an_approval_gets_403(official_client):
    recognition = f.make_recognition()
    response = official_client.post(
        _url(recognition, "approve"), {"decision_number": "1", "decided_on": "2023-03-15"}
    )
    assert response.status_code == 403
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED


def test_an_anonymous_post_is_sent_to_the_login_page(client):
    recognition = f.make_recognition()
    response = client.post(_url(recognition, "publish"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED


def test_an_unknown_action_is_404(committee_client):
    """An action the endpoint does not offer is not found and changes nothing."""
    recognition = f.make_recognition()
    assert committee_client.post(_url(recognition, "propose")).status_code == 404
    recognition.refresh_from_db()
    assert recognition.status == R.PROPOSED
    assert _history(recognition) == []


def test_a_repeated_post_reports_the_state_and_changes_nothing(committee_client):
    recognition = f.make_recognition(status=R.PUBLISHED)
    published_at = recognition.published_at
    response = committee_client.post(_url(recognition, "publish"), follow=True)
    assert _messages(response) == [
        (
            "error",
            "Không thể thực hiện: công nhận mô hình đang ở trạng thái “Đã công bố” "
            "(có thể người khác vừa xử lý).",
        )
    ]
    assert _history(recognition) == []
    recognition.refresh_from_db()
    assert recognition.published_at == published_at


def test_round_scores_are_shown_to_the_committee_in_the_admin(committee_client, official):
    review_round = f.make_round()
    initiative = factories.make_initiative()
    criteria = list(review_round.campaign.criteria.order_by("order"))
    workflow.evaluation_save(
        review_round=review_round,
        initiative=initiative,
        by=official,
        scores={criteria[0].pk: "55", criteria[1].pk: "37.5"},
        recommendation="recognise",
    )
    recognition = f.make_recognition(initiative, review_round)
    response = committee_client.get(
        reverse("admin:campaigns_recognition_change", args=[recognition.pk])
    )
    body = response.content.decode()
    assert "<p>1 phiếu, điểm trung bình 92.50 / 100.00</p>" in body
    assert f"<li>{official.username}: 92.50 / 100.00 (Đề nghị công nhận)</li>" in body
    assert Evaluation.objects.count() == 1
