"""The public changes, newest first, for the Atom feed ``/du-lieu-mo/feed.atom``.

One function per kind of event, each reading at most ``limit`` rows of its own table (one
query), so the feed costs the same whatever the size of the register. Every event has an id
made of the object's primary key and the event (a status change: its history row's key),
never of a title or a date, so a reader sees each change once, even after an edit.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from campaigns.models import Recognition
from participation.models import WARD_SUBJECT
from participation.queries import published_answers
from registry.choices import PUBLIC_STATUSES, InitiativeStatus, MilestoneStatus
from registry.models import Initiative, InitiativeTransition, Milestone

FEED_LIMIT = 50
_STATUS_LABELS = dict(InitiativeStatus.choices)


@dataclass(frozen=True)
class Event:
    key: str  # the stable part of the entry id, e.g. "initiative/42/published"
    at: dt.datetime
    title: str
    path: str
    summary: str


def _model_url(slug: str) -> str:
    return reverse("public:initiative-detail", kwargs={"slug": slug})


def models_published(limit: int) -> list[Event]:
    rows = (
        Initiative.objects.public()
        .order_by("-first_published_at", "-pk")
        .values_list("pk", "code", "title", "slug", "first_published_at")[:limit]
    )
    return [
        Event(
            key=f"initiative/{pk}/published",
            at=at,
            title=_("Công khai mô hình: %(title)s") % {"title": title},
            path=_model_url(slug),
            summary=_("Mô hình %(code)s “%(title)s” được công khai.")
            % {"code": code, "title": title},
        )
        for pk, code, title, slug, at in rows
    ]


def statuses_changed(limit: int) -> list[Event]:
    """Changes into a public status (approval, completion, stop, resumption) of public models;
    the reason given is an internal note and stays out of the feed."""
    rows = (
        InitiativeTransition.objects.filter(
            initiative__in=Initiative.objects.public(), to_status__in=PUBLIC_STATUSES
        )
        .order_by("-at", "-pk")
        .values_list(
            "pk", "initiative_id", "initiative__title", "initiative__slug", "to_status", "at"
        )[:limit]
    )
    return [
        Event(
            key=f"initiative/{initiative_pk}/status/{status}/{pk}",
            at=at,
            title=_("%(title)s: %(status)s")
            % {"title": title, "status": _STATUS_LABELS.get(status, status)},
            path=_model_url(slug),
            summary=_("Mô hình “%(title)s” chuyển sang trạng thái “%(status)s”.")
            % {"title": title, "status": _STATUS_LABELS.get(status, status)},
        )
        for pk, initiative_pk, title, slug, status, at in rows
    ]


def recognitions_published(limit: int) -> list[Event]:
    rows = (
        Recognition.objects.public()
        .filter(initiative__in=Initiative.objects.public())
        .order_by("-published_at", "-pk")
        .values_list(
            "pk", "initiative__title", "initiative__slug", "decision_number", "published_at"
        )[:limit]
    )
    return [
        Event(
            key=f"recognition/{pk}/published",
            at=at,
            title=_("Công nhận mô hình: %(title)s") % {"title": title},
            path=_model_url(slug),
            summary=(
                _("Quyết định công nhận số %(number)s đã được công bố.") % {"number": number}
                if number
                else _("Quyết định công nhận đã được công bố.")
            ),
        )
        for pk, title, slug, number, at in rows
    ]


def _timeline_url(slug: str) -> str:
    return reverse("public:initiative-timeline", kwargs={"slug": slug})


def _timeline_milestones():
    return Milestone.objects.on_public_timeline().filter(initiative__in=Initiative.objects.public())


def milestones_published(limit: int) -> list[Event]:
    """Every milestone that reached the public timeline, withdrawn later or not: its
    publication happened, and a reader who saw it keeps the same entry."""
    rows = (
        _timeline_milestones()
        .order_by("-published_at", "-pk")
        .values_list("pk", "title", "initiative__title", "initiative__slug", "published_at")[:limit]
    )
    return [
        Event(
            key=f"milestone/{pk}/published",
            at=at,
            title=_("Mốc tiến độ của %(title)s: %(milestone)s")
            % {"title": title, "milestone": milestone},
            path=_timeline_url(slug),
            summary=_("Mốc tiến độ mới của mô hình “%(title)s”: %(milestone)s.")
            % {"title": title, "milestone": milestone},
        )
        for pk, milestone, title, slug, at in rows
    ]


def milestones_withdrawn(limit: int) -> list[Event]:
    """A published milestone withdrawn: the reason is public (the timeline shows it)."""
    rows = (
        _timeline_milestones()
        .filter(status=MilestoneStatus.WITHDRAWN, withdrawn_at__isnull=False)
        .order_by("-withdrawn_at", "-pk")
        .values_list(
            "pk",
            "title",
            "initiative__title",
            "initiative__slug",
            "withdrawn_reason",
            "withdrawn_at",
        )[:limit]
    )
    return [
        Event(
            key=f"milestone/{pk}/withdrawn",
            at=at,
            title=_("Rút lại mốc tiến độ: %(milestone)s") % {"milestone": milestone},
            path=_timeline_url(slug),
            summary=_("Mốc “%(milestone)s” của mô hình “%(title)s” được rút lại. Lý do: %(reason)s")
            % {"milestone": milestone, "title": title, "reason": reason},
        )
        for pk, milestone, title, slug, reason, at in rows
    ]


def feedback_answered(limit: int) -> list[Event]:
    """Residents' feedback whose answer is public: at the later of the answer and the
    publication (the moment residents could read it)."""
    rows = published_answers().values_list(
        "pk", "code", "initiative__title", "initiative__slug", "answer__pk", "answered_at",
        "published_at",
    )[:limit]  # fmt: skip
    return [
        Event(
            key=f"feedback/{pk}/answered/{answer_pk}",
            at=max(m for m in (answered_at, published_at) if m is not None),
            title=_("Trả lời góp ý %(code)s: %(title)s")
            % {"code": code, "title": title or WARD_SUBJECT},
            # Feedback on the ward in general (no model): the list, at the item.
            path=reverse("public:feedback-list") + (f"?model={slug}" if slug else f"#{code}"),
            summary=(
                _("Phường đã trả lời góp ý %(code)s về mô hình “%(title)s”.")
                if slug
                else _("Phường đã trả lời góp ý chung %(code)s.")
            )
            % {"code": code, "title": title},
        )
        for pk, code, title, slug, answer_pk, answered_at, published_at in rows
    ]


class TextAtomFeed(Atom1Feed):
    """Django's Atom feed with each entry's summary written as text (``type="text"``).

    Django writes summaries as ``type="html"``, so a reader would render a model's title such
    as ``<img src=x onerror=…>`` as live markup. Summaries here are made of data (titles,
    decision numbers, reasons), never of HTML: as text, a reader shows them as characters.
    Titles already are text (Atom's default type)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


# Every kind of public change the feed lists.
EVENT_SOURCES: list[Callable[[int], list[Event]]] = [
    models_published,
    statuses_changed,
    recognitions_published,
    milestones_published,
    milestones_withdrawn,
    feedback_answered,
]


def public_events(limit: int = FEED_LIMIT) -> list[Event]:
    """The ``limit`` latest public changes of every kind, newest first."""
    events = [event for source in EVENT_SOURCES for event in source(limit)]
    events.sort(key=lambda e: (e.at, e.key), reverse=True)
    return events[:limit]
