"""Named queries used by more than one page."""

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Initiative, InitiativeTransition
from .text import search_terms


def search_initiatives(queryset: QuerySet, query: str | None) -> QuerySet:
    """Every folded word of ``query`` must appear in the initiative's folded text.

    ``search_text`` is already folded (no diacritics, lower case), so a plain ``contains``
    works the same on SQLite and PostgreSQL, where a trigram index serves it.
    """
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


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


def public_timeline(initiative) -> list:
    """The milestones residents see on ``initiative``'s timeline, newest first, each with
    ``public_photos`` (consented ones, before → during → after), ``published_corrections``
    (the published milestone that corrects it, if any) and ``supersedes``. Three queries
    whatever the number of milestones and photos.
    """
    from django.db.models import Case, IntegerField, Prefetch, Value, When

    from .choices import MilestoneStatus, PhotoRole
    from .models import Milestone, MilestonePhoto

    role_order = Case(
        *(When(role=role, then=Value(n)) for n, role in enumerate(PhotoRole.values)),
        output_field=IntegerField(),
    )
    return list(
        Milestone.objects.on_public_timeline()
        .filter(initiative=initiative)
        .select_related("supersedes")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=MilestonePhoto.objects.public().order_by(role_order, "order", "id"),
                to_attr="public_photos",
            ),
            Prefetch(
                "corrections",
                queryset=Milestone.objects.filter(status=MilestoneStatus.PUBLISHED),
                to_attr="published_corrections",
            ),
        )
        .order_by("-occurred_on", "-published_at", "-id")
    )
