"""The workspace dashboard (/quan-ly/): "what needs doing now", built from section providers.

A provider is a function ``provider(request) -> DashboardSection | None`` that runs a fixed
number of queries (usually one) whatever the amount of data, and returns ``None`` when the
user has nothing to do with it (no permission). ``SECTIONS`` lists the providers in the order
the page shows them (those with work first); a new section is a function in one of these
modules and a line here.
"""

from django.http import HttpRequest

from . import campaigns, decisions, feedback, initiatives
from .base import DashboardItem, DashboardSection

SECTIONS = [
    decisions.committee_decisions,
    initiatives.returned_registrations,
    initiatives.my_drafts,
    initiatives.follow_ups_due,
    initiatives.awaiting_committee,
    initiatives.implementing_without_photos,
    initiatives.milestones_to_publish,
    campaigns.overdue_pledges,
    campaigns.rounds_to_score,
    campaigns.recognitions_awaiting,
    campaigns.dossiers_missing_documents,
    feedback.feedback_due,
]

__all__ = ["SECTIONS", "DashboardItem", "DashboardSection", "build_dashboard"]


def build_dashboard(request: HttpRequest) -> list[DashboardSection]:
    """Every section the user may see: those with work first, then the empty ones, each
    group in ``SECTIONS`` order (the sort is stable), so that an official's first screen
    is work, not a row of "(0)" cards."""
    sections = (provider(request) for provider in SECTIONS)
    return sorted((s for s in sections if s is not None), key=lambda s: not s.items)
