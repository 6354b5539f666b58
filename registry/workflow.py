"""Every write of an initiative happens here: its status, its publication, its content and
its results, and its oversight log and progress timeline.

One keyword-only function per transition; views, admin actions and management commands all
call these. Each status change goes through ``registry.transitions.move``: the permission of
``by`` and the starting state are checked against ``TRANSITIONS``, the row is locked, saved
with ``update_fields``, and an ``InitiativeTransition`` (who, when, from, to, why) is written
with a django-simple-history row carrying the reason.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wardmodels.pagecache import public_pages_changed_on_commit

from . import transitions
from .choices import InitiativeStatus as S
from .choices import MilestoneStatus as MS
from .images import ProcessedImage
from .models import (
    Initiative,
    InitiativeTransition,
    Milestone,
    MilestonePhoto,
    MilestoneTransition,
    OversightActivity,
    ResidentialArea,
)
from .progress import current_progress
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
    """Move ``initiative`` by step ``action``; the timeline gets a draft milestone saying so
    (in the same transaction: both happen or neither)."""
    before: dict[str, object] = {}

    def prepare(locked: Initiative) -> list[str]:
        before["status"], before["progress"] = locked.status, locked.progress
        locked.updated_by = by
        return ["updated_by", "updated_at"]

    with transaction.atomic():
        transitions.move(
            instance=initiative,
            step=TRANSITIONS[action],
            action=action,
            by=by,
            reason=reason,
            history=InitiativeTransition,
            prepare=prepare,
            wrong_state_error=_wrong_state,
        )
        with override(settings.LANGUAGE_CODE):
            title = str(
                _("Chuyển trạng thái: “%(before)s” → “%(after)s”")
                % {
                    "before": S(before["status"]).label,
                    "after": S(initiative.status).label,
                }
            )
        _auto_draft(
            initiative=initiative,
            by=by,
            title=title,
            body=reason.strip(),
            status_before=before["status"],
            status_after=initiative.status,
            progress_before=before["progress"],
            progress_after=before["progress"],
        )
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


ADD_INITIATIVE_PERMISSION = "registry.add_initiative"
CHANGE_INITIATIVE_PERMISSION = "registry.change_initiative"


def initiative_save(
    *, initiative: Initiative, by, save_related: Callable[[Initiative], None] | None = None
) -> Initiative:
    """Create a model, or save what an official changed in its content (never its status or
    its publication: the steps above do those), all or nothing.

    Who created it and who changed it last are set here, and django-simple-history keeps the
    old values with ``by``; then ``save_related(saved)`` writes what belongs to it (areas,
    commitments, photos: a form's many-to-many and formsets). Indicator results and the
    progress figure go through ``initiative_results_update``, which drafts a milestone.
    The permission to add or to change a model is checked here (as the fetch-and-authorise
    helpers of ``registry.permissions`` check it before a form is even shown).
    """
    adding = initiative.pk is None
    check_permission(by, ADD_INITIATIVE_PERMISSION if adding else CHANGE_INITIATIVE_PERMISSION)
    with transaction.atomic():
        if adding:
            initiative.created_by = by
        initiative.updated_by = by
        stamp_history(initiative, by)
        initiative.save()
        if save_related is not None:
            save_related(initiative)
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


ADD_AREA_PERMISSION = "registry.add_residentialarea"
CHANGE_AREA_PERMISSION = "registry.change_residentialarea"


def residential_area_save(*, area: ResidentialArea, by) -> ResidentialArea:
    """Add a residential area (khu phố, tổ dân phố, cụm dân cư) or save a changed one.

    The public filters list the areas, so the public pages' cache is dropped once it commits.
    """
    check_permission(by, ADD_AREA_PERMISSION if area.pk is None else CHANGE_AREA_PERMISSION)
    with transaction.atomic():
        area.save()
        public_pages_changed_on_commit()  # infrastructure: the public-page cache
    return area


# ---------------------------------------------------------------------------------------------
# Progress and the timeline (tiến độ). The progress figure of a model changes only through
# ``initiative_results_update`` (indicator results, the entered figure); a status change or a
# new result drafts a milestone there and in ``_apply``, nowhere else. Milestones are drafted,
# edited while drafts, published, corrected by a superseding milestone, withdrawn with a reason.

RECORD_RESULTS_PERMISSION = "registry.change_indicator"
DRAFT_MILESTONE_PERMISSION = "registry.add_milestone"
EDIT_MILESTONE_PERMISSION = "registry.change_milestone"
PUBLISH_MILESTONE_PERMISSION = "registry.publish_milestone"
ADD_MILESTONE_PHOTO_PERMISSION = "registry.add_milestonephoto"

MILESTONE_TRANSITIONS: dict[str, Step] = {
    "publish": Step((MS.DRAFT,), MS.PUBLISHED, PUBLISH_MILESTONE_PERMISSION),
    # A draft nobody wants (an automatic one, say) is withdrawn too: nothing is deleted.
    "withdraw": Step(
        (MS.DRAFT, MS.PUBLISHED), MS.WITHDRAWN, PUBLISH_MILESTONE_PERMISSION, reason_required=True
    ),
}

# What an official writes in a milestone; the rest is set by the workflow.
MILESTONE_FIELDS = (
    "title",
    "body",
    "occurred_on",
    "planned_on",
    "progress_before",
    "progress_after",
    "progress_reason",
    "status_before",
    "status_after",
)
# Related rows are checked by the workflow itself, not by full_clean's lookups.
_CLEAN_EXCLUDE = ["initiative", "supersedes", "created_by", "published_by"]

KEEP = object()  # "leave the entered progress as it is"


def _validate_milestone(milestone: Milestone) -> None:
    """Field limits, dates (not in the future) and the reason for a lower progress:
    ``ValidationError`` by field, as a form shows it."""
    milestone.full_clean(exclude=_CLEAN_EXCLUDE, validate_constraints=False)


def _auto_draft(*, initiative: Initiative, by, title: str, body: str = "", **fields) -> Milestone:
    """A draft milestone written by the workflow itself (no permission of its own: the change
    that causes it was checked)."""
    before, after = fields.get("progress_before"), fields.get("progress_after")
    if before is not None and after is not None and after < before:
        fields.setdefault("progress_reason", body)
    milestone = Milestone(
        initiative=initiative,
        title=title[: Milestone._meta.get_field("title").max_length],
        body=body,
        occurred_on=timezone.localdate(),
        automatic=True,
        created_by=by,
        **fields,
    )
    stamp_history(milestone, by, "automatic")
    milestone.save()
    return milestone


def _number(value) -> str:
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def initiative_results_update(
    *,
    initiative: Initiative,
    by,
    save_indicators: Callable[[Initiative], None] | None = None,
    progress_entered=KEEP,
    reason: str = "",
) -> Initiative:
    """Record new indicator results and/or the entered progress, and keep the figure true.

    ``save_indicators(locked)`` writes the indicator rows (the workspace's formset); then the
    public figure is recomputed (``registry.progress``): the entered one, else the weighted
    indicators. A lower figure than before needs ``reason`` (``WorkflowError``
    ``reason_required``, and nothing is written: the indicators are rolled back too). When the
    figure moved, a draft milestone says what changed (label: old → new); results that leave
    it where it was draft nothing (an empty figure and 0 % count as the same).
    One transaction, the initiative's row locked.
    """
    check_permission(by, CHANGE_INITIATIVE_PERMISSION)
    if save_indicators is not None:
        check_permission(by, RECORD_RESULTS_PERMISSION)
    entered = None if progress_entered is KEEP else progress_entered
    if entered is not None and not 0 <= entered <= 100:
        raise WorkflowError(_("Tiến độ phải từ 0 đến 100%."), code="progress_range")
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _locked(initiative)
        progress_before = locked.progress
        before = {
            pk: (label, unit, actual)
            for pk, label, unit, actual in locked.indicators.values_list(
                "pk", "label", "unit", "actual"
            )
        }
        if save_indicators is not None:
            save_indicators(locked)
        rows = list(
            locked.indicators.values_list("pk", "label", "unit", "target", "actual", "weight")
        )
        entered_before = locked.progress_entered
        if progress_entered is not KEEP:
            locked.progress_entered = progress_entered
        progress_after = current_progress(
            locked.progress_entered, [(t, a, w) for _pk, _l, _u, t, a, w in rows]
        )
        changes = []
        for pk, label, unit, _target, actual, _weight in rows:
            old = before.pop(pk, None)
            old_actual = old[2] if old else None
            if old_actual != actual and not (old is None and actual is None):
                changes.append((label, unit, old_actual, actual))
        for label, unit, actual in before.values():  # rows deleted
            if actual is not None:
                changes.append((label, unit, actual, None))
        lowered = (
            progress_before is not None
            and progress_after is not None
            and progress_after < progress_before
        )
        if lowered and not reason:
            raise WorkflowError(
                _("Tiến độ giảm từ %(before)s%% xuống %(after)s%%: cần ghi rõ lý do.")
                % {"before": progress_before, "after": progress_after},
                code="reason_required",
            )
        progress_changed = progress_after != progress_before
        if progress_changed or locked.progress_entered != entered_before:
            locked.progress = progress_after
            locked.updated_by = by
            stamp_history(locked, by, reason or "progress")
            locked.save(update_fields=["progress", "progress_entered", "updated_by", "updated_at"])
        # A timeline entry only when the figure moved: a result that leaves it where it was
        # (one pot of 310, an empty figure becoming 0 %) is nothing residents need to read.
        progress_moved = progress_changed and {progress_before, progress_after} != {None, 0}
        if progress_moved:
            with override(settings.LANGUAGE_CODE):
                title = _("Cập nhật tiến độ: %(before)s → %(after)s") % {
                    "before": "—" if progress_before is None else f"{progress_before}%",
                    "after": "—" if progress_after is None else f"{progress_after}%",
                }
                lines = [
                    f"{label}: {_number(old)} → {_number(new)}{f' {unit}' if unit else ''}"
                    for label, unit, old, new in changes
                ]
                if reason:
                    lines.append(str(_("Lý do: %(reason)s") % {"reason": reason}))
            _auto_draft(
                initiative=locked,
                by=by,
                title=str(title),
                body="\n".join(lines),
                progress_before=progress_before,
                progress_after=progress_after,
                progress_reason=reason if lowered else "",
            )
        public_pages_changed_on_commit()  # infrastructure: the public-page cache
    refresh_from_locked(
        initiative, locked, ["progress", "progress_entered", "updated_by", "updated_at"]
    )
    return initiative


def _refresh_last_update(initiative_id: int) -> None:
    """``Initiative.progress_updated_on``: the day of the newest published milestone.

    A derived column (the public list filters and sorts by it): written with ``update()``
    so that it changes neither ``updated_at`` nor the model's edit history.
    """
    last = Milestone.objects.filter(initiative_id=initiative_id, status=MS.PUBLISHED).aggregate(
        last=Max("occurred_on")
    )["last"]
    Initiative.objects.filter(pk=initiative_id).update(progress_updated_on=last)


def _milestone_wrong_state(milestone: Milestone) -> WorkflowError:
    return WorkflowError(
        _("Không thể thực hiện: mốc tiến độ đang ở tình trạng “%(status)s”.")
        % {"status": milestone.get_status_display()},
        code="wrong_state",
    )


def _not_a_draft(milestone: Milestone) -> WorkflowError | None:
    if milestone.is_draft:
        return None
    return WorkflowError(
        _("Mốc tiến độ đã công bố hoặc đã rút lại thì không sửa được; hãy lập một mốc đính chính."),
        code="not_a_draft",
    )


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(MILESTONE_FIELDS)
    if unknown:
        raise TypeError(f"Milestone: fields that may not be written {sorted(unknown)}")


def milestone_draft(*, initiative: Initiative, by, **fields) -> Milestone:
    """A new draft milestone of ``initiative``; ``fields`` are ``MILESTONE_FIELDS``.

    The progress before defaults to the model's current figure. Bad values raise
    ``ValidationError`` by field (a date in the future, a lower progress without a reason).
    """
    check_permission(by, DRAFT_MILESTONE_PERMISSION)
    _check_fields(fields)
    fields.setdefault("progress_before", initiative.progress)
    milestone = Milestone(initiative=initiative, created_by=by, **fields)
    _validate_milestone(milestone)
    stamp_history(milestone, by)
    milestone.save()
    return milestone


def milestone_update(*, milestone: Milestone, by, **changes) -> Milestone:
    """Edit a draft; a published or withdrawn milestone is refused (``not_a_draft``)."""
    _check_fields(changes)
    return transitions.edit(
        instance=milestone,
        by=by,
        permission=EDIT_MILESTONE_PERMISSION,
        changes=changes,
        editable_fields=MILESTONE_FIELDS,
        refuse=_not_a_draft,
        validate=_validate_milestone,
    )


def milestone_supersede(*, milestone: Milestone, by, **fields) -> Milestone:
    """A draft correction of a published ``milestone``: the old one stays as it is, and
    once the correction is published the public page marks it as corrected.

    ``fields`` override the old milestone's own (copied otherwise). Refused unless the old
    one is published and not already corrected by a published milestone.
    """
    check_permission(by, DRAFT_MILESTONE_PERMISSION)
    _check_fields(fields)
    with transaction.atomic():
        old = Milestone.objects.select_for_update().get(pk=milestone.pk)
        if old.status != MS.PUBLISHED:
            raise _milestone_wrong_state(old)
        if old.corrections.filter(status=MS.PUBLISHED).exists():
            raise WorkflowError(
                _("Mốc này đã được đính chính; hãy đính chính mốc đính chính mới nhất."),
                code="already_superseded",
            )
        values = {name: getattr(old, name) for name in MILESTONE_FIELDS} | fields
        correction = Milestone(
            initiative_id=old.initiative_id, supersedes=old, created_by=by, **values
        )
        _validate_milestone(correction)
        stamp_history(correction, by, "supersede")
        correction.save()
    return correction


def _milestone_move(action: str, *, milestone: Milestone, by, reason: str = "", prepare):
    with transaction.atomic():
        transitions.move(
            instance=milestone,
            step=MILESTONE_TRANSITIONS[action],
            action=action,
            by=by,
            reason=reason,
            history=MilestoneTransition,
            prepare=prepare,
            wrong_state_error=_milestone_wrong_state,
        )
        _refresh_last_update(milestone.initiative_id)
    return milestone


def milestone_publish(*, milestone: Milestone, by, changes: dict | None = None) -> Milestone:
    """draft → published: residents see it on the model's timeline; never edited again.

    ``changes`` are edits of the draft typed together with the publication (the edit form's
    publish button): saved first through ``milestone_update`` (its permission and checks), in
    the same transaction, so that the published text is the one on the screen and a refused
    publication leaves the draft as it was. A correction may be published only while the
    milestone it corrects is still published (and only one correction of it: a database
    constraint). The model's date of last update becomes the newest published milestone's day.
    """
    if changes:
        check_permission(by, PUBLISH_MILESTONE_PERMISSION)
        with transaction.atomic():
            milestone_update(milestone=milestone, by=by, **changes)
            return milestone_publish(milestone=milestone, by=by)

    def prepare(locked: Milestone) -> list[str]:
        if locked.supersedes_id is not None:
            old = Milestone.objects.select_for_update().get(pk=locked.supersedes_id)
            if old.status != MS.PUBLISHED:
                raise WorkflowError(
                    _("Mốc được đính chính không còn ở tình trạng đã công bố."),
                    code="superseded_not_published",
                )
        if locked.occurred_on > timezone.localdate():
            raise WorkflowError(
                _("Ngày diễn ra của mốc sau hôm nay: hãy sửa lại trước khi công bố."),
                code="occurred_in_future",
            )
        locked.published_at = timezone.now()
        locked.published_by = by
        return ["published_at", "published_by", "updated_at"]

    return _milestone_move("publish", milestone=milestone, by=by, prepare=prepare)


def milestone_withdraw(*, milestone: Milestone, by, reason: str) -> Milestone:
    """draft or published → withdrawn, with a reason. A withdrawn published milestone keeps
    a public line (title, day, reason); a withdrawn draft was never public."""

    def prepare(locked: Milestone) -> list[str]:
        locked.withdrawn_reason = reason.strip()
        locked.withdrawn_at = timezone.now()
        return ["withdrawn_reason", "withdrawn_at", "updated_at"]

    return _milestone_move("withdraw", milestone=milestone, by=by, reason=reason, prepare=prepare)


def milestone_photo_add(
    *,
    milestone: Milestone,
    by,
    image: ProcessedImage,
    alt_text: str,
    role: str,
    caption: str = "",
    order: int = 0,
    shows_identifiable_people: bool = False,
    people_consented: bool = False,
) -> MilestonePhoto:
    """Add a photo to a draft milestone. ``image`` comes from ``registry.images.process_photo``
    (re-encoded, metadata stripped, a thumbnail made): nothing else is accepted. The alt text
    is required."""
    check_permission(by, ADD_MILESTONE_PHOTO_PERMISSION)
    if not isinstance(image, ProcessedImage):
        raise TypeError("milestone_photo_add takes an image cleaned by process_photo")
    if not (alt_text or "").strip():
        raise ValidationError(
            {"alt_text": _("Cần mô tả ảnh cho người khiếm thị.")}, code="alt_text_required"
        )
    with transaction.atomic():
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        error = _not_a_draft(locked)
        if error is not None:
            raise error
        photo = MilestonePhoto(
            milestone=locked,
            role=role,
            image=image.image,
            thumbnail=image.thumbnail,
            alt_text=alt_text.strip(),
            caption=caption,
            order=order,
            shows_identifiable_people=shows_identifiable_people,
            people_consented=people_consented,
        )
        photo.full_clean(exclude=["milestone", "image", "thumbnail"])
        stamp_history(photo, by)
        photo.save()
    return photo


def milestone_discard_drafts(*, initiative: Initiative, milestone_ids, by, reason: str) -> int:
    """Withdraw several drafts of ``initiative`` with one reason, all or none.

    Each goes through ``milestone_withdraw`` (permission, state, lock, history); rows of
    another model or no longer drafts are left out. Returns how many were withdrawn.
    """
    check_permission(by, PUBLISH_MILESTONE_PERMISSION)
    transitions.clean_reason(reason, required=True)
    drafts = Milestone.objects.filter(
        initiative=initiative, status=MS.DRAFT, pk__in=milestone_ids
    ).order_by("pk")
    with transaction.atomic():
        count = 0
        for draft in drafts:
            milestone_withdraw(milestone=draft, by=by, reason=reason)
            count += 1
    return count


# Milestone actions by name, for the admin.
MILESTONE_ACTIONS = {"publish": milestone_publish, "withdraw": milestone_withdraw}


# Actions by name, for the admin and management commands.
ACTIONS = {
    "submit": initiative_submit,
    "approve": initiative_approve,
    "return": initiative_return,
    "complete": initiative_complete,
    "discontinue": initiative_discontinue,
    "resume": initiative_resume,
}
