"""The workspace dashboard and model list read the indexes made for them.

At province scale (100,000 pledges, 20,000 models) each section must read the few rows it
shows from an index in the order it shows them, not sort (or sum donations for) every
candidate row first. A test table is small, so the planner is told not to scan or sort when
an index would do; the plans of the queries the pages really run must then name the index.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import make_pledge
from tests.campaigns.factories_reviews import make_commendation, make_recognition
from tests.factories import make_initiative

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgresql(reason="PostgreSQL's planner only"),
]


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _plans(official_client, *paths) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        for path in paths:
            assert official_client.get(path).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for query in ctx.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_dashboard_sections_and_the_model_list_walk_their_indexes(official_client):
    today = timezone.localdate()
    for i in range(3):
        make_pledge(
            value=1_000_000,
            pledged_on=today - dt.timedelta(days=90),
            due_on=today - dt.timedelta(days=i + 1),
        )
        make_recognition()
        make_commendation()
        make_initiative(f"Mô hình chưa có ảnh {i}")
    plans = _plans(
        official_client, reverse("workspace:dashboard"), reverse("workspace:initiative-list")
    )
    for index in (
        "pledge_due_idx",
        "recognition_proposed_idx",
        "commendation_draft_idx",
        "initiative_implementing_idx",
        "initiative_updated_idx",
    ):
        assert any(index in plan for plan in plans), index
