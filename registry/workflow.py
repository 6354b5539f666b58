"""Every change of an initiative's status, and its publication, happens here.

One keyword-only function per transition; views, admin actions and management commands all
call these. Each status change goes through ``registry.transitions.move``: the permission of
``by`` and the starting state are checked against ``TRANSITIONS``, the row is locked, saved
with ``update_fields``, and an ``InitiativeTransition`` (who, when, from, to, why) is written
with a django-simple-history row carrying the reason.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardmodels.pagecache import public_pages_changed_on_commit

from . import transitions
from .choices import InitiativeStatus as S
from .models import Initiative, InitiativeTransition, OversightActivity
from .short_links import initiative_short_code
from .transitions import (
    Step,
    WorkflowError,
    allowed_actions,
    check_permission,
    refresh_from_locked,
    stamp_history,
)

# Re-exported so that callers keep one import for the registry's workflow.
__all__ = ["WorkflowError", "allowed_actions", "check_permission"]

# The one table of what may happen to an initiative, and who may make it happen.
TRANSITIONS: dict[str, Step] = {
    "submit": Step((S.DRAFT,), S.REGISTERED, "registry.submit_initiative"),
    "approve": Step((S.REGISTERED,), S.IMPLEMENTING, "registry.approve_initiative"),
    "return": Step((S.REGISTERED,), S.DRAFT, "registry.approve_initiative", reason_required=True),
    "complete": Step((S.IMPLEMENTING,), S.COMPLETED, "registry.complete_initiative"),
    "discontinue": Step(
        (S.IMPLEMENTING,), S.DISCONTINUED, "registry.discontinue_initiative", reason_required=True
    ),
    "resume": Step((S.DISCONTINUED,), S.IMPLEMENTING, "registry.discontinue_initiative"),
}

PUBLISH_PERMISSION = "registry.publish_initiative"


def _wrong_state(initiative: Initiative) -> WorkflowError:
    return WorkflowError(
        _("Không thể thực hiện: mô hình đang ở trạng thái “%(status)s”.")
        % {"status": initiative.get_status_display()},
        code="wrong_state",
    )


def _locked(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _apply(action: str, *, initiative: Initiative, by, reason: str = "") -> Initiative:
    def prepare(locked: Initiative) -> list[str]:
        locked.updated_by = by
        return ["updated_by", "updated_at"]

    return transitions.move(
        instance=initiative,
        step=TRANSITIONS[action],
        action=action,
        by=by,
        reason=reason,
        history=InitiativeTransition,
        history_fk="initiative",
        prepare=prepare,
        wrong_state_error=_wrong_state,
    )


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
    ``InitiativeQuerySet.public``). The first publication freezes the slug for good and
    gives the model its short link (``registry.short_links``). Repeating it is a no-op.
    """
    check_permission(by, PUBLISH_PERMISSION)
    with transaction.atomic():
        locked = _locked(initiative)
        if locked.published == published:
            refresh_from_locked(initiative, locked, ["published", "first_published_at"])
            return initiative
        locked.published = published
        if published and locked.first_published_at is None:
            locked.first_published_at = timezone.now()
        locked.updated_by = by
        stamp_history(locked, by, "publish" if published else "unpublish")
        locked.save(update_fields=["published", "first_published_at", "updated_by", "updated_at"])
        if published:
            # From now on posters may be printed: the short link they carry exists already.
            initiative_short_code(locked)
        public_pages_changed_on_commit()  # infrastructure: the public-page cache
    refresh_from_locked(
        initiative,
        locked,
        ["published", "first_published_at", "updated_by", "updated_at", "short_code"],
    )
    return initiative


RECORD_OVERSIGHT_PERMISSION = "registry.add_oversightactivity"
RESOLVE_OVERSIGHT_PERMISSION = "registry.change_oversightactivity"


def oversight_record(*, initiative: Initiative, by, **fields) -> OversightActivity:
    """Log an inspection, urging or reminder of ``initiative``, made by ``by``.

    ``fields`` are the activity's own (kind, day, note, follow-up date); it starts
    unresolved, and ``oversight_resolve`` closes it.
    """
    check_permission(by, RECORD_OVERSIGHT_PERMISSION)
    activity = OversightActivity(**fields, initiative=initiative, by=by, resolved=False)
    stamp_history(activity, by)
    activity.save()
    return activity


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
        stamp_history(locked, by, "resolve")
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
