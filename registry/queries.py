"""Named queries used by more than one page."""

from django.db import router
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from campaigns.queries import has_public_recognition, public_decision_prefetches

from .choices import InitiativeKind
from .constant_sql import constant_rows
from .models import AdminUnit, Field, Initiative, InitiativeTransition, Photo, ResidentialArea
from .text import search_terms


def search_initiatives(queryset: QuerySet, query: str | None) -> QuerySet:
    """Every folded word of ``query`` must appear in the initiative's folded text.

    ``search_text`` is already folded (no diacritics, lower case), so a plain ``contains``
    works the same on SQLite and PostgreSQL, where a trigram index serves it.
    """
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


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

    Issue 7, province scale: the counts are grouped by field over an index-only scan
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
    [(figures["recognised"],)] = constant_rows(  # campaigns (issue 4)
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


def filter_choices() -> dict:
    """Options the public filters offer: only what public models actually use."""
    public = Initiative.objects.public()
    return {
        "fields": Field.objects.filter(
            Q(initiatives__in=public) | Q(children__initiatives__in=public)
        ).distinct(),
        "areas": ResidentialArea.objects.filter(initiatives__in=public).distinct(),
        "admin_units": AdminUnit.objects.filter(initiatives__in=public).distinct(),
    }


def with_last_transition(queryset: QuerySet) -> QuerySet:
    """Annotate each initiative with its latest status change: ``last_to``, ``last_at``,
    ``last_reason`` and ``last_by_id`` (a returned registration's reason, for example)."""
    latest = InitiativeTransition.objects.filter(initiative=OuterRef("pk")).order_by("-at", "-id")
    return queryset.annotate(
        last_from=Subquery(latest.values("from_status")[:1]),
        last_to=Subquery(latest.values("to_status")[:1]),
        last_at=Subquery(latest.values("at")[:1]),
        last_reason=Subquery(latest.values("reason")[:1]),
    )


def workspace_initiative_list_queryset() -> QuerySet:
    """Every initiative, drafts included, with what the workspace list's rows show."""
    return Initiative.objects.select_related("field__parent", "admin_unit").order_by(
        "-updated_at", "pk"
    )
