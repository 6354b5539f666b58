"""A milestone's edits are never lost when it is published, automatic drafts appear only when
the progress moved, and unwanted drafts are discarded several at a time and leave the list."""

import datetime as dt

import pytest
from django.urls import reverse

from registry import workflow
from registry.choices import MilestoneStatus as MS
from registry.models import Indicator, Milestone, MilestoneTransition
from tests.factories import make_initiative, make_milestone

pytestmark = pytest.mark.django_db


def _list(initiative, query="") -> str:
    return reverse("workspace:milestone-list", args=[initiative.pk]) + query


def _edit_data(milestone, **changes) -> dict:
    data = {
        "title": milestone.title,
        "occurred_on": milestone.occurred_on.isoformat(),
        "body": milestone.body,
        "planned_on": "",
        "progress_before": "" if milestone.progress_before is None else milestone.progress_before,
        "progress_after": "" if milestone.progress_after is None else milestone.progress_after,
        "progress_reason": milestone.progress_reason,
        "status_before": milestone.status_before,
        "status_after": milestone.status_after,
    }
    return {**data, **changes}


# --- edits are never lost ----------------------------------------------------------------------


def test_publishing_from_the_edit_form_saves_the_edited_text_first(official_client, official):
    initiative = make_initiative()
    milestone = make_milestone(initiative, title="Cập nhật tiến độ: 10% → 20%", body="Tự động")
    page = official_client.get(reverse("workspace:milestone-edit", args=[milestone.pk]))
    html = page.content.decode()
    # The publish button belongs to the edit form: it sends what was typed.
    edit_url = reverse("workspace:milestone-edit", args=[milestone.pk])
    form = html.split(f' action="{edit_url}"')[1].split("</form>")[0]
    publish_url = reverse("workspace:milestone-publish", args=[milestone.pk])
    assert f'formaction="{publish_url}" class="button-secondary">Công bố mốc này' in form

    response = official_client.post(
        reverse("workspace:milestone-publish", args=[milestone.pk]),
        _edit_data(milestone, title="Trồng xong 200 chậu hoa giấy", body="Các hộ cùng trồng."),
    )
    assert response.status_code == 302
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.status, saved.title, saved.body) == (
        MS.PUBLISHED,
        "Trồng xong 200 chậu hoa giấy",
        "Các hộ cùng trồng.",
    )
    assert saved.published_by == official


def test_publishing_with_a_bad_edit_publishes_nothing_and_keeps_the_input(official_client):
    milestone = make_milestone(make_initiative(), title="Tiêu đề cũ")
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = official_client.post(
        reverse("workspace:milestone-publish", args=[milestone.pk]),
        _edit_data(milestone, title="Tiêu đề mới", occurred_on=tomorrow),
    )
    assert response.status_code == 200
    assert "occurred_on" in response.context["form"].errors
    assert 'value="Tiêu đề mới"' in response.content.decode()
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.status, saved.title) == (MS.DRAFT, "Tiêu đề cũ")
    assert not MilestoneTransition.objects.exists()


def test_the_workflow_saves_the_changes_and_publishes_in_one_transaction(official):
    """A refused publication leaves the edits unsaved too: both happen or neither."""
    old = make_milestone(make_initiative(), title="Mốc cũ")
    workflow.milestone_publish(milestone=old, by=official)
    correction = workflow.milestone_supersede(milestone=old, by=official)
    workflow.milestone_withdraw(milestone=old, by=official, reason="Rút")
    with pytest.raises(workflow.WorkflowError):
        workflow.milestone_publish(
            milestone=correction, by=official, changes={"title": "Đính chính mới"}
        )
    saved = Milestone.objects.get(pk=correction.pk)
    assert (saved.status, saved.title) == (MS.DRAFT, "Mốc cũ")

    draft = make_milestone(make_initiative(), title="Tiêu đề cũ")
    workflow.milestone_publish(milestone=draft, by=official, changes={"title": "Tiêu đề mới"})
    saved = Milestone.objects.get(pk=draft.pk)
    assert (saved.status, saved.title) == (MS.PUBLISHED, "Tiêu đề mới")


# --- drafts only when something changed -----------------------------------------------------


def test_results_that_do_not_move_the_progress_draft_no_milestone(official):
    initiative = make_initiative()
    pots = Indicator.objects.create(
        initiative=initiative, label="Chậu hoa giấy", unit="chậu", target=310, actual=0
    )
    workflow.initiative_results_update(initiative=initiative, by=official)
    assert initiative.progress == 0

    def one_more_pot(locked):
        Indicator.objects.filter(pk=pots.pk).update(actual=1)  # 1/310: still 0 %

    workflow.initiative_results_update(
        initiative=initiative, by=official, save_indicators=one_more_pot
    )
    assert not Milestone.objects.filter(initiative=initiative).exists()

    def many_pots(locked):
        Indicator.objects.filter(pk=pots.pk).update(actual=155)

    workflow.initiative_results_update(
        initiative=initiative, by=official, save_indicators=many_pots
    )
    draft = Milestone.objects.get(initiative=initiative)
    assert (draft.progress_before, draft.progress_after) == (0, 50)


def test_a_status_change_draft_shows_no_zero_to_zero_progress(official_client, official):
    initiative = make_initiative(progress=0)
    workflow.initiative_complete(initiative=initiative, by=official)
    html = official_client.get(_list(initiative)).content.decode()
    assert "Chuyển trạng thái" in html
    assert "0% → 0%" not in html


# --- discarding several drafts at once -------------------------------------------------------


def test_several_drafts_are_discarded_at_once_with_one_reason(official_client, official):
    initiative = make_initiative()
    first = make_milestone(initiative, title="Nháp một")
    second = make_milestone(initiative, title="Nháp hai")
    kept = make_milestone(initiative, title="Nháp giữ lại")
    url = reverse("workspace:milestone-discard", args=[initiative.pk])
    response = official_client.post(
        url, {"milestones": [first.pk, second.pk], "reason": "Tự động, không có gì mới"}
    )
    assert response.status_code == 302
    for milestone in (first, second):
        saved = Milestone.objects.get(pk=milestone.pk)
        assert (saved.status, saved.withdrawn_reason) == (MS.WITHDRAWN, "Tự động, không có gì mới")
    assert Milestone.objects.get(pk=kept.pk).status == MS.DRAFT
    assert MilestoneTransition.objects.filter(by=official, to_status=MS.WITHDRAWN).count() == 2


def test_discarding_without_a_reason_discards_nothing(official_client):
    initiative = make_initiative()
    draft = make_milestone(initiative, title="Nháp một")
    url = reverse("workspace:milestone-discard", args=[initiative.pk])
    response = official_client.post(url, {"milestones": [draft.pk], "reason": " "}, follow=True)
    assert "Cần ghi rõ lý do" in response.content.decode()
    assert Milestone.objects.get(pk=draft.pk).status == MS.DRAFT


def test_discarding_ignores_another_model_s_drafts(official_client):
    initiative = make_initiative()
    other = make_milestone(make_initiative(), title="Của mô hình khác")
    url = reverse("workspace:milestone-discard", args=[initiative.pk])
    official_client.post(url, {"milestones": [other.pk], "reason": "Thử"})
    assert Milestone.objects.get(pk=other.pk).status == MS.DRAFT


def test_discarded_drafts_leave_the_default_list_and_a_filter_shows_them(official_client, official):
    initiative = make_initiative()
    draft = make_milestone(initiative, title="Nháp bỏ đi")
    published = make_milestone(initiative, title="Đã công bố rồi rút")
    workflow.milestone_publish(milestone=published, by=official)
    workflow.milestone_withdraw(milestone=published, by=official, reason="Ghi nhầm")
    workflow.milestone_withdraw(milestone=draft, by=official, reason="Không cần")

    html = official_client.get(_list(initiative)).content.decode()
    assert "Nháp bỏ đi" not in html
    assert "Đã công bố rồi rút" in html  # it had been public: its line stays
    assert "Hiện cả dự thảo đã bỏ (1)" in html
    shown = official_client.get(_list(initiative, "?bo=1")).content.decode()
    assert "Nháp bỏ đi" in shown
