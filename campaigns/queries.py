"""Named queries of the campaigns app, used by more than one page."""

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, QuerySet

from .models import Commendation, Evaluation, Recognition


def public_recognitions() -> QuerySet:
    """Published recognitions with what a badge shows (level, tier, round)."""
    return (
        Recognition.objects.public()
        .select_related("review_round")
        .order_by("-review_round__period_end", "level")
    )


def public_commendations() -> QuerySet:
    """Issued (not revoked) commendations with what a badge shows."""
    return (
        Commendation.objects.public().select_related("review_round").order_by("-decided_on", "-id")
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


def commendation_admin_queryset() -> QuerySet:
    return Commendation.objects.select_related("initiative", "review_round").annotate(
        document_count=Count("documents")
    )
