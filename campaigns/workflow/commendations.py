"""Commendations (khen thưởng) and their dossiers.

A commendation is drafted (``commendation_create``), edited while it is a draft
(``commendation_update``), given its dossier (``dossier_attach``/``dossier_remove``), then
moves along ``COMMENDATION_TRANSITIONS`` through ``registry.transitions.move``.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.transitions import (
    Step,
    WorkflowError,
    check_permission,
    edit,
    move,
    stamp_history,
)

from ..dossiers import check_dossier_file
from ..models import Commendation, CommendationTransition, DossierDocument
from ..review_choices import CommendationStatus as C
from ..review_choices import DossierKind

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


DOSSIER_PERMISSION = "campaigns.propose_commendation"

# What a draft is made of: the proposal form's fields (``CommendationProposalForm``).
DRAFT_FIELDS = (
    "initiative",
    "review_round",
    "recipient_kind",
    "recipient_name",
    "contributor",
    "form",
    "reason",
    "prize_amount",
    "signer_name",
)


def _check_draft_fields(fields) -> None:
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected commendation fields {sorted(unknown)}")


def commendation_create(*, by, **fields) -> Commendation:
    """(new) → draft: an official drafts a commendation; the dossier is assembled next.

    ``fields`` are the draft's fields (``DRAFT_FIELDS``); ``by`` is kept as its author. No
    ``CommendationTransition`` is written: the history of states starts with its submission.
    """
    _check_draft_fields(fields)
    check_permission(by, COMMENDATION_TRANSITIONS["submit"].permission)
    commendation = Commendation(**fields, status=C.DRAFT, created_by=by)
    stamp_history(commendation, by)
    commendation.save()
    return commendation


def commendation_update(*, commendation: Commendation, by, **changes) -> Commendation:
    """Change a draft's fields (``DRAFT_FIELDS``); a commendation past its draft is refused."""
    return edit(
        instance=commendation,
        by=by,
        permission=COMMENDATION_TRANSITIONS["submit"].permission,
        changes=changes,
        editable_fields=DRAFT_FIELDS,
        refuse=lambda locked: (
            None
            if locked.status == C.DRAFT
            else WorkflowError(_("Chỉ sửa khen thưởng khi còn là dự thảo."), code="wrong_state")
        ),
    )


def _commendation_move(action, *, commendation, by, reason="", prepare=None):
    return move(
        instance=commendation,
        step=COMMENDATION_TRANSITIONS[action],
        action=action,
        by=by,
        reason=reason,
        history=CommendationTransition,
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
COMMENDATION_ACTIONS = {
    "submit": commendation_submit,
    "decide": commendation_decide,
    "reject": commendation_reject,
    "issue": commendation_issue,
    "revoke": commendation_revoke,
}
