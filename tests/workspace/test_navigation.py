"""Every campaigns task is reachable from the dashboard by following links (no URL typed)."""

import re

import pytest
from django.urls import reverse

from tests.campaigns.factories_reviews import make_commendation, make_round
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/quan-ly/[^"#?]*)[^"]*"')


def _links(client, url):
    return set(HREF.findall(client.get(url).content.decode()))


def _reachable(client, start, targets, depth=3):
    """Breadth-first walk over workspace links from ``start``; True when every target is seen."""
    seen, frontier = {start}, [start]
    for _ in range(depth):
        frontier = [link for url in frontier for link in _links(client, url) if link not in seen]
        seen.update(frontier)
        if targets <= seen:
            return seen
    return seen


def test_from_the_dashboard_an_official_reaches_ledger_score_sheet_and_commendations(
    official_client,
):
    initiative = make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    review_round = make_round()
    commendation = make_commendation(initiative)
    targets = {
        reverse("workspace:ledger", args=[initiative.pk]),
        reverse("workspace:score-sheet", args=[review_round.pk]),
        reverse("workspace:recognition-propose", args=[review_round.pk, initiative.pk]),
        reverse("workspace:initiative-reviews", args=[initiative.pk]),
        reverse("workspace:commendation-list"),
        reverse("workspace:commendation-create"),
        reverse("workspace:commendation-detail", args=[commendation.pk]),
    }
    seen = _reachable(official_client, reverse("workspace:dashboard"), targets)
    assert targets <= seen, targets - seen
