"""seed_bench at a tiny scale: consistent, obviously synthetic data."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from bench.management.commands.seed_bench import (
    BENCH_OFFICIAL,
    SHOWCASE_DONATIONS,
    SHOWCASE_PHOTOS,
)
from campaigns import ledger_totals
from campaigns.models import Contributor, Donation, Expense, LedgerMonth, Pledge, Recognition
from registry.choices import InitiativeStatus
from registry.models import Initiative, Photo
from registry.queries import search_initiatives


@pytest.fixture
def seeded(db, bench_site):
    call_command(
        "seed_bench", initiatives=40, donations=600, contributors=80, photos=60, seed=3,
        verbosity=0,
    )  # fmt: skip


def test_seed_bench_writes_the_numbers_asked_for_and_marks_them_synthetic(seeded):
    assert Initiative.objects.count() == 40
    assert Donation.objects.filter(reverses__isnull=True).count() == 600
    assert Contributor.objects.count() == 80
    assert Photo.objects.count() == 60
    assert not Initiative.objects.exclude(code__startswith="BENCH-").exists()
    assert (
        not Donation.objects.filter(reverses__isnull=True)
        .exclude(receipt_number__startswith="BENCH-")
        .exists()
    )
    assert not Contributor.objects.exclude(note__contains="BENCH").exists()
    assert Pledge.objects.exists() and Expense.objects.exists()


def test_seeded_rows_are_consistent_with_the_application(seeded):
    """search_text as the model computes it; reversals mirror their entry; the showcase."""
    for initiative in Initiative.objects.all():
        assert initiative.search_text == initiative.compute_search_text()
    for reversal in Donation.objects.filter(reverses__isnull=False).select_related("reverses"):
        assert reversal.amount == -reversal.reverses.amount
        assert reversal.initiative_id == reversal.reverses.initiative_id
    showcase = Initiative.objects.get(code="BENCH-0000001")
    assert showcase.is_public
    assert showcase.donations.count() == SHOWCASE_DONATIONS
    assert showcase.photos.count() == SHOWCASE_PHOTOS
    statuses = set(Initiative.objects.values_list("status", flat=True))
    assert {InitiativeStatus.IMPLEMENTING, InitiativeStatus.COMPLETED} <= statuses
    assert Recognition.objects.public().exists()
    assert search_initiatives(Initiative.objects.all(), "bench 0000001").get() == showcase
    # The ledger's running totals, rebuilt once after the bulk load (triggers off on PG).
    assert LedgerMonth.objects.exists()
    assert ledger_totals.differences() == []
    assert {name for names in ledger_totals.installed().values() for name in names} == {
        name for names in ledger_totals.TRIGGERS[connection.vendor].values() for name in names
    }


def test_seeded_pages_render(seeded, client):
    showcase = Initiative.objects.get(code="BENCH-0000001")
    assert showcase.title in client.get(showcase.get_absolute_url()).content.decode()
    assert client.get("/mo-hinh/?page=2").status_code == 200


def test_seed_bench_refuses_a_second_run_and_creates_the_benchmark_official(seeded):
    from django.contrib.auth import get_user_model

    assert (
        get_user_model().objects.get(username=BENCH_OFFICIAL).has_perm("registry.change_initiative")
    )
    with pytest.raises(CommandError, match="already holds benchmark data"):
        call_command("seed_bench", initiatives=2, donations=10, verbosity=0)


def test_the_demo_fixtures_hold_no_benchmark_data():
    for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"):
        assert "BENCH-" not in path.read_text(encoding="utf-8"), path


@pytest.fixture
def seeded_participation(seeded):
    call_command(
        "seed_bench_participation", milestones=30, feedback=60, other_feedback=40,
        other_models=5, seed=3, verbosity=0,
    )  # fmt: skip


def test_seed_bench_participation_gives_the_showcase_a_timeline_and_feedback(
    seeded_participation,
):
    from participation.models import Feedback
    from registry.models import Milestone

    showcase = Initiative.objects.get(code="BENCH-0000001")
    assert showcase.milestones.count() == 30
    assert Milestone.objects.count() == 30
    assert set(Milestone.objects.values_list("status", flat=True)) <= {"published", "withdrawn"}
    assert Milestone.objects.filter(progress_after__isnull=False).exists()
    # Every correction points at an earlier published milestone of the same model.
    for correction in Milestone.objects.filter(supersedes__isnull=False):
        assert correction.supersedes.status == "published"
        assert correction.supersedes.initiative_id == showcase.pk
    assert showcase.feedback.count() == 60
    assert Feedback.objects.count() == 100
    assert (
        Feedback.objects.exclude(initiative=showcase).values("initiative").distinct().count() == 5
    )
    assert not Feedback.objects.exclude(code__startswith="BENCH-GY-").exists()
    assert not Feedback.objects.exclude(phone="").exclude(phone__startswith="000").exists()
    public = Feedback.objects.public().filter(initiative=showcase)
    assert public.exists() and public.filter(answer__isnull=False).exists()
    # Answers exactly for the answered and closed items.
    assert set(Feedback.objects.filter(answer__isnull=False).values_list("status", flat=True)) <= {
        "answered",
        "closed",
    }
    assert not Feedback.objects.filter(status__in=("answered", "closed"), answer__isnull=True)


def test_the_seeded_timeline_and_feedback_pages_render_without_personal_data(
    seeded_participation, client
):
    from participation.models import Feedback

    showcase = Initiative.objects.get(code="BENCH-0000001")
    body = client.get(showcase.get_absolute_url()).content.decode()
    timeline = client.get(f"{showcase.get_absolute_url()}tien-do/").content.decode()
    listed = client.get("/gop-y/").content.decode()
    assert "Đây là 10 góp ý mới nhất." in body
    assert '<li class="milestone' in timeline
    phones = list(Feedback.objects.exclude(phone="").values_list("phone", flat=True))
    hidden_names = Feedback.objects.filter(show_name=False).exclude(name="")
    assert phones and hidden_names.exists()
    for page in (body, timeline, listed):
        assert not any(phone in page for phone in phones)
    assert client.get("/gop-y/?page=2").status_code == 200


def test_seed_bench_participation_refuses_a_second_run(seeded_participation):
    with pytest.raises(CommandError, match="already holds benchmark feedback"):
        call_command("seed_bench_participation", feedback=1, verbosity=0)
