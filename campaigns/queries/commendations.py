"""Named queries of commendations: public badges, the admin list, dossier completeness."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    QuerySet,
)

from ..models import (
    Commendation,
)


def public_commendations() -> QuerySet:
    """Issued (not revoked) commendations with what a badge shows."""
    return (
        Commendation.objects.public().select_related("review_round").order_by("-decided_on", "-id")
    )


def commendation_admin_queryset() -> QuerySet:
    return Commendation.objects.select_related("initiative", "review_round").annotate(
        document_count=Count("documents")
    )


def commendation_dossier_state() -> dict:
    """Annotations telling which required dossier kinds a commendation has (``has_<kind>``)."""
    from ..models import DossierDocument
    from ..review_choices import REQUIRED_DOSSIER_KINDS

    return {
        f"has_{kind}": Exists(
            DossierDocument.objects.filter(commendation=OuterRef("pk"), kind=kind)
        )
        for kind in REQUIRED_DOSSIER_KINDS
    }


def workspace_commendations() -> QuerySet:
    """Commendations with their model, round and dossier completeness (one query)."""
    return Commendation.objects.select_related(
        "initiative", "review_round", "contributor"
    ).annotate(**commendation_dossier_state())
