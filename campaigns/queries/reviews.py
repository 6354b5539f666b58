"""Named queries of reviews: rounds, score sheets, evaluations and recognitions."""

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from registry.models import Initiative

from ..models import (
    Evaluation,
    Recognition,
)
from .commendations import public_commendations


def public_recognitions() -> QuerySet:
    """Published recognitions with what a badge shows (level, tier, round)."""
    return (
        Recognition.objects.public()
        .select_related("review_round")
        .order_by("-review_round__period_end", "level")
    )


def public_decision_prefetches() -> list[Prefetch]:
    """Prefetches for an initiative's public page: ``public_recognitions`` and
    ``public_commendations`` (two queries whatever the number of decisions)."""
    return [
        Prefetch("recognitions", queryset=public_recognitions(), to_attr="public_recognitions"),
        Prefetch("commendations", queryset=public_commendations(), to_attr="public_commendations"),
    ]


def has_public_recognition() -> Exists:
    """An ``Exists`` over initiatives: has at least one published recognition."""
    return Exists(Recognition.objects.public().filter(initiative=OuterRef("pk")))


def round_scores(*, initiative_id: int, review_round_id: int) -> dict:
    """How a model scored in a round: number of evaluations, average total and percentage."""
    evaluations = Evaluation.objects.filter(
        initiative_id=initiative_id, review_round_id=review_round_id
    )
    summary = evaluations.aggregate(
        count=Count("id"), average_total=Avg("total"), max_total=Avg("max_total")
    )
    summary["evaluations"] = evaluations.with_scores().order_by("evaluator__username")
    return summary


def recognition_admin_queryset() -> QuerySet:
    return Recognition.objects.select_related(
        "initiative", "review_round__campaign", "proposed_by", "decided_by"
    )


def evaluable_initiatives() -> QuerySet:
    from ..workflow import EVALUABLE_STATUSES

    return Initiative.objects.filter(status__in=EVALUABLE_STATUSES)


def round_initiatives(review_round) -> QuerySet:
    """The models of a round's score sheet: those under way or finished, plus any model
    already evaluated in the round (it keeps its row after it changes status)."""
    from ..workflow import EVALUABLE_STATUSES

    evaluated = Evaluation.objects.filter(review_round=review_round, initiative=OuterRef("pk"))
    return Initiative.objects.filter(Q(status__in=EVALUABLE_STATUSES) | Exists(evaluated))


def score_sheet(review_round, user) -> dict:
    """The score sheet of ``review_round`` for ``user``: criteria, and one row per model with
    the user's own evaluation (scores prefetched), the number of evaluations and their
    average total. Four queries whatever the number of models and evaluators."""
    from ..models import Criterion

    criteria = list(Criterion.objects.filter(campaign=review_round.campaign_id))
    round_evaluations = Evaluation.objects.filter(
        review_round=review_round, initiative=OuterRef("pk")
    )
    initiatives = list(
        round_initiatives(review_round)
        .annotate(
            evaluation_count=_count(round_evaluations),
            average_total=Subquery(
                round_evaluations.order_by()
                .values("initiative")
                .annotate(avg=Avg("total"))
                .values("avg")[:1],
                output_field=DecimalField(max_digits=9, decimal_places=2),
            ),
        )
        .select_related("field")
        .order_by("title", "pk")
    )
    mine = {
        e.initiative_id: e
        for e in Evaluation.objects.filter(review_round=review_round, evaluator=user)
        .order_by()
        .prefetch_related("scores")
        .only("id", "initiative_id", "total", "max_total", "recommendation", "comment")
    }
    return {"criteria": criteria, "initiatives": initiatives, "mine": mine}


class _SubqueryCount(Subquery):
    """How many rows a correlated subquery returns (portable: SQLite and PostgreSQL)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def _count(queryset: QuerySet):
    return _SubqueryCount(queryset.order_by().values("pk"))


def review_rounds_overview(user) -> QuerySet:
    """Rounds, newest first, with how many evaluable models ``user`` has not scored yet."""
    from ..models import ReviewRound

    mine = Evaluation.objects.filter(
        review_round=OuterRef(OuterRef("pk")), initiative=OuterRef("pk"), evaluator=user
    )
    return ReviewRound.objects.select_related("campaign").annotate(
        unscored=_count(evaluable_initiatives().filter(~Exists(mine))),
        evaluation_count=Count("evaluations", distinct=True),
    )


def rounds_to_score(user) -> QuerySet:
    """Open rounds where ``user`` still has evaluable models to score, with how many
    (``unscored``, as in ``review_rounds_overview``).

    For the dashboard: the filter is an EXISTS, which stops at the first model not scored
    yet, and the count is computed once, for the rounds shown (filtering on the count itself
    would count every evaluable model twice per open round).
    """
    from ..models import ReviewRound
    from ..review_choices import RoundStatus

    mine = Evaluation.objects.filter(
        review_round=OuterRef(OuterRef("pk")), initiative=OuterRef("pk"), evaluator=user
    )
    unscored = evaluable_initiatives().filter(~Exists(mine))
    return (
        ReviewRound.objects.filter(status=RoundStatus.OPEN)
        .filter(Exists(unscored))
        .select_related("campaign")
        .annotate(unscored=_count(unscored))
    )
