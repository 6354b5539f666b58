"""Every admin action of the campaigns app, run through the admin by whom it is meant for.

The ledger's reversals and pledge cancellations, closing and reopening review rounds, and
the decisions on recognitions and commendations. For each action of ``CASES``: the permitted
user succeeds and the saved state and history show it; a staff user holding every permission
but the one the action needs is neither offered it nor able to post it; a row in the wrong
state is reported and left alone. ``test_every_campaigns_admin_action_is_in_the_table``
makes a new action without a case fail.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.urls import reverse
from django.utils import timezone

from campaigns import workflow
from campaigns.models import (
    Commendation,
    Donation,
    Evaluation,
    Expense,
    Pledge,
    Recognition,
    ReviewRound,
)
from campaigns.review_choices import CommendationStatus as C
from campaigns.review_choices import RecognitionStatus as R
from campaigns.review_choices import RoundStatus
from tests.admin_actions import (
    apply_action,
    changelist_url,
    custom_actions,
    offered_actions,
    run_action,
    shown_messages,
    snapshot,
    staff_without,
    start_action,
)
from tests.campaigns import factories_reviews as f
from tests.campaigns.factories import make_donation, make_expense, make_pledge

pytestmark = pytest.mark.django_db

REASON = {"reason": "Ghi nhầm, đã đối chiếu với sổ quỹ"}
DECISION = {"decision_number": "215/QĐ-UBND", "decided_on": "2023-12-20"}


def wrong_state(what: str, status: str) -> str:
    return (
        f"Không thể thực hiện: {what} đang ở trạng thái “{status}” (có thể người khác vừa xử lý)."
    )


@dataclass(frozen=True)
class Case:
    model: type
    action: str
    permission: str
    actor: str  # the conftest fixture of the user the action is meant for
    make: Callable  # make(actor): a row the action applies to
    done: Callable  # done(actor): the saved fields afterwards
    make_wrong: Callable  # make_wrong(actor): a row in the wrong state
    wrong_message: str  # shown after "<row>: "
    form: dict | None = None  # the intermediate page's fields; None: no intermediate page
    success: str = "Đã cập nhật 1 mục."

    def __str__(self):
        return f"{self.model._meta.model_name}-{self.action}"


def _reversed_donation(actor):
    donation = make_donation(amount=3_000_000)
    workflow.donation_reverse(donation=donation, by=actor, reason="Sai hộ")
    return donation


def _reversed_expense(actor):
    expense = make_expense(amount=800_000)
    workflow.expense_reverse(expense=expense, by=actor, reason="Sai chứng từ")
    return expense


def _cancelled_pledge(actor):
    pledge = make_pledge()
    workflow.pledge_cancel(pledge=pledge, by=actor, reason="Hộ rút cam kết")
    return pledge


def _draft_with_dossier(actor):
    commendation = f.make_commendation(status=C.DRAFT)
    f.attach_full_dossier(commendation, by=actor)
    return commendation


LEDGER_CASES = [
    Case(
        model=Donation,
        action="reverse_selected",
        permission="campaigns.reverse_donation",
        actor="official",
        make=lambda actor: make_donation(amount=3_000_000),
        done=lambda actor: {},  # the original stays as it was; see _check_reversal
        make_wrong=_reversed_donation,
        wrong_message="Khoản này đã được điều chỉnh rồi.",
        form=REASON,
        success="Đã xử lý 1 khoản.",
    ),
    Case(
        model=Expense,
        action="reverse_selected",
        permission="campaigns.reverse_expense",
        actor="official",
        make=lambda actor: make_expense(amount=800_000),
        done=lambda actor: {},
        make_wrong=_reversed_expense,
        wrong_message="Khoản này đã được điều chỉnh rồi.",
        form=REASON,
        success="Đã xử lý 1 khoản.",
    ),
    Case(
        model=Pledge,
        action="cancel_selected",
        permission="campaigns.cancel_pledge",
        actor="official",
        make=lambda actor: make_pledge(),
        done=lambda actor: {"cancelled": True, "cancel_reason": REASON["reason"]},
        make_wrong=_cancelled_pledge,
        wrong_message="Cam kết này đã hủy rồi.",
        form=REASON,
        success="Đã xử lý 1 khoản.",
    ),
]

ROUND_CASES = [
    Case(
        model=ReviewRound,
        action="action_close",
        permission="campaigns.close_reviewround",
        actor="official",
        make=lambda actor: f.make_round(status=RoundStatus.OPEN),
        done=lambda actor: {"status": RoundStatus.CLOSED},
        make_wrong=lambda actor: f.make_round(status=RoundStatus.CLOSED),
        wrong_message=wrong_state("đợt đánh giá", "Đã đóng"),
    ),
    Case(
        model=ReviewRound,
        action="action_reopen",
        permission="campaigns.close_reviewround",
        actor="official",
        make=lambda actor: f.make_round(status=RoundStatus.CLOSED),
        done=lambda actor: {"status": RoundStatus.OPEN},
        make_wrong=lambda actor: f.make_round(status=RoundStatus.OPEN),
        wrong_message=wrong_state("đợt đánh giá", "Đang mở"),
        form={"reason": "Một phiếu đánh giá nộp muộn"},
    ),
]

RECOGNITION_CASES = [
    Case(
        model=Recognition,
        action="action_approve",
        permission="campaigns.decide_recognition",
        actor="committee_member",
        make=lambda actor: f.make_recognition(status=R.PROPOSED),
        done=lambda actor: {
            "status": R.APPROVED,
            "decision_number": DECISION["decision_number"],
            "decided_on": date(2023, 12, 20),
            "decided_by": actor,
        },
        make_wrong=lambda actor: f.make_recognition(status=R.REJECTED),
        wrong_message=wrong_state("công nhận mô hình", "Không duyệt"),
        form=DECISION,
    ),
    Case(
        model=Recognition,
        action="action_reject",
        permission="campaigns.decide_recognition",
        actor="committee_member",
        make=lambda actor: f.make_recognition(status=R.PROPOSED),
        done=lambda actor: {
            "status": R.REJECTED,
            "rejection_reason": "Chưa đủ kết quả sau một năm",
            "decided_by": actor,
        },
        make_wrong=lambda actor: f.make_recognition(status=R.APPROVED),
        wrong_message=wrong_state("công nhận mô hình", "Đã duyệt"),
        form={"reason": "Chưa đủ kết quả sau một năm"},
    ),
    Case(
        model=Recognition,
        action="action_publish",
        permission="campaigns.publish_recognition",
        actor="committee_member",
        make=lambda actor: f.make_recognition(status=R.APPROVED),
        done=lambda actor: {"status": R.PUBLISHED},
        make_wrong=lambda actor: f.make_recognition(status=R.PROPOSED),
        wrong_message=wrong_state("công nhận mô hình", "Đề nghị"),
    ),
]

COMMENDATION_CASES = [
    Case(
        model=Commendation,
        action="action_submit",
        permission="campaigns.propose_commendation",
        actor="official",
        make=_draft_with_dossier,
        done=lambda actor: {"status": C.SUBMITTED},
        make_wrong=lambda actor: f.make_commendation(status=C.SUBMITTED),
        wrong_message=wrong_state("khen thưởng", "Đã trình"),
    ),
    Case(
        model=Commendation,
        action="action_decide",
        permission="campaigns.decide_commendation",
        actor="committee_member",
        make=lambda actor: f.make_commendation(status=C.SUBMITTED),
        done=lambda actor: {
            "status": C.DECIDED,
            "decision_number": DECISION["decision_number"],
            "decided_on": date(2023, 12, 20),
            "decided_by": actor,
        },
        make_wrong=lambda actor: f.make_commendation(status=C.DRAFT),
        wrong_message=wrong_state("khen thưởng", "Dự thảo"),
        form=DECISION,
    ),
    Case(
        model=Commendation,
        action="action_reject",
        permission="campaigns.decide_commendation",
        actor="committee_member",
        make=lambda actor: f.make_commendation(status=C.SUBMITTED),
        done=lambda actor: {"status": C.REJECTED},
        make_wrong=lambda actor: f.make_commendation(status=C.DECIDED),
        wrong_message=wrong_state("khen thưởng", "Đã có quyết định"),
        form={"reason": "Thành tích chưa tiêu biểu"},
    ),
    Case(
        model=Commendation,
        action="action_issue",
        permission="campaigns.issue_commendation",
        actor="official",
        make=lambda actor: f.make_commendation(status=C.DECIDED),
        done=lambda actor: {"status": C.ISSUED, "issued_on": date(2023, 12, 22)},
        make_wrong=lambda actor: f.make_commendation(status=C.SUBMITTED),
        wrong_message=wrong_state("khen thưởng", "Đã trình"),
        form={"issued_on": "2023-12-22"},
    ),
    Case(
        model=Commendation,
        action="action_revoke",
        permission="campaigns.decide_commendation",
        actor="committee_member",
        make=lambda actor: f.make_commendation(status=C.ISSUED),
        done=lambda actor: {"status": C.REVOKED},
        make_wrong=lambda actor: f.make_commendation(status=C.REJECTED),
        wrong_message=wrong_state("khen thưởng", "Không khen thưởng"),
        form={"reason": "Phát hiện kê khai thành tích không đúng"},
    ),
]

CASES = LEDGER_CASES + ROUND_CASES + RECOGNITION_CASES + COMMENDATION_CASES


def test_every_campaigns_admin_action_is_in_the_table():
    """Each action a campaigns ModelAdmin registers has a case here, and no case is stale."""
    assert custom_actions("campaigns") == {
        (case.model._meta.model_name, case.action) for case in CASES
    }


def _check_history(obj, case, actor, before):
    """The transition row (from, to, by, why) and the simple-history row, where kept."""
    reason = (case.form or {}).get("reason", "")
    if hasattr(obj, "transitions"):
        rows = [(t.from_status, t.to_status, t.by, t.reason) for t in obj.transitions.all()]
        assert rows == [(before["status"], obj.status, actor, reason)]
    if hasattr(obj, "history"):
        latest = obj.history.latest()
        assert latest.history_user == actor
        assert latest.history_change_reason == (reason or case.action.removeprefix("action_"))
        assert obj.history.count() == before["history rows"] + 1


def _check_reversal(obj, case, actor, before):
    """A ledger entry is never changed: a negative twin with the reason is written (the
    database marks the original ``has_reversal``, the one change its guard allows)."""
    if case.model not in (Donation, Expense):
        return
    assert snapshot(obj) == {
        **before,
        "has_reversal": True,
        "rows in the table": before["rows in the table"] + 1,
    }
    twin = case.model.objects.get(reverses=obj)
    assert (twin.amount, twin.reason, twin.recorded_by) == (-obj.amount, REASON["reason"], actor)
    assert twin.counted_on == obj.counted_on


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_permitted_user_runs_each_action_through_the_admin(request, client, case):
    """The action is offered, asks for its form first if it has one, saves, and logs who."""
    actor = request.getfixturevalue(case.actor)
    client.force_login(actor)
    assert case.action in offered_actions(client, case.model)
    obj = case.make(actor)
    before = snapshot(obj)

    if case.form is not None:
        page = start_action(client, case.model, case.action, obj)
        html = page.content.decode()
        assert page.status_code == 200 and page.redirect_chain == []
        assert 'name="apply"' in html
        for name in case.form:
            assert f'name="{name}"' in html
        assert snapshot(obj) == before, "the first POST only asks"

    started = timezone.now()
    response = run_action(client, case.model, case.action, obj, case.form)

    assert shown_messages(response) == [("success", case.success)]
    obj.refresh_from_db()
    expected = case.done(actor)
    assert {name: getattr(obj, name) for name in expected} == expected
    if case.model is Pledge:
        assert obj.cancelled_at >= started
    if case.model is Recognition and obj.status == R.PUBLISHED:
        assert obj.published_at >= started
    _check_history(obj, case, actor, before)
    _check_reversal(obj, case, actor, before)


@pytest.mark.parametrize(
    "case", [case for case in CASES if case.form and "reason" in case.form], ids=str
)
def test_an_empty_reason_changes_nothing(request, client, case):
    """The intermediate page comes back with the field's error; the row is untouched."""
    actor = request.getfixturevalue(case.actor)
    client.force_login(actor)
    obj = case.make(actor)
    before = snapshot(obj)
    page = apply_action(client, case.model, case.action, obj, dict.fromkeys(case.form, "  "))
    assert page.status_code == 200 and 'class="errorlist' in page.content.decode()
    assert snapshot(obj) == before


def test_an_empty_decision_changes_nothing(committee_client):
    """Approving without a decision number and date shows the form again, with errors."""
    recognition = f.make_recognition(status=R.PROPOSED)
    before = snapshot(recognition)
    page = apply_action(
        committee_client,
        Recognition,
        "action_approve",
        recognition,
        {"decision_number": "", "decided_on": ""},
    )
    assert page.content.decode().count('class="errorlist') == 2
    assert snapshot(recognition) == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_staff_user_without_the_actions_permission_is_refused(request, client, case):
    """Holding every other permission, the user neither sees the action nor can post it."""
    obj = case.make(request.getfixturevalue(case.actor))
    client.force_login(staff_without(case.permission))
    listing = client.get(changelist_url(case.model))
    assert reverse(admin_urlname(case.model._meta, "change"), args=[obj.pk]) in (
        listing.content.decode()
    ), "the user sees the row in the changelist"
    assert case.action not in offered_actions(client, case.model)
    before = snapshot(obj)

    response = apply_action(client, case.model, case.action, obj, case.form or {})

    # Django says "no action selected" when the page offers others; never a success.
    assert {level for level, _text in shown_messages(response)} <= {"warning"}
    assert snapshot(obj) == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_row_in_the_wrong_state_is_reported_and_left_alone(request, client, case):
    """The message names the row and why; nothing is saved, no history is written."""
    actor = request.getfixturevalue(case.actor)
    client.force_login(actor)
    obj = case.make_wrong(actor)
    before = snapshot(obj)

    response = run_action(client, case.model, case.action, obj, case.form)

    assert shown_messages(response) == [("error", f"{obj}: {case.wrong_message}")]
    assert snapshot(obj) == before


def test_submitting_an_incomplete_dossier_names_what_is_missing(official_client):
    """The submit action refuses a draft without its documents and says which are missing."""
    commendation = f.make_commendation(status=C.DRAFT)
    before = snapshot(commendation)
    response = run_action(official_client, Commendation, "action_submit", commendation, None)
    [(level, text)] = shown_messages(response)
    assert level == "error"
    assert text.startswith(f"{commendation}: Hồ sơ chưa đủ, còn thiếu: ")
    assert snapshot(commendation) == before


# Django's own site-wide action, delete_selected ------------------------------------------

CAMPAIGNS_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "campaigns"),
    key=lambda model: model._meta.model_name,
)


@pytest.mark.parametrize("model", CAMPAIGNS_MODELS, ids=lambda m: m._meta.model_name)
def test_neither_group_is_offered_deleting_campaigns_rows(
    client, official, committee_member, model
):
    """Officials and the committee hold no delete permission on a page of the admin."""
    for user in (official, committee_member):
        client.force_login(user)
        assert "delete_selected" not in offered_actions(client, model)


@pytest.mark.parametrize(
    "model",
    [Donation, Expense, Pledge, Evaluation, Recognition, Commendation],
    ids=lambda m: m._meta.model_name,
)
def test_ledger_entries_and_decisions_cannot_be_deleted_even_by_a_superuser(admin_client, model):
    """The ledger is append-only and decisions are kept: delete_selected is never offered."""
    assert "delete_selected" not in offered_actions(admin_client, model)
