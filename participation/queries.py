"""Named queries on residents' feedback, for the public pages, the workspace, the reports and
the open-data feed. Public ones never select personal data (name only when shown by choice)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, Q, QuerySet, Value, When

from registry.models import Initiative

from .choices import ANSWERED_STATUSES, OPEN_STATUSES
from .choices import FeedbackStatus as S
from .models import Feedback

# The columns a public page may read: never phone, name, client hash, token or the raw text
# (the name comes as ``shown_name``, empty unless the sender chose to show it).
PUBLIC_FIELDS = (
    "code",
    "kind",
    "status",
    "public_text",
    "created_at",
    "published_at",
    "answered_at",
    "rating",
    "initiative__title",
    "initiative__slug",
    "answer__text",
    "answer__created_at",
    "answer__updated_at",
)


def public_feedback() -> QuerySet[Feedback]:
    """Published items with their answers and models, newest first (one query)."""
    return (
        Feedback.objects.public()
        .select_related("initiative", "answer")
        .only(*PUBLIC_FIELDS)
        # The sender's name only when they chose to show it: a hidden name is never read.
        .annotate(shown_name=Case(When(show_name=True, then=F("name")), default=Value("")))
        .order_by("-published_at", "-pk")
    )


def public_feedback_for(initiative: Initiative) -> QuerySet[Feedback]:
    return public_feedback().filter(initiative=initiative)


def published_answers() -> QuerySet[Feedback]:
    """Published items that have an answer, with the answer's time (``answered_at``) and the
    publication's (``published_at``): for a change feed ("feedback answered" events)."""
    return public_feedback().filter(status__in=ANSWERED_STATUSES).order_by("-answered_at", "-pk")


def workspace_feedback() -> QuerySet[Feedback]:
    return Feedback.objects.select_related("initiative", "assignee").defer(
        "initiative__description", "initiative__search_text"
    )


def due_feedback(today: dt.date, *, horizon_days: int = 3) -> QuerySet[Feedback]:
    """Waiting items (new ones, and received or in progress ones due within ``horizon_days``
    or overdue), the most urgent first."""
    return (
        workspace_feedback()
        .filter(
            Q(status=S.NEW)
            | Q(status__in=OPEN_STATUSES, due_on__lte=today + dt.timedelta(days=horizon_days))
        )
        .order_by(F("due_on").asc(nulls_first=True), "created_at", "pk")
    )


def overdue_q(today: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


@dataclass(frozen=True)
class FeedbackFigures:
    received: int
    answered: int
    answered_on_time: int
    average_rating: float | None
    rated: int

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.answered_on_time / self.answered) if self.answered else None


def _counted(
    start: dt.date | None, end: dt.date | None, initiatives: QuerySet | None
) -> QuerySet[Feedback]:
    """Items the ward received between ``start`` and ``end`` (local dates, both included), on
    ``initiatives`` (a queryset of models, or all) and on the ward in general; spam and
    duplicates are not counted."""
    rows = Feedback.objects.filter(received_at__isnull=False)
    if start:
        rows = rows.filter(received_at__date__gte=start)
    if end:
        rows = rows.filter(received_at__date__lte=end)
    if initiatives is not None:
        rows = rows.filter(Q(initiative__in=initiatives.values("pk")) | Q(initiative__isnull=True))
    return rows.exclude(status__in=(S.SPAM, S.DUPLICATE))


def feedback_figures(
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    initiatives: QuerySet | None = None,
) -> FeedbackFigures:
    """Received, answered, answered on time (on or before the due date) and the average
    rating, for items received in the period (``_counted``). One query. The public summary
    passes the public models only."""
    counted = _counted(start, end, initiatives)
    answered = Q(answered_at__isnull=False)
    figures = counted.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_at__date__lte=F("due_on"))),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        average=Avg("rating"),
    )
    average = figures["average"]
    return FeedbackFigures(
        received=figures["received"],
        answered=figures["answered"],
        answered_on_time=figures["on_time"],
        average_rating=round(float(average), 1) if average is not None else None,
        rated=figures["rated"],
    )


def feedback_per_model(
    start: dt.date | None, end: dt.date | None, *, initiatives: QuerySet | None = None
) -> dict[int, tuple[int, int]]:
    """{model id: (received, answered)} for the period, in one grouped query (``None``: the
    ward in general)."""
    rows = (
        _counted(start, end, initiatives)
        .values_list("initiative_id")
        .annotate(received=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
        .order_by()
    )
    return {pk: (received, answered) for pk, received, answered in rows}
