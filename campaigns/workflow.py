"""Every state change of the campaigns app happens here (views, admin and commands call it).

Each transition function is keyword-only and:

- checks the permission of ``by`` and the starting state against the entity's one table of
  allowed transitions (``ROUND_TRANSITIONS``, ``RECOGNITION_TRANSITIONS``,
  ``COMMENDATION_TRANSITIONS``);
- runs in one transaction and locks the row it changes (``select_for_update``), so two
  people acting at once cannot both move it: the second sees a ``WorkflowError``;
- saves with ``update_fields`` and writes a ``…Transition`` row (who, when, from, to, why)
  plus a django-simple-history row carrying the reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.choices import InitiativeStatus
from registry.models import Initiative
from registry.workflow import WorkflowError, check_permission
from wardmodels.pagecache import public_pages_changed_on_commit

from .dossiers import check_dossier_file
from .models import (
    Commendation,
    CommendationTransition,
    ContributionKind,
    Contributor,
    Criterion,
    Donation,
    DossierDocument,
    Evaluation,
    Expense,
    Pledge,
    Recognition,
    RecognitionTransition,
    ReviewRound,
    ReviewRoundTransition,
    Score,
)
from .review_choices import (
    RECOGNITION_DECIDED,
    DossierKind,
    RecognitionLevel,
    RecognitionTier,
    Recommendation,
    RoundStatus,
)
from .review_choices import CommendationStatus as C
from .review_choices import RecognitionStatus as R

# --- Ledger ---
#
# Donations and expenses are append-only: ``*_record`` writes an entry, ``*_reverse`` writes
# the negative entry that cancels it (with a reason). Nothing is ever updated or deleted.


class LedgerEntryError(WorkflowError):
    """Bad input for a ledger entry; ``field`` names the form field it belongs to."""

    def __init__(self, message, code: str, field: str | None = None):
        super().__init__(message, code)
        self.field = field


# The one table of who may change the ledger.
LEDGER_PERMISSIONS: dict[str, str] = {
    "pledge_record": "campaigns.record_pledge",
    "pledge_cancel": "campaigns.cancel_pledge",
    "donation_record": "campaigns.record_donation",
    "donation_reverse": "campaigns.reverse_donation",
    "expense_record": "campaigns.record_expense",
    "expense_reverse": "campaigns.reverse_expense",
}

# Kinds measured in their own unit as well as in đồng: a quantity is required.
QUANTITY_REQUIRED = {ContributionKind.LABOUR, ContributionKind.LAND}


def check_amount(amount, *, field: str = "amount") -> int:
    """A whole, positive number of đồng, not above ``settings.LEDGER_MAX_AMOUNT``."""
    if amount is None or isinstance(amount, bool) or int(amount) != amount:
        raise LedgerEntryError(
            _("Số tiền phải là số nguyên đồng."), code="amount_not_whole", field=field
        )
    amount = int(amount)
    if amount <= 0:
        raise LedgerEntryError(
            _("Số tiền phải lớn hơn 0. Muốn sửa một khoản đã ghi, hãy điều chỉnh (đảo) khoản đó."),
            code="amount_not_positive",
            field=field,
        )
    ceiling = settings.LEDGER_MAX_AMOUNT
    if amount > ceiling:
        raise LedgerEntryError(
            _(
                "Số tiền %(amount)s ₫ vượt mức tối đa cho một lần ghi (%(ceiling)s ₫). "
                "Hãy kiểm tra lại số chữ số 0."
            )
            % {
                "amount": f"{amount:,}".replace(",", "."),
                "ceiling": f"{ceiling:,}".replace(",", "."),
            },
            code="amount_above_ceiling",
            field=field,
        )
    return amount


def check_not_future(day: date | None, *, field: str) -> date:
    if day is None:
        raise LedgerEntryError(_("Cần ghi ngày."), code="date_required", field=field)
    if day > timezone.localdate():
        raise LedgerEntryError(
            _("Ngày %(day)s chưa tới: không thể ghi trước.") % {"day": day.strftime("%d/%m/%Y")},
            code="date_in_future",
            field=field,
        )
    return day


def check_quantity(kind: str, quantity: Decimal | None) -> Decimal | None:
    if quantity is not None and quantity <= 0:
        raise LedgerEntryError(
            _("Số lượng phải lớn hơn 0."), code="quantity_not_positive", field="quantity"
        )
    if kind in QUANTITY_REQUIRED and quantity is None:
        raise LedgerEntryError(
            _("Đóng góp bằng ngày công hoặc đất cần ghi số lượng (số ngày công, số m²)."),
            code="quantity_required",
            field="quantity",
        )
    return quantity


def check_document_number(number: str | None, *, model, field: str) -> str:
    number = (number or "").strip()
    if not number:
        raise LedgerEntryError(_("Cần ghi số chứng từ."), code="number_required", field=field)
    if model.objects.filter(**{field: number}).exists():
        raise LedgerEntryError(
            _("Số %(number)s đã được dùng cho một khoản khác.") % {"number": number},
            code="duplicate_number",
            field=field,
        )
    return number


def check_pledge(pledge: Pledge | None, *, initiative: Initiative, contributor: Contributor):
    if pledge is None:
        return
    if pledge.cancelled:
        raise LedgerEntryError(
            _("Cam kết này đã hủy: không thể ghi nhận khoản đóng góp theo cam kết đó."),
            code="pledge_cancelled",
            field="pledge",
        )
    if pledge.initiative_id != initiative.pk or pledge.contributor_id != contributor.pk:
        raise LedgerEntryError(
            _("Cam kết này thuộc mô hình hoặc người đóng góp khác."),
            code="pledge_mismatch",
            field="pledge",
        )


def _create_unique(model, number_field: str, **fields):
    """Insert an entry; a number taken meanwhile by someone else becomes a clear error."""
    try:
        with transaction.atomic():
            entry = model.objects.create(**fields)
            public_pages_changed_on_commit()  # infrastructure: the public-page cache (issue 7)
            return entry
    except IntegrityError:
        number = fields.get(number_field)
        if number and model.objects.filter(**{number_field: number}).exists():
            raise LedgerEntryError(
                _("Số %(number)s đã được dùng cho một khoản khác.") % {"number": number},
                code="duplicate_number",
                field=number_field,
            ) from None
        raise


def pledge_record(
    *,
    initiative: Initiative,
    contributor: Contributor,
    kind: str,
    value: int,
    pledged_on: date,
    by,
    due_on: date | None = None,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
) -> Pledge:
    """Record a promise to give; its state is derived later from donations and dates."""
    check_permission(by, LEDGER_PERMISSIONS["pledge_record"])
    value = check_amount(value, field="value")
    check_not_future(pledged_on, field="pledged_on")
    check_quantity(kind, quantity)
    if due_on is not None and due_on < pledged_on:
        raise LedgerEntryError(
            _("Hạn đóng góp phải sau ngày cam kết."), code="due_before_pledged", field="due_on"
        )
    pledge = Pledge(
        initiative=initiative,
        contributor=contributor,
        kind=kind,
        value=value,
        pledged_on=pledged_on,
        due_on=due_on,
        description=description,
        quantity=quantity,
        unit=unit,
        recorded_by=by,
    )
    pledge._history_user = by
    pledge.save()
    public_pages_changed_on_commit()  # infrastructure: the public-page cache (issue 7)
    return pledge


def pledge_cancel(*, pledge: Pledge, by, reason: str) -> Pledge:
    """Cancel a pledge (the contributor withdrew it), with a reason; repeating it is refused."""
    check_permission(by, LEDGER_PERMISSIONS["pledge_cancel"])
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Cần ghi rõ lý do."), code="reason_required")
    with transaction.atomic():
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if locked.cancelled:
            raise WorkflowError(_("Cam kết này đã hủy rồi."), code="already_cancelled")
        locked.cancelled = True
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = reason
        locked._history_user = by
        locked._change_reason = reason
        locked.save(update_fields=["cancelled", "cancelled_at", "cancel_reason"])
        public_pages_changed_on_commit()  # infrastructure: the public-page cache (issue 7)
    for name in ("cancelled", "cancelled_at", "cancel_reason"):
        setattr(pledge, name, getattr(locked, name))
    return pledge


def donation_record(
    *,
    initiative: Initiative,
    contributor: Contributor,
    kind: str,
    amount: int,
    received_on: date,
    receipt_number: str,
    by,
    pledge: Pledge | None = None,
    description: str = "",
    quantity: Decimal | None = None,
    unit: str = "",
) -> Donation:
    """Record something received (cash, goods, labour-days, land), valued in đồng.

    Refuses: no permission, amount not positive or above the ceiling, a date in the future,
    a labour/land entry without quantity, a duplicate receipt number, a cancelled pledge or
    one of another initiative/contributor. The pledge's row is locked so that it cannot be
    cancelled while the donation is written against it.
    """
    check_permission(by, LEDGER_PERMISSIONS["donation_record"])
    amount = check_amount(amount)
    check_not_future(received_on, field="received_on")
    check_quantity(kind, quantity)
    receipt_number = check_document_number(receipt_number, model=Donation, field="receipt_number")
    with transaction.atomic():
        if pledge is not None:
            pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        check_pledge(pledge, initiative=initiative, contributor=contributor)
        return _create_unique(
            Donation,
            "receipt_number",
            initiative=initiative,
            contributor=contributor,
            pledge=pledge,
            kind=kind,
            description=description,
            quantity=quantity,
            unit=unit,
            amount=amount,
            received_on=received_on,
            counted_on=received_on,
            receipt_number=receipt_number,
            recorded_by=by,
        )


def expense_record(
    *,
    initiative: Initiative,
    description: str,
    amount: int,
    spent_on: date,
    voucher_number: str,
    by,
) -> Expense:
    """Record money spent from the contributions, with its voucher number."""
    check_permission(by, LEDGER_PERMISSIONS["expense_record"])
    amount = check_amount(amount)
    check_not_future(spent_on, field="spent_on")
    description = (description or "").strip()
    if not description:
        raise LedgerEntryError(
            _("Cần ghi nội dung chi."), code="description_required", field="description"
        )
    voucher_number = check_document_number(voucher_number, model=Expense, field="voucher_number")
    return _create_unique(
        Expense,
        "voucher_number",
        initiative=initiative,
        description=description,
        amount=amount,
        spent_on=spent_on,
        counted_on=spent_on,
        voucher_number=voucher_number,
        recorded_by=by,
    )


def _reverse(entry, *, by, reason: str, action: str, copy: dict):
    """Write the negative twin of ``entry``; the original's row lock serialises reversers."""
    check_permission(by, LEDGER_PERMISSIONS[action])
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Cần ghi rõ lý do điều chỉnh."), code="reason_required")
    model = type(entry)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=entry.pk)
        if locked.reverses_id is not None:
            raise WorkflowError(
                _("Đây là bút toán điều chỉnh: không thể điều chỉnh tiếp."),
                code="reversal_of_reversal",
            )
        if model.objects.filter(reverses=locked).exists():
            raise WorkflowError(_("Khoản này đã được điều chỉnh rồi."), code="already_reversed")
        fields = {name: getattr(locked, name) for name in copy["same"]}
        fields.update(
            {
                name: -getattr(locked, name)
                for name in copy["negated"]
                if getattr(locked, name) is not None
            }
        )
        try:
            with transaction.atomic():
                public_pages_changed_on_commit()  # infrastructure: public-page cache (issue 7)
                return model.objects.create(
                    **fields,
                    amount=-locked.amount,
                    reverses=locked,
                    reason=reason,
                    recorded_by=by,
                    **{copy["date"]: timezone.localdate()},
                )
        except IntegrityError:
            # The unique link on ``reverses`` caught a concurrent reversal (on engines
            # without row locks); say so plainly.
            if model.objects.filter(reverses=locked).exists():
                raise WorkflowError(
                    _("Khoản này đã được điều chỉnh rồi."), code="already_reversed"
                ) from None
            raise


def donation_reverse(*, donation: Donation, by, reason: str) -> Donation:
    """Cancel a recorded donation by writing its negative twin, dated today, with a reason.

    The original stays as it was. A reversal cannot itself be reversed, and an entry is
    reversed at most once (enforced by a row lock here and a unique column in the database).
    """
    return _reverse(
        donation,
        by=by,
        reason=reason,
        action="donation_reverse",
        copy={
            "same": [
                "initiative_id",
                "contributor_id",
                "pledge_id",
                "kind",
                "description",
                "unit",
                # Reports count the reversal in the original's period.
                "counted_on",
            ],
            "negated": ["quantity"],
            "date": "received_on",
        },
    )


def expense_reverse(*, expense: Expense, by, reason: str) -> Expense:
    """Cancel a recorded expense by writing its negative twin, dated today, with a reason."""
    return _reverse(
        expense,
        by=by,
        reason=reason,
        action="expense_reverse",
        copy={
            "same": ["initiative_id", "description", "counted_on"],
            "negated": [],
            "date": "spent_on",
        },
    )


# --- Reviews, recognition, commendation ---


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    permission: str
    reason_required: bool = False


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

COMMENDATION_TRANSITIONS: dict[str, Step] = {
    "submit": Step((C.DRAFT,), C.SUBMITTED, "campaigns.propose_commendation"),
    "decide": Step((C.SUBMITTED,), C.DECIDED, "campaigns.decide_commendation"),
    "reject": Step(
        (C.SUBMITTED,), C.REJECTED, "campaigns.decide_commendation", reason_required=True
    ),
    "issue": Step((C.DECIDED,), C.ISSUED, "campaigns.issue_commendation"),
    "revoke": Step(
        (C.DECIDED, C.ISSUED),
        C.REVOKED,
        "campaigns.decide_commendation",
        reason_required=True,
    ),
}

SCORE_PERMISSION = "campaigns.score_evaluation"
DOSSIER_PERMISSION = "campaigns.propose_commendation"

# Only models under way or finished are evaluated, recognised and commended.
EVALUABLE_STATUSES = (InitiativeStatus.IMPLEMENTING, InitiativeStatus.COMPLETED)

_TWO_PLACES = Decimal("0.01")


def allowed_actions(table: Mapping[str, Step], obj, user: AbstractBaseUser) -> list[str]:
    """The transitions of ``table`` that ``user`` may apply to ``obj`` now (for buttons)."""
    return [
        action
        for action, step in table.items()
        if obj.status in step.sources and user.has_perm(step.permission)
    ]


def _clean_reason(step: Step, reason: str | None) -> str:
    reason = (reason or "").strip()
    if step.reason_required and not reason:
        raise WorkflowError(_("Cần ghi rõ lý do."), code="reason_required")
    return reason


def _wrong_state(obj) -> WorkflowError:
    return WorkflowError(
        _(
            "Không thể thực hiện: %(what)s đang ở trạng thái “%(status)s” "
            "(có thể người khác vừa xử lý)."
        )
        % {"what": obj._meta.verbose_name, "status": obj.get_status_display()},
        code="wrong_state",
    )


def _move(
    *,
    instance: models.Model,
    step: Step,
    action: str,
    by,
    reason: str,
    history: type[models.Model],
    history_fk: str,
    prepare=None,
) -> models.Model:
    """Lock ``instance``, check its state, run ``prepare(locked)``, save, write history.

    ``prepare`` sets the transition's own fields on the locked row and returns their names;
    it may raise ``WorkflowError``. The caller's copy is refreshed afterwards.
    """
    check_permission(by, step.permission)
    reason = _clean_reason(step, reason)
    model = type(instance)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        if locked.status not in step.sources:
            raise _wrong_state(locked)
        fields = list(prepare(locked)) if prepare else []
        from_status = locked.status
        locked.status = step.target
        locked._history_user = by
        locked._change_reason = reason or action
        try:
            with transaction.atomic():
                locked.save(update_fields=["status", *fields])
        except IntegrityError:
            raise WorkflowError(
                _(
                    "Không thể lưu: điều này trái với một ràng buộc của dữ liệu (đã có quyết định "
                    "tương tự)."
                ),
                code="conflict",
            ) from None
        history.objects.create(
            **{history_fk: locked},
            from_status=from_status,
            to_status=step.target,
            by=by,
            reason=reason,
        )
        public_pages_changed_on_commit()  # infrastructure: the public-page cache (issue 7)
    for name in ["status", *fields]:
        setattr(instance, name, getattr(locked, name))
    return instance


# Review rounds ---------------------------------------------------------------------------


def _round_move(action, *, review_round, by, reason=""):
    return _move(
        instance=review_round,
        step=ROUND_TRANSITIONS[action],
        action=action,
        by=by,
        reason=reason,
        history=ReviewRoundTransition,
        history_fk="review_round",
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
        evaluation._history_user = by
        evaluation._change_reason = "score" if created else "rescore"
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
                score._history_user = by
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
        recognition._history_user = by
        recognition._change_reason = "propose"
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

    return _move(
        instance=recognition,
        step=RECOGNITION_TRANSITIONS["approve"],
        action="approve",
        by=by,
        reason="",
        history=RecognitionTransition,
        history_fk="recognition",
        prepare=prepare,
    )


def recognition_reject(*, recognition: Recognition, by, reason: str) -> Recognition:
    """proposed → rejected: the party committee does not approve; a reason is required."""

    def prepare(locked: Recognition):
        locked.rejection_reason = reason.strip()
        locked.decided_by = by
        locked.decided_at = timezone.now()
        return ["rejection_reason", "decided_by", "decided_at"]

    return _move(
        instance=recognition,
        step=RECOGNITION_TRANSITIONS["reject"],
        action="reject",
        by=by,
        reason=reason,
        history=RecognitionTransition,
        history_fk="recognition",
        prepare=prepare,
    )


def recognition_publish(*, recognition: Recognition, by) -> Recognition:
    """approved → published: the decision becomes visible on the model's public page."""

    def prepare(locked: Recognition):
        locked.published_at = timezone.now()
        return ["published_at"]

    return _move(
        instance=recognition,
        step=RECOGNITION_TRANSITIONS["publish"],
        action="publish",
        by=by,
        reason="",
        history=RecognitionTransition,
        history_fk="recognition",
        prepare=prepare,
    )


# Commendations ---------------------------------------------------------------------------


def _commendation_move(action, *, commendation, by, reason="", prepare=None):
    return _move(
        instance=commendation,
        step=COMMENDATION_TRANSITIONS[action],
        action=action,
        by=by,
        reason=reason,
        history=CommendationTransition,
        history_fk="commendation",
        prepare=prepare,
    )


def commendation_submit(*, commendation: Commendation, by) -> Commendation:
    """draft → submitted: only with the proposal letter, achievement report and minutes."""

    def prepare(locked: Commendation):
        missing = locked.missing_dossier_kinds()
        if missing:
            raise WorkflowError(
                _("Hồ sơ chưa đủ, còn thiếu: %(kinds)s.")
                % {"kinds": "; ".join(str(DossierKind(k).label) for k in missing)},
                code="dossier_incomplete",
            )
        return []

    return _commendation_move("submit", commendation=commendation, by=by, prepare=prepare)


def commendation_decide(
    *, commendation: Commendation, by, decision_number: str, decided_on: date | None
) -> Commendation:
    """submitted → decided: the decision number and date are required."""
    decision_number = (decision_number or "").strip()

    def prepare(locked: Commendation):
        if not decision_number or decided_on is None:
            raise WorkflowError(
                _("Cần ghi số và ngày của quyết định khen thưởng."), code="decision_required"
            )
        locked.decision_number = decision_number
        locked.decided_on = decided_on
        locked.decided_by = by
        return ["decision_number", "decided_on", "decided_by"]

    return _commendation_move("decide", commendation=commendation, by=by, prepare=prepare)


def commendation_reject(*, commendation: Commendation, by, reason: str) -> Commendation:
    """submitted → rejected, with a reason."""
    return _commendation_move("reject", commendation=commendation, by=by, reason=reason)


def commendation_issue(
    *, commendation: Commendation, by, issued_on: date | None = None
) -> Commendation:
    """decided → issued: the certificate was printed and handed over (today by default)."""

    def prepare(locked: Commendation):
        locked.issued_on = issued_on or timezone.localdate()
        return ["issued_on"]

    return _commendation_move("issue", commendation=commendation, by=by, prepare=prepare)


def commendation_revoke(*, commendation: Commendation, by, reason: str) -> Commendation:
    """decided or issued → revoked, with a reason; it disappears from public pages."""
    return _commendation_move("revoke", commendation=commendation, by=by, reason=reason)


def dossier_attach(*, commendation: Commendation, kind: str, file, by) -> DossierDocument:
    """Attach a checked file to a draft commendation's dossier (stored privately)."""
    check_permission(by, DOSSIER_PERMISSION)
    if kind not in DossierKind.values:
        raise WorkflowError(_("Loại tài liệu không hợp lệ."), code="invalid_choice")
    try:
        content, content_type, original = check_dossier_file(file)
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0], code=exc.code or "invalid_file") from None
    with transaction.atomic():
        locked = Commendation.objects.select_for_update().get(pk=commendation.pk)
        if locked.status != C.DRAFT:
            raise WorkflowError(
                _("Chỉ bổ sung hồ sơ khi khen thưởng còn là dự thảo."), code="wrong_state"
            )
        return DossierDocument.objects.create(
            commendation=locked,
            kind=kind,
            file=content,
            original_name=original,
            content_type=content_type,
            size=content.size,
            uploaded_by=by,
        )


def dossier_remove(*, document: DossierDocument, by) -> None:
    """Remove a file from a draft commendation's dossier (and from the disk)."""
    check_permission(by, DOSSIER_PERMISSION)
    with transaction.atomic():
        locked = Commendation.objects.select_for_update().get(pk=document.commendation_id)
        if locked.status != C.DRAFT:
            raise WorkflowError(
                _("Chỉ bớt hồ sơ khi khen thưởng còn là dự thảo."), code="wrong_state"
            )
        name = document.file.name
        storage = document.file.storage
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))


# Actions by name, for the admin, the staff views and management commands.
RECOGNITION_ACTIONS = {
    "approve": recognition_approve,
    "reject": recognition_reject,
    "publish": recognition_publish,
}
COMMENDATION_ACTIONS = {
    "submit": commendation_submit,
    "decide": commendation_decide,
    "reject": commendation_reject,
    "issue": commendation_issue,
    "revoke": commendation_revoke,
}
