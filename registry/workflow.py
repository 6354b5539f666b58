"""Every change of an initiative's status, and its publication, happens here.

One keyword-only function per transition; views, admin actions and management commands all
call these. Each one:

- checks the permission of ``by`` and the starting state against ``TRANSITIONS``;
- runs in one transaction and locks the initiative's row (``select_for_update``), so two
  people acting at once cannot both move it;
- saves with ``update_fields`` and records an ``InitiativeTransition`` (who, when, from, to,
  why) plus a django-simple-history row carrying the reason.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardmodels.pagecache import public_pages_changed_on_commit

from .choices import InitiativeStatus as S
from .models import Initiative, InitiativeTransition, OversightActivity


class WorkflowError(Exception):
    """A transition that may not happen; the message is shown to the user as it is."""

    def __init__(self, message, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    permission: str
    reason_required: bool = False


# The one table of what may happen to an initiative, and who may make it happen.
TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(S.DRAFT, S.REGISTERED, "registry.submit_initiative"),
    "approve": Transition(S.REGISTERED, S.IMPLEMENTING, "registry.approve_initiative"),
    "return": Transition(
        S.REGISTERED, S.DRAFT, "registry.approve_initiative", reason_required=True
    ),
    "complete": Transition(S.IMPLEMENTING, S.COMPLETED, "registry.complete_initiative"),
    "discontinue": Transition(
        S.IMPLEMENTING, S.DISCONTINUED, "registry.discontinue_initiative", reason_required=True
    ),
    "resume": Transition(S.DISCONTINUED, S.IMPLEMENTING, "registry.discontinue_initiative"),
}

PUBLISH_PERMISSION = "registry.publish_initiative"


def allowed_actions(initiative: Initiative, user: AbstractBaseUser) -> list[str]:
    """The transitions ``user`` may apply to ``initiative`` now (for buttons and menus)."""
    return [
        action
        for action, t in TRANSITIONS.items()
        if t.source == initiative.status and user.has_perm(t.permission)
    ]


def check_permission(by: AbstractBaseUser | None, permission: str) -> None:
    """Raise a WorkflowError unless ``by`` is an active user holding ``permission``."""
    if by is None or not by.is_active or not by.has_perm(permission):
        raise WorkflowError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


def _locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _refresh_caller_copy(initiative: Initiative, locked: Initiative, fields) -> None:
    for name in fields:
        setattr(initiative, name, getattr(locked, name))


def _apply(action: str, *, initiative: Initiative, by, reason: str = "") -> Initiative:
    transition = TRANSITIONS[action]
    check_permission(by, transition.permission)
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise WorkflowError(_("Cần ghi rõ lý do."), code="reason_required")
    with transaction.atomic():
        locked = _locked(initiative)
        if locked.status != transition.source:
            raise WorkflowError(
                _("Không thể thực hiện: mô hình đang ở trạng thái “%(status)s”.")
                % {"status": locked.get_status_display()},
                code="wrong_state",
            )
        locked.status = transition.target
        locked.updated_by = by
        locked._history_user = by
        locked._change_reason = reason or action
        locked.save(update_fields=["status", "updated_by", "updated_at"])
        InitiativeTransition.objects.create(
            initiative=locked,
            from_status=transition.source,
            to_status=transition.target,
            by=by,
            reason=reason,
        )
        public_pages_changed_on_commit()  # infrastructure: the public-page cache (issue 7)
    _refresh_caller_copy(initiative, locked, ["status", "updated_by", "updated_at"])
    return initiative


def initiative_submit(*, initiative: Initiative, by) -> Initiative:
    """draft → registered: a ward official submits the registration."""
    return _apply("submit", initiative=initiative, by=by)


def initiative_approve(*, initiative: Initiative, by) -> Initiative:
    """registered → implementing: the party committee approves the registration."""
    return _apply("approve", initiative=initiative, by=by)


def initiative_return(*, initiative: Initiative, by, reason: str) -> Initiative:
    """registered → draft: the party committee returns the registration, with a reason."""
    return _apply("return", initiative=initiative, by=by, reason=reason)


def initiative_complete(*, initiative: Initiative, by) -> Initiative:
    """implementing → completed: a ward official marks the model completed."""
    return _apply("complete", initiative=initiative, by=by)


def initiative_discontinue(*, initiative: Initiative, by, reason: str) -> Initiative:
    """implementing → discontinued: the party committee stops the model, with a reason."""
    return _apply("discontinue", initiative=initiative, by=by, reason=reason)


def initiative_resume(*, initiative: Initiative, by) -> Initiative:
    """discontinued → implementing: the party committee lets the model go on."""
    return _apply("resume", initiative=initiative, by=by)


def initiative_set_published(*, initiative: Initiative, by, published: bool) -> Initiative:
    """Show or hide an initiative on public pages.

    Publishing is independent of the status (a published draft is still invisible: see
    ``InitiativeQuerySet.public``). The first publication freezes the slug for good.
    Repeating it is a no-op.
    """
    check_permission(by, PUBLISH_PERMISSION)
    with transaction.atomic():
        locked = _locked(initiative)
        if locked.published == published:
            _refresh_caller_copy(initiative, locked, ["published", "first_published_at"])
            return initiative
        locked.published = published
        if published and locked.first_published_at is None:
            locked.first_published_at = timezone.now()
        locked.updated_by = by
        locked._history_user = by
        locked._change_reason = "publish" if published else "unpublish"
        locked.save(update_fields=["published", "first_published_at", "updated_by", "updated_at"])
        public_pages_changed_on_commit()  # infrastructure: the public-page cache (issue 7)
    _refresh_caller_copy(
        initiative, locked, ["published", "first_published_at", "updated_by", "updated_at"]
    )
    return initiative


RESOLVE_OVERSIGHT_PERMISSION = "registry.change_oversightactivity"


def oversight_resolve(*, activity: OversightActivity, by) -> OversightActivity:
    """Mark the follow-up of an inspection, urging or reminder as done.

    Locks the row; resolving twice is refused (``already_resolved``) so that two officials
    pressing the button at once see that the other one was first. Who and when are kept by
    django-simple-history (the history row carries ``by`` and the reason "resolve").
    """
    check_permission(by, RESOLVE_OVERSIGHT_PERMISSION)
    with transaction.atomic():
        locked = OversightActivity.objects.select_for_update().get(pk=activity.pk)
        if locked.resolved:
            raise WorkflowError(_("Việc này đã được đánh dấu xử lý xong."), code="already_resolved")
        locked.resolved = True
        locked._history_user = by
        locked._change_reason = "resolve"
        locked.save(update_fields=["resolved"])
    activity.resolved = True
    return activity


# Actions by name, for the admin and management commands.
ACTIONS = {
    "submit": initiative_submit,
    "approve": initiative_approve,
    "return": initiative_return,
    "complete": initiative_complete,
    "discontinue": initiative_discontinue,
    "resume": initiative_resume,
}
