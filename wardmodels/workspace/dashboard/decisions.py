"""The dashboard's "Đảng ủy đã quyết định": what the party committee decided since the
official's previous visit to the dashboard (registrations approved or returned, models
stopped or resumed, recognitions and commendations decided).

A decision is a transition record whose step is one of the committee's (taken from the
workflows' own tables, so that a new step is counted without a change here), made by
someone else than the reader. Opening the dashboard moves the reader's mark
(``DashboardVisit``): the next visit shows only what came after this one.
"""

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from campaigns import permissions as campaign_permissions
from campaigns import workflow as campaign_workflow
from campaigns.models import CommendationTransition, RecognitionTransition
from registry import workflow as registry_workflow
from registry.models import InitiativeTransition

from ..models import DashboardVisit
from .base import SECTION_LIMIT, DashboardItem, DashboardSection

# The first visit shows the decisions of this many days.
FIRST_VISIT_DAYS = 30

INITIATIVE_DECISIONS = ("approve", "return", "discontinue", "resume")
RECOGNITION_DECISIONS = ("approve", "reject", "publish")
COMMENDATION_DECISIONS = ("decide", "reject", "revoke")


def record_visit(user) -> dt.datetime | None:
    """Mark now as ``user``'s last dashboard visit; the visit before (``None`` the first time)."""
    previous = DashboardVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()
    DashboardVisit.objects.update_or_create(user=user, defaults={"seen_at": timezone.now()})
    return previous


def _steps(table, actions) -> Q:
    """Rows recording one of ``actions`` of a workflow's table (from a source to the target)."""
    condition = Q(pk__in=[])
    for action in actions:
        step = table[action]
        condition |= Q(from_status__in=step.sources, to_status=step.target)
    return condition


def _rows(model, table, actions, *, since, reader, subject_fields):
    return list(
        model.objects.filter(_steps(table, actions), at__gt=since)
        .exclude(by=reader)
        .select_related("by", *subject_fields)
        .order_by("-at", "-id")[:SECTION_LIMIT]
    )


def _note(record) -> str:
    who = record.by.get_full_name() or record.by.get_username() if record.by else "—"
    note = f"{who}, {date_format(timezone.localtime(record.at), 'SHORT_DATETIME_FORMAT')}"
    return f"{note} · {record.reason}" if record.reason else note


def committee_decisions(request: HttpRequest) -> DashboardSection | None:
    """Decisions of the committee since the reader's previous visit, newest first."""
    user = request.user
    sees_models = user.has_perm("registry.view_initiative")
    sees_recognitions = user.has_perm(campaign_permissions.VIEW_RECOGNITION)
    sees_commendations = user.has_perm(campaign_permissions.VIEW_COMMENDATION)
    if not (sees_models or sees_recognitions or sees_commendations):
        return None
    previous = record_visit(user)
    since = previous or timezone.now() - dt.timedelta(days=FIRST_VISIT_DAYS)
    found: list[tuple[dt.datetime, DashboardItem]] = []
    if sees_models:
        for record in _rows(
            InitiativeTransition,
            registry_workflow.TRANSITIONS,
            INITIATIVE_DECISIONS,
            since=since,
            reader=user,
            subject_fields=["initiative"],
        ):
            found.append(
                (
                    record.at,
                    DashboardItem(
                        title=f"{record.initiative.title}: {record.from_label()} → "
                        f"{record.to_label()}",
                        url=reverse("workspace:initiative-detail", args=[record.initiative_id]),
                        note=_note(record),
                    ),
                )
            )
    if sees_recognitions:
        for record in _rows(
            RecognitionTransition,
            campaign_workflow.RECOGNITION_TRANSITIONS,
            RECOGNITION_DECISIONS,
            since=since,
            reader=user,
            subject_fields=["recognition__initiative"],
        ):
            recognition = record.recognition
            found.append(
                (
                    record.at,
                    DashboardItem(
                        title=_("Công nhận %(model)s: %(before)s → %(after)s")
                        % {
                            "model": recognition.initiative.title,
                            "before": record.from_label(),
                            "after": record.to_label(),
                        },
                        url=reverse(
                            "workspace:initiative-reviews", args=[recognition.initiative_id]
                        )
                        + f"#recognition-{recognition.pk}",
                        note=_note(record),
                    ),
                )
            )
    if sees_commendations:
        for record in _rows(
            CommendationTransition,
            campaign_workflow.COMMENDATION_TRANSITIONS,
            COMMENDATION_DECISIONS,
            since=since,
            reader=user,
            subject_fields=["commendation"],
        ):
            commendation = record.commendation
            found.append(
                (
                    record.at,
                    DashboardItem(
                        title=_("Khen thưởng %(recipient)s: %(before)s → %(after)s")
                        % {
                            "recipient": commendation.recipient_name,
                            "before": record.from_label(),
                            "after": record.to_label(),
                        },
                        url=reverse("workspace:commendation-detail", args=[commendation.pk]),
                        note=_note(record),
                    ),
                )
            )
    found.sort(key=lambda pair: pair[0], reverse=True)
    if previous is None:
        empty = _("Chưa có quyết định nào của Đảng ủy trong %(days)s ngày qua.") % {
            "days": FIRST_VISIT_DAYS
        }
    else:
        empty = _("Đảng ủy chưa quyết định thêm việc gì kể từ lần bạn vào trước (%(when)s).") % {
            "when": date_format(timezone.localtime(previous), "SHORT_DATETIME_FORMAT")
        }
    return DashboardSection(
        key="committee-decisions",
        title=_("Đảng ủy đã quyết định"),
        empty_text=empty,
        items=[item for _at, item in found[:SECTION_LIMIT]],
        truncated=len(found) > SECTION_LIMIT,
    )
