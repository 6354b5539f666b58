"""The progress timeline's rules: drafting, publishing, correcting, withdrawing milestones;
the automatic drafts of status changes and new results; the progress figure; the database's
own guard on every rule that a form could be bypassed for."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.choices import MilestoneStatus as MS
from registry.images import process_photo
from registry.models import (
    Indicator,
    Initiative,
    Milestone,
    MilestonePhoto,
    MilestoneTransition,
)
from registry.progress import current_progress, derived_progress
from tests.factories import (
    image_bytes,
    make_initiative,
    make_official,
    make_user,
    uploaded_image,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2023, 4, 10)


def _draft(initiative, by, **fields):
    fields.setdefault("title", "Trồng xong 200 chậu hoa giấy")
    fields.setdefault("occurred_on", TODAY)
    return workflow.milestone_draft(initiative=initiative, by=by, **fields)


def _published(initiative, by, **fields):
    milestone = _draft(initiative, by, **fields)
    return workflow.milestone_publish(milestone=milestone, by=by)


def _indicator(initiative, label="Chậu hoa giấy", *, target, actual=None, weight=1):
    return Indicator.objects.create(
        initiative=initiative, label=label, unit="chậu", target=target, actual=actual, weight=weight
    )


# --- the progress figure ---------------------------------------------------------------------


def test_the_derived_progress_is_the_weighted_mean_of_result_over_target_rounded_down():
    rows = [(Decimal(310), Decimal(155), 1), (Decimal(2), Decimal(2), 3)]
    # (50 % × 1 + 100 % × 3) / 4 = 87.5 %
    assert derived_progress(rows) == 87


def test_an_indicator_above_its_target_counts_one_hundred_percent_at_most():
    rows = [(Decimal(100), Decimal(300), 1), (Decimal(100), Decimal(0), 1)]
    assert derived_progress(rows) == 50
    assert derived_progress([(Decimal(10), Decimal(25), 1)]) == 100


def test_indicators_without_a_target_do_not_count_and_a_missing_result_counts_zero():
    assert derived_progress([(None, Decimal(310), 1), (Decimal(0), Decimal(2), 1)]) is None
    assert derived_progress([(Decimal(4), None, 1), (None, Decimal(2), 1)]) == 0


def test_an_entered_progress_wins_over_the_indicators():
    assert current_progress(40, [(Decimal(1), Decimal(1), 1)]) == 40
    assert current_progress(None, [(Decimal(4), Decimal(1), 1)]) == 25


def test_new_results_recompute_the_figure_and_draft_a_milestone_saying_what_changed():
    official = make_official()
    initiative = make_initiative("Đường hoa Lê Lợi")
    pots = _indicator(initiative, target=310, actual=100)
    _indicator(initiative, "Chiều dài", target=2, actual=None)
    workflow.initiative_results_update(initiative=initiative, by=official)
    assert Initiative.objects.get(pk=initiative.pk).progress == 16  # (32 % + 0 %) / 2

    def save_indicators(locked):
        Indicator.objects.filter(pk=pots.pk).update(actual=310)

    workflow.initiative_results_update(
        initiative=initiative, by=official, save_indicators=save_indicators
    )
    assert initiative.progress == 50
    assert Initiative.objects.get(pk=initiative.pk).progress == 50
    draft = Milestone.objects.filter(initiative=initiative).latest("id")
    assert draft.status == MS.DRAFT and draft.automatic
    assert (draft.progress_before, draft.progress_after) == (16, 50)
    assert draft.title == "Cập nhật tiến độ: 16% → 50%"
    assert "Chậu hoa giấy: 100 → 310 chậu" in draft.body
    assert draft.created_by == official


def test_lowering_the_progress_needs_a_reason_and_nothing_is_written_without_one():
    official = make_official()
    initiative = make_initiative()
    workflow.initiative_results_update(initiative=initiative, by=official, progress_entered=60)
    drafts_before = Milestone.objects.count()

    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.initiative_results_update(initiative=initiative, by=official, progress_entered=40)
    assert refused.value.code == "reason_required"
    saved = Initiative.objects.get(pk=initiative.pk)
    assert (saved.progress, saved.progress_entered) == (60, 60)
    assert Milestone.objects.count() == drafts_before

    workflow.initiative_results_update(
        initiative=initiative, by=official, progress_entered=40, reason="Bão làm đổ 100 chậu"
    )
    saved = Initiative.objects.get(pk=initiative.pk)
    assert saved.progress == 40
    draft = Milestone.objects.latest("id")
    assert (draft.progress_before, draft.progress_after) == (60, 40)
    assert draft.progress_reason == "Bão làm đổ 100 chậu"


def test_lowered_results_roll_back_the_indicator_rows_too():
    official = make_official()
    initiative = make_initiative()
    pots = _indicator(initiative, target=10, actual=10)
    workflow.initiative_results_update(initiative=initiative, by=official)

    def save_indicators(locked):
        Indicator.objects.filter(pk=pots.pk).update(actual=5)

    with pytest.raises(workflow.WorkflowError):
        workflow.initiative_results_update(
            initiative=initiative, by=official, save_indicators=save_indicators
        )
    assert Indicator.objects.get(pk=pots.pk).actual == 10
    assert Initiative.objects.get(pk=initiative.pk).progress == 100


def test_recording_results_needs_the_permission():
    initiative = make_initiative()
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.initiative_results_update(
            initiative=initiative, by=make_user("khach"), progress_entered=10
        )
    assert refused.value.code == "permission"
    assert Initiative.objects.get(pk=initiative.pk).progress is None


def test_an_unchanged_save_drafts_nothing():
    official = make_official()
    initiative = make_initiative()
    _indicator(initiative, target=10, actual=5)
    workflow.initiative_results_update(initiative=initiative, by=official)
    count = Milestone.objects.count()
    workflow.initiative_results_update(initiative=initiative, by=official)
    assert Milestone.objects.count() == count


# --- automatic drafts of status changes -------------------------------------------------------


def test_a_status_change_drafts_a_milestone_in_the_same_transaction(committee_member):
    initiative = make_initiative(status=S.REGISTERED, published=False)
    workflow.initiative_approve(initiative=initiative, by=committee_member)
    draft = Milestone.objects.get(initiative=initiative)
    assert (draft.status_before, draft.status_after) == (S.REGISTERED, S.IMPLEMENTING)
    assert draft.automatic and draft.status == MS.DRAFT
    assert draft.title == "Chuyển trạng thái: “Đã đăng ký” → “Đang thực hiện”"
    assert draft.occurred_on == timezone.localdate()


def test_a_discontinued_model_s_draft_carries_the_reason(committee_member):
    initiative = make_initiative()
    workflow.initiative_discontinue(
        initiative=initiative, by=committee_member, reason="Tuyến đường đang sửa chữa"
    )
    draft = Milestone.objects.get(initiative=initiative)
    assert draft.body == "Tuyến đường đang sửa chữa"
    assert draft.status_after == S.DISCONTINUED


def test_a_refused_status_change_drafts_nothing(official):
    initiative = make_initiative(status=S.DRAFT, published=False)
    with pytest.raises(workflow.WorkflowError):
        workflow.initiative_complete(initiative=initiative, by=official)
    assert not Milestone.objects.exists()


# --- drafting, publishing, correcting, withdrawing --------------------------------------------


def test_an_official_drafts_a_milestone_with_the_current_progress_before(official):
    initiative = make_initiative()
    workflow.initiative_results_update(initiative=initiative, by=official, progress_entered=30)
    milestone = _draft(initiative, official, progress_after=45, body="Đã trồng 200 chậu.")
    assert milestone.status == MS.DRAFT
    assert (milestone.progress_before, milestone.progress_after) == (30, 45)
    assert milestone.created_by == official


def test_a_milestone_dated_in_the_future_is_refused(official):
    initiative = make_initiative()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _draft(initiative, official, occurred_on=tomorrow)
    assert "occurred_on" in refused.value.error_dict
    assert not Milestone.objects.exists()
    # A planned day in the future is what planned_on is for.
    assert _draft(initiative, official, planned_on=tomorrow).planned_on == tomorrow


def test_a_lower_progress_on_a_milestone_needs_a_reason(official):
    initiative = make_initiative()
    with pytest.raises(ValidationError) as refused:
        _draft(initiative, official, progress_before=60, progress_after=40)
    assert "progress_reason" in refused.value.error_dict
    milestone = _draft(
        initiative, official, progress_before=60, progress_after=40, progress_reason="Bão"
    )
    assert milestone.progress_reason == "Bão"


def test_the_committee_cannot_draft_but_may_publish(committee_member, official):
    initiative = make_initiative()
    with pytest.raises(workflow.WorkflowError):
        _draft(initiative, committee_member)
    milestone = _draft(initiative, official)
    workflow.milestone_publish(milestone=milestone, by=committee_member)
    assert Milestone.objects.get(pk=milestone.pk).published_by == committee_member


def test_a_user_without_the_permission_cannot_publish(official):
    milestone = _draft(make_initiative(), official)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_publish(milestone=milestone, by=make_user("khach"))
    assert refused.value.code == "permission"
    assert Milestone.objects.get(pk=milestone.pk).status == MS.DRAFT


def test_publishing_stamps_who_and_when_records_the_transition_and_the_last_update(official):
    initiative = make_initiative()
    older = _published(initiative, official, occurred_on=TODAY - dt.timedelta(days=30))
    newer = _published(initiative, official, occurred_on=TODAY)
    assert newer.status == MS.PUBLISHED
    saved = Milestone.objects.get(pk=newer.pk)
    assert saved.published_by == official and saved.published_at is not None
    transition = MilestoneTransition.objects.get(milestone=newer)
    assert (transition.from_status, transition.to_status, transition.by) == (
        MS.DRAFT,
        MS.PUBLISHED,
        official,
    )
    assert Initiative.objects.get(pk=initiative.pk).progress_updated_on == TODAY
    assert older.pk != newer.pk


def test_publishing_twice_is_refused(official):
    milestone = _published(make_initiative(), official)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_publish(milestone=milestone, by=official)
    assert refused.value.code == "wrong_state"


def test_a_published_milestone_is_never_edited(official):
    milestone = _published(make_initiative(), official, title="Tiêu đề đúng")
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_update(milestone=milestone, by=official, title="Sửa lén")
    assert refused.value.code == "not_a_draft"
    assert Milestone.objects.get(pk=milestone.pk).title == "Tiêu đề đúng"


def test_a_draft_is_edited_and_validated(official):
    milestone = _draft(make_initiative(), official)
    workflow.milestone_update(milestone=milestone, by=official, title="Trồng xong 310 chậu")
    assert Milestone.objects.get(pk=milestone.pk).title == "Trồng xong 310 chậu"
    with pytest.raises(ValidationError):
        workflow.milestone_update(
            milestone=milestone,
            by=official,
            occurred_on=timezone.localdate() + dt.timedelta(days=2),
        )
    assert Milestone.objects.get(pk=milestone.pk).occurred_on == TODAY


def test_a_correction_supersedes_the_published_milestone_once_published(official):
    initiative = make_initiative()
    wrong = _published(initiative, official, title="Trồng xong 300 chậu", progress_after=90)
    correction = workflow.milestone_supersede(
        milestone=wrong, by=official, title="Trồng xong 310 chậu"
    )
    assert correction.status == MS.DRAFT and correction.supersedes == wrong
    assert correction.progress_after == 90  # copied from the old one
    workflow.milestone_publish(milestone=correction, by=official)
    old = Milestone.objects.get(pk=wrong.pk)
    assert old.status == MS.PUBLISHED and old.title == "Trồng xong 300 chậu"
    assert list(old.corrections.filter(status=MS.PUBLISHED)) == [correction]
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_supersede(milestone=wrong, by=official, title="Lần nữa")
    assert refused.value.code == "already_superseded"


def test_only_a_published_milestone_can_be_corrected(official):
    draft = _draft(make_initiative(), official)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_supersede(milestone=draft, by=official)
    assert refused.value.code == "wrong_state"


def test_withdrawing_needs_a_reason_and_keeps_it(official):
    initiative = make_initiative()
    milestone = _published(initiative, official)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_withdraw(milestone=milestone, by=official, reason="  ")
    assert refused.value.code == "reason_required"
    workflow.milestone_withdraw(milestone=milestone, by=official, reason="Ghi nhầm mô hình")
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.status, saved.withdrawn_reason) == (MS.WITHDRAWN, "Ghi nhầm mô hình")
    assert saved.withdrawn_at is not None and saved.published_at is not None
    assert Initiative.objects.get(pk=initiative.pk).progress_updated_on is None


def test_a_correction_of_a_withdrawn_milestone_cannot_be_published(official):
    milestone = _published(make_initiative(), official)
    correction = workflow.milestone_supersede(milestone=milestone, by=official)
    workflow.milestone_withdraw(milestone=milestone, by=official, reason="Sai hoàn toàn")
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.milestone_publish(milestone=correction, by=official)
    assert refused.value.code == "superseded_not_published"


def test_a_photo_is_cleaned_and_needs_alt_text(official):
    milestone = _draft(make_initiative(), official)
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"
    cleaned = process_photo(uploaded_image(exif=exif))
    with pytest.raises(ValidationError):
        workflow.milestone_photo_add(
            milestone=milestone, by=official, image=cleaned, alt_text=" ", role="before"
        )
    photo = workflow.milestone_photo_add(
        milestone=milestone, by=official, image=cleaned, alt_text="Vỉa hè trước", role="before"
    )
    assert photo.role == "before" and photo.thumbnail
    with photo.image.open("rb") as stored:
        assert b"Exif" not in stored.read()
    with pytest.raises(TypeError):
        workflow.milestone_photo_add(
            milestone=milestone,
            by=official,
            image=uploaded_image(),
            alt_text="Ảnh thô",
            role="after",
        )


def test_photos_are_added_to_drafts_only(official):
    milestone = _published(make_initiative(), official)
    with pytest.raises(workflow.WorkflowError):
        workflow.milestone_photo_add(
            milestone=milestone,
            by=official,
            image=process_photo(uploaded_image()),
            alt_text="Sau khi trồng",
            role="after",
        )
    assert not MilestonePhoto.objects.exists()


# --- the database's own guard ----------------------------------------------------------------


def _raw_milestone(initiative, **fields):
    values = {
        "initiative": initiative,
        "title": "Mốc",
        "occurred_on": TODAY,
        **fields,
    }
    return Milestone(**values)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"progress_after": 101}, "milestone_progress_after_percent"),
        ({"progress_before": 101}, "milestone_progress_before_percent"),
        ({"title": ""}, "milestone_title_not_empty"),
        ({"title": "x" * 121}, "milestone_title_max_length"),
        ({"status": "lost"}, "milestone_status_valid"),
        ({"status_after": "lost"}, "milestone_statuses_valid"),
        ({"progress_before": 60, "progress_after": 40}, "milestone_lower_progress_has_reason"),
        ({"planned_on": TODAY - dt.timedelta(days=1)}, "milestone_planned_after_occurred"),
        ({"status": MS.PUBLISHED}, "milestone_published_has_date"),
        ({"status": MS.WITHDRAWN}, "milestone_withdrawn_has_reason"),
    ],
)
def test_the_database_refuses_a_bad_milestone_whatever_writes_it(fields, constraint):
    initiative = make_initiative()
    if connection.vendor == "postgresql" and "title" in fields and len(fields["title"]) > 120:
        match = r"milestone_title_max_length|value too long"
    else:
        match = constraint
    # PostgreSQL's varchar(120) refuses a long title before the check does (a DataError).
    with pytest.raises((IntegrityError, DataError), match=match), transaction.atomic():
        _raw_milestone(initiative, **fields).save()
    assert not Milestone.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("progress", 101, "initiative_progress_percent"),
        ("progress_entered", 150, "initiative_progress_entered_percent"),
    ],
)
def test_the_database_refuses_a_progress_outside_0_to_100(field, value, constraint):
    initiative = make_initiative()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(**{field: value})
    assert getattr(Initiative.objects.get(pk=initiative.pk), field) is None


def test_the_database_allows_one_published_correction_only(official):
    initiative = make_initiative()
    original = _published(initiative, official)
    now = timezone.now()
    Milestone.objects.create(
        initiative=initiative,
        title="Đính chính 1",
        occurred_on=TODAY,
        supersedes=original,
        status=MS.PUBLISHED,
        published_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(
            initiative=initiative,
            title="Đính chính 2",
            occurred_on=TODAY,
            supersedes=original,
            status=MS.PUBLISHED,
            published_at=now,
        )
    assert original.corrections.count() == 1


def test_the_database_refuses_a_photo_without_alt_text_or_with_an_unknown_role(official):
    milestone = _draft(make_initiative(), official)
    for fields, constraint in (
        ({"alt_text": "", "role": "before"}, "milestonephoto_alt_text_required"),
        ({"alt_text": "Ảnh", "role": "sideways"}, "milestonephoto_role_valid"),
    ):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            MilestonePhoto.objects.create(
                milestone=milestone, image=ContentFile(image_bytes(), name="x.jpg"), **fields
            )
    assert not MilestonePhoto.objects.exists()


def test_a_model_with_milestones_cannot_be_deleted(official):
    initiative = make_initiative()
    _published(initiative, official)
    with pytest.raises(ProtectedError), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).delete()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
