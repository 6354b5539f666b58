"""Review rounds, evaluations and recognitions.

Rounds and recognitions move through ``registry.transitions.move`` along their tables
(``ROUND_TRANSITIONS``, ``RECOGNITION_TRANSITIONS``); an evaluation is saved under the
round's row lock so that closing a round and scoring cannot interleave.
"""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.choices import InitiativeStatus
from registry.models import Initiative
from registry.transitions import (
    Step,
    WorkflowError,
    check_permission,
    edit,
    move,
    stamp_history,
    wrong_state,
)

from ..models import (
    Criterion,
    Evaluation,
    Recognition,
    RecognitionTransition,
    ReviewRound,
    ReviewRoundTransition,
    Score,
)
from ..review_choices import (
    RECOGNITION_DECIDED,
    RecognitionLevel,
    RecognitionTier,
    Recommendation,
    RoundStatus,
)
from ..review_choices import RecognitionStatus as R

# The one table per entity of what may happen, from where, and who may make it happen.
ROUND_TRANSITIONS: dict[str, Step] = {
    "close": Step((RoundStatus.OPEN,), RoundStatus.CLOSED, "campaigns.close_reviewround"),
    "reopen": Step(
        (RoundStatus.CLOSED,),
        RoundStatus.OPEN,
        "campaigns.close_reviewround",
        reason_required=True,
    ),
}

RECOGNITION_TRANSITIONS: dict[str, Step] = {
    "propose": Step(("",), R.PROPOSED, "campaigns.propose_recognition"),
    "approve": Step((R.PROPOSED,), R.APPROVED, "campaigns.decide_recognition"),
    "reject": Step((R.PROPOSED,), R.REJECTED, "campaigns.decide_recognition", reason_required=True),
    "publish": Step((R.APPROVED,), R.PUBLISHED, "campaigns.publish_recognition"),
}


SCORE_PERMISSION = "campaigns.score_evaluation"

# Only models under way or finished are evaluated, recognised and commended.
EVALUABLE_STATUSES = (InitiativeStatus.IMPLEMENTING, InitiativeStatus.COMPLETED)

_TWO_PLACES = Decimal("0.01")


# Review rounds ---------------------------------------------------------------------------


def _round_move(action, *, review_round, by, reason=""):
    return move(
        instance=review_round,
        step=ROUND_TRANSITIONS[action],
        action=action,
        by=by,
        reason=reason,
        history=ReviewRoundTransition,
    )


def round_close(*, review_round: ReviewRound, by) -> ReviewRound:
    """open → closed: the round accepts no new or changed evaluations any more."""
    return _round_move("close", review_round=review_round, by=by)


def round_reopen(*, review_round: ReviewRound, by, reason: str) -> ReviewRound:
    """closed → open, with a reason (a late evaluation, a correction)."""
    return _round_move("reopen", review_round=review_round, by=by, reason=reason)


# Evaluations -----------------------------------------------------------------------------


def weighted_total(criteria_scores) -> tuple[Decimal, Decimal]:
    """(Σ weight × score, Σ weight × max) over ``(criterion, score)`` pairs, to 0.01."""
    total = sum((c.weight * v for c, v in criteria_scores), Decimal("0"))
    maximum = sum((c.weight * c.max_score for c, _v in criteria_scores), Decimal("0"))
    return (
        total.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP),
        maximum.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP),
    )


def _parse_score(criterion: Criterion, raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        raise WorkflowError(
            _("Điểm của tiêu chí “%(label)s” không phải là một số.") % {"label": criterion.label},
            code="score_not_a_number",
        )
    if value < 0 or value > criterion.max_score:
        raise WorkflowError(
            _("Điểm của tiêu chí “%(label)s” phải từ 0 đến %(max)s.")
            % {"label": criterion.label, "max": criterion.max_score.normalize()},
            code="score_out_of_range",
        )
    return value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def evaluation_save(
    *,
    review_round: ReviewRound,
    initiative: Initiative,
    by,
    scores: Mapping,
    recommendation: str,
    comment: str = "",
) -> Evaluation:
    """Create or change ``by``'s evaluation of ``initiative`` in ``review_round``.

    ``scores`` maps each of the campaign's criteria (or its id) to a score in 0..max; every
    criterion must be scored. The weighted total is computed here. The round's row is
    locked, so closing a round and saving an evaluation cannot interleave; a closed round
    refuses. One evaluation per evaluator, model and round: saving again updates it.
    """
    check_permission(by, SCORE_PERMISSION)
    if recommendation not in Recommendation.values:
        raise WorkflowError(_("Hãy chọn một kiến nghị."), code="recommendation_required")
    with transaction.atomic():
        locked_round = (
            ReviewRound.objects.select_for_update()
            .select_related("campaign")
            .get(pk=review_round.pk)
        )
        if not locked_round.is_open:
            raise WorkflowError(
                _("Đợt đánh giá “%(round)s” đã đóng: không nhận phiếu mới hay sửa phiếu.")
                % {"round": locked_round},
                code="round_closed",
            )
        if initiative.status not in EVALUABLE_STATUSES:
            raise WorkflowError(
                _("Chỉ chấm điểm mô hình đang thực hiện hoặc đã hoàn thành."),
                code="not_evaluable",
            )
        criteria = list(Criterion.objects.filter(campaign=locked_round.campaign_id))
        if not criteria:
            raise WorkflowError(_("Phong trào này chưa có tiêu chí đánh giá."), code="no_criteria")
        by_id = {c.pk: c for c in criteria}
        given = {(k.pk if isinstance(k, Criterion) else int(k)): v for k, v in scores.items()}
        unknown = set(given) - set(by_id)
        if unknown:
            raise WorkflowError(
                _("Có tiêu chí không thuộc phong trào này."), code="unknown_criterion"
            )
        missing = [c.label for c in criteria if given.get(c.pk) in (None, "")]
        if missing:
            raise WorkflowError(
                _("Chưa chấm tiêu chí: %(labels)s.") % {"labels": "; ".join(missing)},
                code="missing_scores",
            )
        values = {c.pk: _parse_score(c, given[c.pk]) for c in criteria}
        total, max_total = weighted_total([(c, values[c.pk]) for c in criteria])

        evaluation = (
            Evaluation.objects.select_for_update()
            .filter(review_round=locked_round, initiative=initiative, evaluator=by)
            .first()
        )
        created = evaluation is None
        if created:
            evaluation = Evaluation(review_round=locked_round, initiative=initiative, evaluator=by)
        evaluation.total = total
        evaluation.max_total = max_total
        evaluation.recommendation = recommendation
        evaluation.comment = (comment or "").strip()
        stamp_history(evaluation, by, "score" if created else "rescore")
        if created:
            evaluation.save()
        else:
            evaluation.save(
                update_fields=["total", "max_total", "recommendation", "comment", "updated_at"]
            )
        existing = {s.criterion_id: s for s in evaluation.scores.all()} if not created else {}
        for criterion in criteria:
            score = existing.get(criterion.pk)
            if score is None:
                Score.objects.create(
                    evaluation=evaluation, criterion=criterion, value=values[criterion.pk]
                )
            elif score.value != values[criterion.pk]:
                score.value = values[criterion.pk]
                stamp_history(score, by)
                score.save(update_fields=["value"])
    return evaluation


# Recognitions ----------------------------------------------------------------------------


def recognition_propose(
    *,
    initiative: Initiative,
    review_round: ReviewRound,
    by,
    level: str = RecognitionLevel.WARD_PARTY_COMMITTEE,
    tier: str = RecognitionTier.RECOGNISED,
    proposal: str = "",
) -> Recognition:
    """(new) → proposed: an official proposes recognising a model in a round.

    Refused while the model already has a live recognition (proposed, approved or
    published) at that level in that round; the initiative's row is locked so two
    officials proposing at once make one proposal.
    """
    step = RECOGNITION_TRANSITIONS["propose"]
    check_permission(by, step.permission)
    if level not in RecognitionLevel.values or tier not in RecognitionTier.values:
        raise WorkflowError(_("Cấp hoặc mức công nhận không hợp lệ."), code="invalid_choice")
    with transaction.atomic():
        locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if locked.status not in EVALUABLE_STATUSES:
            raise WorkflowError(
                _("Chỉ đề nghị công nhận mô hình đang thực hiện hoặc đã hoàn thành."),
                code="not_evaluable",
            )
        live = Recognition.objects.filter(
            initiative=locked,
            review_round=review_round,
            level=level,
            status__in=[R.PROPOSED, *RECOGNITION_DECIDED],
        ).first()
        if live is not None:
            raise WorkflowError(
                _(
                    "Mô hình đã có đề nghị hoặc quyết định công nhận ở cấp này trong đợt này "
                    "(trạng thái “%(status)s”)."
                )
                % {"status": live.get_status_display()},
                code="already_proposed",
            )
        recognition = Recognition(
            initiative=locked,
            review_round=review_round,
            level=level,
            tier=tier,
            proposal=(proposal or "").strip(),
            status=R.PROPOSED,
            proposed_by=by,
            proposed_at=timezone.now(),
        )
        stamp_history(recognition, by, "propose")
        recognition.save()
        RecognitionTransition.objects.create(
            recognition=recognition, from_status="", to_status=R.PROPOSED, by=by
        )
    return recognition


def recognition_approve(
    *, recognition: Recognition, by, decision_number: str, decided_on: date | None
) -> Recognition:
    """proposed → approved: the party committee approves, with decision number and date.

    Two approvers acting at once: the row lock makes the second wait, then see the new
    state and get a ``WorkflowError``. A model cannot hold two approved recognitions at the
    same level in one round (checked here, and by a partial unique constraint).
    """
    decision_number = (decision_number or "").strip()
    if not decision_number or decided_on is None:
        check_permission(by, RECOGNITION_TRANSITIONS["approve"].permission)
        raise WorkflowError(
            _("Cần ghi số và ngày của quyết định công nhận."), code="decision_required"
        )

    def prepare(locked: Recognition):
        if (
            Recognition.objects.filter(
                initiative_id=locked.initiative_id,
                review_round_id=locked.review_round_id,
                level=locked.level,
                status__in=RECOGNITION_DECIDED,
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise WorkflowError(
                _("Mô hình đã được công nhận ở cấp này trong đợt này."),
                code="already_recognised",
            )
        locked.decision_number = decision_number
        locked.decided_on = decided_on
        locked.decided_by = by
        locked.decided_at = timezone.now()
        return ["decision_number", "decided_on", "decided_by", "decided_at"]

    return move(
        instance=recognition,
        step=RECOGNITION_TRANSITIONS["approve"],
        action="approve",
        by=by,
        reason="",
        history=RecognitionTransition,
        prepare=prepare,
    )


def recognition_reject(*, recognition: Recognition, by, reason: str) -> Recognition:
    """proposed → rejected: the party committee does not approve; a reason is required."""

    def prepare(locked: Recognition):
        locked.rejection_reason = reason.strip()
        locked.decided_by = by
        locked.decided_at = timezone.now()
        return ["rejection_reason", "decided_by", "decided_at"]

    return move(
        instance=recognition,
        step=RECOGNITION_TRANSITIONS["reject"],
        action="reject",
        by=by,
        reason=reason,
        history=RecognitionTransition,
        prepare=prepare,
    )


def recognition_publish(*, recognition: Recognition, by) -> Recognition:
    """approved → published: the decision becomes visible on the model's public page."""

    def prepare(locked: Recognition):
        locked.published_at = timezone.now()
        return ["published_at"]

    return move(
        instance=recognition,
        step=RECOGNITION_TRANSITIONS["publish"],
        action="publish",
        by=by,
        reason="",
        history=RecognitionTransition,
        prepare=prepare,
    )


# The fields of a proposal that may still be changed while it waits for a decision.
RECOGNITION_PROPOSAL_FIELDS = ("tier", "proposal", "source_note")


def recognition_update(*, recognition: Recognition, by, **changes) -> Recognition:
    """Change the proposal of a recognition that is still only proposed (the admin's form).

    ``changes`` holds fields of ``RECOGNITION_PROPOSAL_FIELDS``; a decided recognition is
    refused.
    """
    return edit(
        instance=recognition,
        by=by,
        permission=RECOGNITION_TRANSITIONS["propose"].permission,
        changes=changes,
        editable_fields=RECOGNITION_PROPOSAL_FIELDS,
        refuse=lambda locked: None if locked.status == R.PROPOSED else wrong_state(locked),
        reason="edit",
    )


# Actions by name, for the admin, the staff views and management commands.
RECOGNITION_ACTIONS = {
    "approve": recognition_approve,
    "reject": recognition_reject,
    "publish": recognition_publish,
}
