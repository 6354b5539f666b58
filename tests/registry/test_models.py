"""The database keeps the registry honest even when a form is bypassed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from registry.choices import InitiativeStatus
from registry.models import (
    AdminUnit,
    Commitment,
    Indicator,
    Initiative,
    OversightActivity,
    Photo,
)
from tests.factories import make_admin_unit, make_field, make_initiative, make_photo

pytestmark = pytest.mark.django_db


def _refused(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_initiative(**kwargs)


def test_slug_is_unique():
    make_initiative(slug="duong-hoa")
    _refused(slug="duong-hoa")


def test_code_is_unique():
    make_initiative(code="TS-01")
    _refused(code="TS-01")


def test_funding_target_cannot_be_negative():
    _refused(funding_target=-1)


def test_end_date_cannot_precede_start_date():
    _refused(started_on=dt.date(2023, 4, 2), ended_on=dt.date(2023, 4, 1))


def test_a_replicated_model_needs_adaptation_notes():
    original = make_initiative()
    _refused(replicated_from=original, adaptation_notes="")
    copy = make_initiative(
        replicated_from=original, adaptation_notes="Chọn cây phù hợp nắng gió biển"
    )
    assert copy.replicated_from == original


def test_a_model_cannot_be_replicated_from_itself():
    initiative = make_initiative()
    initiative.replicated_from_id = initiative.pk
    initiative.adaptation_notes = "x"
    with pytest.raises(IntegrityError), transaction.atomic():
        initiative.save()


def test_an_unknown_status_is_refused_by_the_database():
    _refused(status="approved")


def test_a_published_initiative_records_when_it_was_first_published():
    with pytest.raises(IntegrityError), transaction.atomic():
        Initiative.objects.create(
            code="X-1",
            slug="x-1",
            title="X",
            field=make_field(),
            admin_unit=make_admin_unit(),
            published=True,
            first_published_at=None,
        )


@pytest.mark.parametrize("field", ["target", "actual"])
def test_indicator_figures_cannot_be_negative(field):
    initiative = make_initiative()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(initiative=initiative, label="Chậu hoa", **{field: Decimal("-1")})


def test_a_photo_needs_alt_text():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_photo(make_initiative(), alt_text="")


def test_a_follow_up_cannot_be_due_before_the_activity():
    with pytest.raises(IntegrityError), transaction.atomic():
        OversightActivity.objects.create(
            initiative=make_initiative(),
            kind="inspection",
            note="Kiểm tra vỉa hè",
            happened_on=dt.date(2023, 4, 10),
            follow_up_due=dt.date(2023, 4, 9),
        )


def test_an_admin_unit_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminUnit.objects.create(
            name="Sầm Sơn",
            kind="ward",
            valid_from=dt.date(2025, 7, 1),
            valid_to=dt.date(2025, 6, 30),
        )


def test_public_shows_only_published_initiatives_in_a_public_status():
    visible = {
        make_initiative(status=status)
        for status in (
            InitiativeStatus.IMPLEMENTING,
            InitiativeStatus.COMPLETED,
            InitiativeStatus.DISCONTINUED,
        )
    }
    make_initiative(status=InitiativeStatus.DRAFT)
    make_initiative(status=InitiativeStatus.REGISTERED)
    make_initiative(status=InitiativeStatus.IMPLEMENTING, published=False)
    assert set(Initiative.objects.public()) == visible


def test_search_text_follows_the_title_on_every_save():
    initiative = make_initiative("Đường điện thắp sáng")
    assert "duong dien thap sang" in initiative.search_text
    initiative.title = "Ngôi nhà trí tuệ"
    initiative.save(update_fields=["title"])
    initiative.refresh_from_db()
    assert "ngoi nha tri tue" in initiative.search_text
    assert "duong dien" not in initiative.search_text


def test_commitments_and_indicators_keep_their_order():
    initiative = make_initiative()
    Commitment.objects.create(initiative=initiative, text="Đổ rác đúng giờ", order=2)
    Commitment.objects.create(initiative=initiative, text="Không lấn chiếm vỉa hè", order=1)
    assert [c.text for c in initiative.commitments.all()] == [
        "Không lấn chiếm vỉa hè",
        "Đổ rác đúng giờ",
    ]


def test_every_change_to_an_initiative_is_kept_in_its_history():
    initiative = make_initiative("Tên cũ")
    initiative.title = "Tên mới"
    initiative.save()
    titles = list(initiative.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["Tên cũ", "Tên mới"]
    assert Photo.history.model is not None
