"""Two committee members approving the same recognition at the same moment (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.db import connections

from campaigns import workflow
from campaigns.models import Recognition, RecognitionTransition
from campaigns.review_choices import RecognitionStatus as R
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.postgresql(
    reason="Needs real row locks and concurrent connections: SQLite locks the whole file "
    "and serialises writers, so it cannot show the race. Runs in the PostgreSQL pass.",
)


def _approver():
    """A committee member by permission (a transactional test starts without the groups)."""
    user = factories.make_user(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="campaigns", codename="decide_recognition")
    )
    return user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_approvers_at_once_make_exactly_one_decision():
    recognition = f.make_recognition()
    approvers = [_approver(), _approver()]
    barrier = threading.Barrier(len(approvers))
    outcomes: dict[str, object] = {}

    def approve(user, number):
        try:
            # Each thread has its own connection and reads its own copy of the row.
            mine = Recognition.objects.get(pk=recognition.pk)
            barrier.wait(timeout=10)
            workflow.recognition_approve(
                recognition=mine, by=user, decision_number=number, decided_on=date(2023, 3, 15)
            )
            outcomes[user.username] = "approved"
        except workflow.WorkflowError as exc:
            outcomes[user.username] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(user, f"{i}-QĐ/ĐU"))
        for i, user in enumerate(approvers, start=1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(str(type(v).__name__) for v in outcomes.values()) == ["WorkflowError", "str"]
    error = next(v for v in outcomes.values() if isinstance(v, workflow.WorkflowError))
    assert error.code == "wrong_state"
    assert "Đã duyệt" in str(error)
    recognition.refresh_from_db()
    assert recognition.status == R.APPROVED
    winner = next(name for name, v in outcomes.items() if v == "approved")
    assert recognition.decided_by.username == winner
    assert RecognitionTransition.objects.filter(recognition=recognition).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_proposals_approved_at_once_leave_one_decision_per_level_and_round():
    """Different rows this time: the check in the workflow and the partial unique index."""
    first = f.make_recognition()
    second = f.make_recognition(first.initiative, first.review_round)
    approvers = [_approver(), _approver()]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user, target):
        try:
            mine = Recognition.objects.get(pk=target.pk)
            barrier.wait(timeout=10)
            workflow.recognition_approve(
                recognition=mine, by=user, decision_number="1", decided_on=date(2023, 3, 15)
            )
            outcomes.append("approved")
        except workflow.WorkflowError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(approvers[0], first)),
        threading.Thread(target=approve, args=(approvers[1], second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("approved") == 1
    assert len(outcomes) == 2
    assert Recognition.objects.filter(status=R.APPROVED).count() == 1
