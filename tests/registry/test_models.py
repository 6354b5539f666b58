"""The database keeps the registry honest even when a form is bypassed."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
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
from tests.db_errors import unique_column
from tests.factories import image_bytes, make_admin_unit, make_field, make_initiative

pytestmark = pytest.mark.django_db


_seq = itertools.count(1)

UNIQUE_SLUG = unique_column("registry_initiative", "slug")
UNIQUE_CODE = unique_column("registry_initiative", "code")


def _initiative(**overrides) -> Initiative:
    """An unsaved initiative the database accepts (its field and unit saved), with overrides."""
    n = next(_seq)
    fields = {
        "code": f"M-{n:05d}",
        "slug": f"mo-hinh-{n}",
        "title": f"Mô hình {n}",
        "field": make_field(),
        "admin_unit": make_admin_unit(),
        "status": InitiativeStatus.DRAFT,
        "published": False,
    }
    return Initiative(**{**fields, **overrides})


def _refused(constraint: str, **overrides):
    """Only the one write that breaks ``constraint`` runs inside the expected failure."""
    initiative = _initiative(**overrides)
    before = Initiative.objects.count()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        initiative.save()
    assert Initiative.objects.count() == before


def test_the_valid_initiative_the_refusals_start_from_is_accepted():
    """Each refusal below changes one value of an initiative the database accepts."""
    initiative = _initiative()
    initiative.save()
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_slug_is_unique():
    make_initiative(slug="duong-hoa")
    _refused(UNIQUE_SLUG, slug="duong-hoa")


def test_code_is_unique():
    make_initiative(code="TS-01")
    _refused(UNIQUE_CODE, code="TS-01")


def test_funding_target_cannot_be_negative():
    _refused("initiative_funding_target_not_negative", funding_target=-1)


def test_end_date_cannot_precede_start_date():
    _refused(
        "initiative_dates_in_order", started_on=dt.date(2023, 4, 2), ended_on=dt.date(2023, 4, 1)
    )


def test_a_replicated_model_needs_adaptation_notes():
    original = make_initiative()
    _refused(
        "initiative_replication_needs_adaptation_notes",
        replicated_from=original,
        adaptation_notes="",
    )
    copy = make_initiative(
        replicated_from=original, adaptation_notes="Chọn cây phù hợp nắng gió biển"
    )
    assert copy.replicated_from == original


def test_a_model_cannot_be_replicated_from_itself():
    initiative = make_initiative()
    initiative.replicated_from_id = initiative.pk
    initiative.adaptation_notes = "x"
    with (
        pytest.raises(IntegrityError, match="initiative_not_replica_of_itself"),
        transaction.atomic(),
    ):
        initiative.save()


def test_an_unknown_status_is_refused_by_the_database():
    _refused("initiative_status_valid", status="approved")


def test_a_published_initiative_records_when_it_was_first_published():
    _refused("initiative_published_has_date", published=True, first_published_at=None)


@pytest.mark.parametrize("field", ["target", "actual"])
def test_indicator_figures_cannot_be_negative(field):
    indicator = Indicator(initiative=make_initiative(), label="Chậu hoa", **{field: Decimal("-1")})
    with (
        pytest.raises(IntegrityError, match=f"indicator_{field}_not_negative"),
        transaction.atomic(),
    ):
        indicator.save()


def test_a_photo_needs_alt_text():
    photo = Photo(
        initiative=make_initiative(),
        alt_text="",
        image=ContentFile(image_bytes(), name="anh.jpg"),
        thumbnail=ContentFile(image_bytes(size=(32, 24)), name="anh-t.jpg"),
    )
    with pytest.raises(IntegrityError, match="photo_alt_text_required"), transaction.atomic():
        photo.save()
    assert not Photo.objects.exists()


def test_a_follow_up_cannot_be_due_before_the_activity():
    activity = OversightActivity(
        initiative=make_initiative(),
        kind="inspection",
        note="Kiểm tra vỉa hè",
        happened_on=dt.date(2023, 4, 10),
        follow_up_due=dt.date(2023, 4, 9),
    )
    with (
        pytest.raises(IntegrityError, match="oversight_follow_up_after_activity"),
        transaction.atomic(),
    ):
        activity.save()


def test_an_admin_unit_cannot_end_before_it_starts():
    unit = AdminUnit(
        name="Sầm Sơn",
        kind="ward",
        valid_from=dt.date(2025, 7, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    with (
        pytest.raises(IntegrityError, match="adminunit_valid_dates_in_order"),
        transaction.atomic(),
    ):
        unit.save()


def test_a_national_unit_code_is_five_digits_and_belongs_to_one_unit():
    from django.core.exceptions import ValidationError

    first = AdminUnit.objects.create(name="Trường Sơn", kind="ward", code="12345")
    AdminUnit.objects.create(name="Bắc Sơn", kind="ward")  # unknown codes stay empty
    AdminUnit.objects.create(name="Quảng Tiến", kind="ward")  # … and may be many
    with pytest.raises(ValidationError) as refused:
        AdminUnit(name="Quảng Cư", kind="ward", code="12a45").full_clean()
    assert refused.value.error_dict["code"][0].code == "unit_code"
    with (
        pytest.raises(IntegrityError, match=r"adminunit_unique_code|registry_adminunit\.code"),
        transaction.atomic(),
    ):
        AdminUnit.objects.create(name="Quảng Cư", kind="ward", code=first.code)
    with (
        pytest.raises(IntegrityError, match="adminunit_code_five_characters"),
        transaction.atomic(),
    ):
        AdminUnit.objects.create(name="Quảng Châu", kind="ward", code="123")


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
