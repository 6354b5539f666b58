"""Queries of the public pages: they combine the register with its campaigns' decisions."""

from django.db import router
from django.db.models import Count, Prefetch, Q, QuerySet

from campaigns.queries import has_public_recognition, public_decision_prefetches
from registry.choices import InitiativeKind
from registry.constant_sql import constant_rows
from registry.models import Field, Initiative, Photo


def public_initiative_detail_queryset() -> QuerySet:
    """One public initiative with everything its page shows, in a fixed number of queries."""
    return initiative_detail_queryset(Initiative.objects.public())


def initiative_detail_queryset(queryset: QuerySet) -> QuerySet:
    """What the public detail page shows, for ``queryset`` (the workspace preview uses it too)."""
    return queryset.select_related(
        "field__parent", "lead_organization", "admin_unit__successor"
    ).prefetch_related(
        "partner_organizations",
        "residential_areas",
        "legal_basis",
        "indicators",
        "commitments",
        Prefetch("photos", queryset=Photo.objects.public(), to_attr="public_photos"),
        *public_decision_prefetches(),  # campaigns: published recognitions, commendations
    )


def public_overview() -> dict:
    """The home page's figures: models, exemplars, top-level fields, recognised ones.

    The counts are grouped by field over an index-only scan
    (``initiative_public_figures_idx``) and the top-level fields are derived in Python from
    the small field table, instead of a COUNT(DISTINCT …) over a join of every public row;
    the recognised count is a separate semi-join (folded into the first aggregate as a
    per-row EXISTS it cost one sub-select per public model). Three queries, whatever the
    number of models.
    """
    public = Initiative.objects.public()
    alias = router.db_for_read(Initiative)
    figures = {"models": 0, "exemplars": 0}
    used = set()
    # Constant statements: built by the ORM once per process (registry.constant_sql).
    by_field = constant_rows(
        "overview-by-field",
        alias,
        lambda: [
            (row["field_id"], row["models"], row["exemplars"])
            for row in public.order_by()
            .values("field_id")
            .annotate(
                models=Count("id", filter=Q(kind=InitiativeKind.MODEL)),
                exemplars=Count("id", filter=Q(kind=InitiativeKind.EXEMPLAR)),
            )
        ],
    )
    for field_id, models, exemplars in by_field:
        figures["models"] += models
        figures["exemplars"] += exemplars
        used.add(field_id)
    parents = dict(
        constant_rows(
            "overview-field-parents",
            router.db_for_read(Field),
            lambda: list(Field.objects.order_by().values_list("pk", "parent_id")),
        )
    )
    figures["fields"] = len({parents[pk] or pk for pk in used})
    [(figures["recognised"],)] = constant_rows(  # campaigns
        "overview-recognised",
        alias,
        lambda: [(public.filter(has_public_recognition()).count(),)],
    )
    return figures


def featured_initiatives(limit: int = 6) -> QuerySet:
    return (
        Initiative.objects.public()
        .with_public_relations()
        .order_by("-featured", "-started_on", "title")[:limit]
    )
