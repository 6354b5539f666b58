"""The one transition core every stateful entity uses (initiatives, rounds, recognitions,
commendations).

An entity's workflow module declares one table of ``Step`` per entity and calls ``move``;
``move`` does the rest the same way for all of them:

- checks the permission of ``by`` and, when the step asks for one, the reason;
- in one transaction, locks the row (``select_for_update``) so that two people acting at
  once cannot both move it, and checks the starting state against the step;
- lets the caller set the step's own fields on the locked row (``prepare``);
- saves with ``update_fields``, sets the django-simple-history user and reason
  (``stamp_history``), writes the entity's ``…Transition`` row (who, when, from, to, why);
- tells the public-page cache that pages changed (on commit).

It lives in ``registry``, the lowest app, so that every app above it uses the same core.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from wardmodels.pagecache import public_pages_changed_on_commit

M = TypeVar("M", bound=models.Model)


class WorkflowError(Exception):
    """A change that may not happen; the message is shown to the user as it is."""

    def __init__(self, message, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Step:
    """One allowed transition: from any of ``sources`` to ``target``, for holders of
    ``permission``; ``reason_required`` makes an empty reason a ``WorkflowError``."""

    sources: tuple[str, ...]
    target: str
    permission: str
    reason_required: bool = False


def check_permission(by: AbstractBaseUser | None, permission: str) -> None:
    """Raise a WorkflowError unless ``by`` is an active user holding ``permission``."""
    if by is None or not by.is_active or not by.has_perm(permission):
        raise WorkflowError(_("Bạn không có quyền thực hiện thao tác này."), code="permission")


def allowed_actions(table: Mapping[str, Step], obj, user: AbstractBaseUser) -> list[str]:
    """The steps of ``table`` that ``user`` may apply to ``obj`` now (for buttons, menus)."""
    return [
        action
        for action, step in table.items()
        if obj.status in step.sources and user.has_perm(step.permission)
    ]


def clean_reason(reason: str | None, *, required: bool) -> str:
    """The reason stripped; a ``WorkflowError`` when it is required and empty."""
    reason = (reason or "").strip()
    if required and not reason:
        raise WorkflowError(_("Cần ghi rõ lý do."), code="reason_required")
    return reason


def stamp_history(obj: models.Model, by, reason: str = "") -> None:
    """Name who makes the next save of ``obj``, and why, in its django-simple-history row.

    Every write of a tracked entity outside a request (commands, tests) and every write that
    should carry a reason goes through here, so that the history never shows an unknown user.
    """
    obj._history_user = by
    if reason:
        obj._change_reason = reason


def wrong_state(obj: models.Model) -> WorkflowError:
    """The error for a row found in a state the step does not start from."""
    return WorkflowError(
        _(
            "Không thể thực hiện: %(what)s đang ở trạng thái “%(status)s” "
            "(có thể người khác vừa xử lý)."
        )
        % {"what": obj._meta.verbose_name, "status": obj.get_status_display()},
        code="wrong_state",
    )


def refresh_from_locked(instance: models.Model, locked: models.Model, fields: Iterable[str]):
    """Copy ``fields`` from the locked, saved row onto the caller's copy."""
    for name in fields:
        setattr(instance, name, getattr(locked, name))


def edit(
    *,
    instance: M,
    by,
    permission: str,
    changes: Mapping[str, object],
    editable_fields: Iterable[str],
    refuse: Callable[[M], WorkflowError | None],
    validate: Callable[[M], None] | None = None,
    reason: str = "",
) -> M:
    """Change some fields of a stateful row while its state allows it (a draft, a proposal).

    Only ``editable_fields`` may change (anything else is a programming error: ``TypeError``).
    In one transaction the row is locked, so that an edit and a transition cannot interleave;
    ``refuse(locked)`` returns the ``WorkflowError`` for a row that may no longer be edited;
    ``validate(locked)`` checks the changed row (and may normalise it). Saved with
    ``update_fields``; the history row names ``by``. The caller's copy is refreshed.
    """
    unknown = set(changes) - set(editable_fields)
    if unknown:
        raise TypeError(
            f"{type(instance).__name__}: fields that may not be edited {sorted(unknown)}"
        )
    check_permission(by, permission)
    with transaction.atomic():
        locked = type(instance).objects.select_for_update().get(pk=instance.pk)
        error = refuse(locked)
        if error is not None:
            raise error
        for name, value in changes.items():
            setattr(locked, name, value)
        if validate is not None:
            validate(locked)
        stamp_history(locked, by, reason)
        locked.save(update_fields=list(changes))
        public_pages_changed_on_commit()  # infrastructure: the public-page cache
    refresh_from_locked(instance, locked, changes)
    return instance


def move(
    *,
    instance: M,
    step: Step,
    action: str,
    by,
    history: type[models.Model],
    reason: str = "",
    prepare: Callable[[M], Iterable[str]] | None = None,
    wrong_state_error: Callable[[M], WorkflowError] = wrong_state,
) -> M:
    """Apply ``step`` to ``instance`` on behalf of ``by`` and record it.

    ``prepare(locked)`` sets the step's own fields on the locked row and returns their
    names; it may raise ``WorkflowError``. The history row is a ``history`` (a
    ``registry.models.TransitionRecord``) pointing at the entity through its ``SUBJECT``
    field; the simple-history row carries ``reason`` or else ``action``.
    A database constraint refusing the save becomes a ``WorkflowError`` (``conflict``).
    The caller's copy is refreshed with the saved fields and returned.
    """
    check_permission(by, step.permission)
    reason = clean_reason(reason, required=step.reason_required)
    model = type(instance)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        if locked.status not in step.sources:
            raise wrong_state_error(locked)
        fields = ["status", *(prepare(locked) if prepare else [])]
        from_status = locked.status
        locked.status = step.target
        stamp_history(locked, by, reason or action)
        try:
            with transaction.atomic():
                locked.save(update_fields=fields)
        except IntegrityError:
            raise WorkflowError(
                _(
                    "Không thể lưu: điều này trái với một ràng buộc của dữ liệu (đã có quyết định "
                    "tương tự)."
                ),
                code="conflict",
            ) from None
        history.objects.create(
            **{history.SUBJECT: locked},
            from_status=from_status,
            to_status=step.target,
            by=by,
            reason=reason,
        )
        public_pages_changed_on_commit()  # infrastructure: the public-page cache
    refresh_from_locked(instance, locked, fields)
    return instance
