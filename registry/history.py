"""A readable history of one initiative: status changes plus field-level edits.

Sources: ``InitiativeTransition`` (who moved it from which status to which, and why) and the
django-simple-history rows of the initiative and of its indicators, commitments, photos and
oversight activities, each diffed against the previous row of the same object
(``history.diff_against``). Bounded: the latest ``HISTORY_LIMIT`` rows of each source, in a
fixed number of queries whatever the size of the history.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext_lazy as _

from .formatting import number
from .forms import InitiativeForm
from .models import (
    AdminUnit,
    Commitment,
    Field,
    Indicator,
    Initiative,
    InitiativeTransition,
    Organization,
    OversightActivity,
    Photo,
)

HISTORY_LIMIT = 200

# Status changes are shown from InitiativeTransition (with the reason); bookkeeping columns
# say nothing a reader needs.
_INITIATIVE_FIELDS = [
    name
    for name in InitiativeForm.Meta.fields
    if name not in {"partner_organizations", "residential_areas", "legal_basis"}
] + ["published"]

# model → (fields diffed, how to name one object)
_CHILDREN = [
    (Indicator, ["label", "unit", "target", "actual", "order"], _("Chỉ tiêu")),
    (Commitment, ["text", "order"], _("Cam kết")),
    (
        Photo,
        [
            "image",
            "alt_text",
            "caption",
            "credit",
            "taken_on",
            "order",
            "shows_identifiable_people",
            "people_consented",
        ],
        _("Ảnh"),
    ),
    (
        OversightActivity,
        ["kind", "happened_on", "note", "follow_up_due", "resolved"],
        _("Kiểm tra, đôn đốc"),
    ),
]

_ACTIONS = {
    "+": _("Tạo mới"),
    "~": _("Sửa"),
    "-": _("Xoá"),
}
_REASONS = {
    "publish": _("Công khai"),
    "unpublish": _("Ẩn khỏi trang công khai"),
    "resolve": _("Đánh dấu đã xử lý xong"),
}
_FOREIGN_KEYS = {
    "field": Field,
    "lead_organization": Organization,
    "admin_unit": AdminUnit,
    "replicated_from": Initiative,
}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: AbstractBaseUser | None
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    is_transition: bool = False


def _display(model, name: str, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Có") if value else _("Không"))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return number(value)
    if name in _FOREIGN_KEYS:
        return names.get((name, value), f"#{value}")
    if name == "image":
        return str(_("tệp ảnh %(name)s") % {"name": str(value).rsplit("/", 1)[-1]})
    return truncatechars(str(value), 300)


def _changed_values(newer, older, model, fields) -> list[tuple]:
    """(field, old, new) for every field that differs; ``diff_against`` covers the editable
    fields, the few non-editable ones shown (``published``) are compared directly."""
    editable = [f for f in fields if model._meta.get_field(f).editable]
    changed = [
        (c.field, c.old, c.new) for c in newer.diff_against(older, included_fields=editable).changes
    ]
    for name in fields:
        if name not in editable and getattr(newer, name) != getattr(older, name):
            changed.append((name, getattr(older, name), getattr(newer, name)))
    return changed


def _diff_rows(records, model, fields, subject_of, names) -> list[HistoryEntry]:
    """Entries for history ``records`` (newest first, possibly several objects mixed)."""
    entries = []
    by_object: dict = {}
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    for rows in by_object.values():
        # rows are newest first; each is compared with the one before it in time
        for newer, older in zip(rows, [*rows[1:], None], strict=True):
            changes = []
            if newer.history_type == "~" and older is not None:
                changed = _changed_values(newer, older, model, fields)
                changes = [
                    Change(
                        label=str(model._meta.get_field(name).verbose_name).capitalize(),
                        old=_display(model, name, old, names),
                        new=_display(model, name, new, names),
                    )
                    for name, old, new in sorted(changed, key=lambda c: fields.index(c[0]))
                ]
                if not changes:
                    continue  # e.g. a status change: shown from InitiativeTransition
            elif newer.history_type == "~" and older is None:
                continue  # its predecessor is beyond the bound: nothing to compare
            reason = newer.history_change_reason or ""
            entries.append(
                HistoryEntry(
                    at=newer.history_date,
                    user=newer.history_user,
                    subject=subject_of(newer),
                    action=str(_REASONS.get(reason) or _ACTIONS[newer.history_type]),
                )
            )
            entries[-1].changes = changes
    return entries


def _latest(history_queryset):
    # One row more than shown so that the oldest shown row has its predecessor.
    return list(
        history_queryset.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_LIMIT + 1
        ]
    )


def _foreign_key_names(records) -> dict:
    wanted: dict[str, set] = {}
    for record in records:
        for name in _FOREIGN_KEYS:
            value = getattr(record, f"{name}_id")
            if value is not None:
                wanted.setdefault(name, set()).add(value)
    names = {}
    for name, ids in wanted.items():
        for pk, obj in _FOREIGN_KEYS[name].objects.in_bulk(ids).items():
            names[(name, pk)] = str(obj)
    return names


def initiative_history(initiative: Initiative) -> list[HistoryEntry]:
    """Every recorded change of ``initiative`` and its parts, newest first (bounded)."""
    entries = [
        HistoryEntry(
            at=t.at,
            user=t.by,
            subject=str(_("Trạng thái")),
            action=str(_("Chuyển trạng thái")),
            changes=[
                Change(
                    label=str(_("Trạng thái")),
                    old=t.get_from_status_display(),
                    new=t.get_to_status_display(),
                )
            ],
            reason=t.reason,
            is_transition=True,
        )
        for t in InitiativeTransition.objects.filter(initiative=initiative).select_related("by")[
            :HISTORY_LIMIT
        ]
    ]
    own = _latest(Initiative.history.filter(id=initiative.pk))
    entries += _diff_rows(
        own,
        Initiative,
        _INITIATIVE_FIELDS,
        lambda r: str(_("Thông tin mô hình")),
        _foreign_key_names(own),
    )
    for model, fields, noun in _CHILDREN:
        rows = _latest(model.history.filter(initiative_id=initiative.pk))
        entries += _diff_rows(
            rows, model, fields, lambda r, noun=noun: f"{noun} “{r.instance}”", {}
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
