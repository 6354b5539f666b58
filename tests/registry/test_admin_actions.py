"""Every admin action of the registry, run through the admin by whom it is meant for.

For each action of ``CASES``: the permitted user succeeds and the saved state and history
show it; a staff user holding every permission but the one the action needs is neither
offered it nor able to post it; a row in the wrong state is reported and left alone.
``test_every_registry_admin_action_is_in_the_table`` makes a new action without a case fail.
"""

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from registry.models import Initiative, InitiativeTransition, Milestone, Organization
from tests.admin_actions import (
    apply_action,
    changelist_url,
    custom_actions,
    offered_actions,
    run_action,
    shown_messages,
    site_wide_actions,
    snapshot,
    staff_without,
    start_action,
)
from tests.factories import (
    make_initiative,
    make_milestone,
    make_organization,
    make_published_milestone,
)

pytestmark = pytest.mark.django_db

WRONG_STATE = "Không thể thực hiện: mô hình đang ở trạng thái “{}”."
ALREADY_PUBLIC = "mô hình đã được công khai từ trước, không có gì thay đổi."
ALREADY_HIDDEN = "mô hình đã được ẩn khỏi trang công khai từ trước, không có gì thay đổi."


@dataclass(frozen=True)
class Case:
    action: str
    permission: str
    actor: str  # the conftest fixture of the user the action is meant for
    start: dict  # make_initiative() arguments of a row the action applies to
    done: dict  # the saved fields afterwards
    wrong: dict  # make_initiative() arguments of a row in the wrong state
    wrong_message: str  # shown after "<initiative>: "
    wrong_level: str = "error"
    form: dict | None = None  # the intermediate page's fields; None: no intermediate page
    transition: bool = True  # a status change writes an InitiativeTransition row
    success: str = "Đã cập nhật 1 mô hình."
    history_reason: str = ""  # the simple-history row's reason when there is no form reason

    def __str__(self):
        return self.action


def _status(status, **kw):
    return {"status": status, "published": False, **kw}


CASES = [
    Case(
        action="action_submit",
        permission="registry.submit_initiative",
        actor="official",
        start=_status(S.DRAFT),
        done={"status": S.REGISTERED},
        wrong=_status(S.IMPLEMENTING),
        wrong_message=WRONG_STATE.format("Đang thực hiện"),
        history_reason="submit",
    ),
    Case(
        action="action_approve",
        permission="registry.approve_initiative",
        actor="committee_member",
        start=_status(S.REGISTERED),
        done={"status": S.IMPLEMENTING},
        wrong=_status(S.DRAFT),
        wrong_message=WRONG_STATE.format("Dự thảo"),
        history_reason="approve",
    ),
    Case(
        action="action_return",
        permission="registry.approve_initiative",
        actor="committee_member",
        start=_status(S.REGISTERED),
        done={"status": S.DRAFT},
        wrong=_status(S.IMPLEMENTING),
        wrong_message=WRONG_STATE.format("Đang thực hiện"),
        form={"reason": "Chưa ghi địa bàn thực hiện"},
    ),
    Case(
        action="action_complete",
        permission="registry.complete_initiative",
        actor="official",
        start=_status(S.IMPLEMENTING),
        done={"status": S.COMPLETED},
        wrong=_status(S.REGISTERED),
        wrong_message=WRONG_STATE.format("Đã đăng ký"),
        history_reason="complete",
    ),
    Case(
        action="action_discontinue",
        permission="registry.discontinue_initiative",
        actor="committee_member",
        start=_status(S.IMPLEMENTING),
        done={"status": S.DISCONTINUED},
        wrong=_status(S.COMPLETED),
        wrong_message=WRONG_STATE.format("Đã hoàn thành"),
        form={"reason": "Khu phố sáp nhập, không còn người phụ trách"},
    ),
    Case(
        action="action_resume",
        permission="registry.discontinue_initiative",
        actor="committee_member",
        start=_status(S.DISCONTINUED),
        done={"status": S.IMPLEMENTING},
        wrong=_status(S.IMPLEMENTING),
        wrong_message=WRONG_STATE.format("Đang thực hiện"),
        history_reason="resume",
    ),
    Case(
        action="action_publish",
        permission="registry.publish_initiative",
        actor="official",
        start={"status": S.IMPLEMENTING, "published": False, "first_published_at": None},
        done={"published": True},
        wrong={"status": S.IMPLEMENTING, "published": True},
        wrong_message=ALREADY_PUBLIC,
        wrong_level="warning",
        transition=False,
        success="Đã cập nhật việc công khai.",
        history_reason="publish",
    ),
    Case(
        action="action_unpublish",
        permission="registry.publish_initiative",
        actor="committee_member",
        start={"status": S.IMPLEMENTING, "published": True},
        done={"published": False},
        wrong={"status": S.IMPLEMENTING, "published": False},
        wrong_message=ALREADY_HIDDEN,
        wrong_level="warning",
        transition=False,
        success="Đã cập nhật việc công khai.",
        history_reason="unpublish",
    ),
]


# The milestone admin's two actions have their own tests below.
MILESTONE_ACTIONS = {("milestone", "action_publish"), ("milestone", "action_withdraw")}


def test_every_registry_admin_action_is_in_the_table():
    """Each action a registry ModelAdmin registers has a case here, and no case is stale."""
    cases = {("initiative", case.action) for case in CASES}
    assert custom_actions("registry") == cases | MILESTONE_ACTIONS


def test_the_committee_publishes_a_draft_milestone_through_the_admin(client, committee_member):
    client.force_login(committee_member)
    assert {"action_publish", "action_withdraw"} <= offered_actions(client, Milestone)
    milestone = make_milestone(make_initiative(), title="Lắp xong đèn")
    response = run_action(client, Milestone, "action_publish", milestone, None)
    assert shown_messages(response) == [("success", "Đã cập nhật 1 mốc tiến độ.")]
    milestone.refresh_from_db()
    assert (milestone.status, milestone.published_by) == ("published", committee_member)
    again = run_action(client, Milestone, "action_publish", milestone, None)
    refused = "Không thể thực hiện: mốc tiến độ đang ở tình trạng “Đã công bố”."
    assert shown_messages(again) == [("error", f"10/04/2023 · Lắp xong đèn: {refused}")]


def test_withdrawing_in_the_admin_asks_for_the_reason_first(client, committee_member):
    client.force_login(committee_member)
    milestone = make_published_milestone(make_initiative())
    before = snapshot(milestone)
    page = start_action(client, Milestone, "action_withdraw", milestone)
    assert 'name="reason"' in page.content.decode()
    blank = apply_action(client, Milestone, "action_withdraw", milestone, {"reason": ""})
    assert "errorlist" in blank.content.decode()
    assert snapshot(milestone) == before
    run_action(client, Milestone, "action_withdraw", milestone, {"reason": "Ghi nhầm"})
    milestone.refresh_from_db()
    assert (milestone.status, milestone.withdrawn_reason) == ("withdrawn", "Ghi nhầm")


def test_a_staff_user_without_publish_milestone_is_not_offered_the_actions(client):
    client.force_login(staff_without("registry.publish_milestone"))
    offered = offered_actions(client, Milestone)
    assert not {"action_publish", "action_withdraw"} & offered
    milestone = make_milestone(make_initiative())
    apply_action(client, Milestone, "action_publish", milestone, {})
    assert Milestone.objects.get(pk=milestone.pk).status == "draft"


def test_a_published_milestone_is_read_only_in_the_admin_and_none_is_deleted(admin_client):
    published = make_published_milestone(make_initiative(), title="Đã công bố")
    html = admin_client.get(
        reverse("admin:registry_milestone_change", args=[published.pk])
    ).content.decode()
    assert "Đã công bố" in html and 'name="title"' not in html
    response = admin_client.post(
        reverse("admin:registry_milestone_change", args=[published.pk]),
        {"title": "Sửa lén", "occurred_on": "2023-04-10"},
    )
    assert response.status_code == 403
    assert Milestone.objects.get(pk=published.pk).title == "Đã công bố"
    delete = reverse("admin:registry_milestone_delete", args=[published.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:registry_milestone_add")).status_code == 403


def test_a_draft_is_edited_in_the_admin_through_the_workflow(admin_client, admin_user):
    draft = make_milestone(make_initiative(), title="Bản nháp")
    url = reverse("admin:registry_milestone_change", args=[draft.pk])
    data = {
        "title": "Bản nháp đã sửa",
        "body": "",
        "occurred_on": "2023-04-10",
        "planned_on": "",
        "progress_before": "",
        "progress_after": "",
        "progress_reason": "",
        "status_before": "",
        "status_after": "",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.title == "Bản nháp đã sửa"
    assert draft.history.latest().history_user == admin_user


def test_the_only_site_wide_admin_action_is_djangos_delete_selected():
    """A new site-wide action would escape the per-model tables: this fails first."""
    assert site_wide_actions() == {"delete_selected"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_permitted_user_runs_each_action_through_the_admin(request, client, case):
    """The action is offered, asks for its form first if it has one, saves, and logs who."""
    actor = request.getfixturevalue(case.actor)
    client.force_login(actor)
    assert case.action in offered_actions(client, Initiative)
    initiative = make_initiative(**case.start)
    before = snapshot(initiative)

    if case.form is not None:
        page = start_action(client, Initiative, case.action, initiative)
        html = page.content.decode()
        assert page.status_code == 200 and page.redirect_chain == []
        assert str(initiative) in html and 'name="apply"' in html
        for name in case.form:
            assert f'name="{name}"' in html
        assert snapshot(initiative) == before, "the first POST only asks"
        blank = apply_action(
            client, Initiative, case.action, initiative, dict.fromkeys(case.form, "")
        )
        assert blank.status_code == 200 and "errorlist" in blank.content.decode()
        assert snapshot(initiative) == before, "an empty form changes nothing"

    response = run_action(client, Initiative, case.action, initiative, case.form)

    assert shown_messages(response) == [("success", case.success)]
    initiative.refresh_from_db()
    assert {name: getattr(initiative, name) for name in case.done} == case.done
    assert initiative.updated_by == actor
    if case.done.get("published"):
        assert initiative.first_published_at is not None
    reason = (case.form or {}).get("reason", "")
    transitions = list(InitiativeTransition.objects.filter(initiative=initiative))
    if case.transition:
        assert [(t.from_status, t.to_status, t.by, t.reason) for t in transitions] == [
            (case.start["status"], case.done["status"], actor, reason)
        ]
    else:
        assert transitions == []
    latest = initiative.history.latest()
    assert latest.history_user == actor
    assert latest.history_change_reason == (reason or case.history_reason)
    assert initiative.history.count() == before["history rows"] + 1


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_staff_user_without_the_actions_permission_is_refused(client, case):
    """Holding every other permission, the user neither sees the action nor can post it."""
    client.force_login(staff_without(case.permission))
    offered = offered_actions(client, Initiative)
    assert offered, "the user sees the changelist and its other actions"
    assert case.action not in offered
    initiative = make_initiative(**case.start)
    before = snapshot(initiative)

    response = apply_action(client, Initiative, case.action, initiative, case.form or {})

    shown = shown_messages(response)
    assert [level for level, _text in shown] == ["warning"]  # Django: "no action selected"
    assert snapshot(initiative) == before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_row_in_the_wrong_state_is_reported_and_left_alone(request, client, case):
    """The message names the row and why; nothing is saved, no history is written."""
    client.force_login(request.getfixturevalue(case.actor))
    initiative = make_initiative("Đường hoa Lê Lợi", **case.wrong)
    before = snapshot(initiative)

    response = run_action(client, Initiative, case.action, initiative, case.form)

    assert shown_messages(response) == [
        (case.wrong_level, f"Đường hoa Lê Lợi: {case.wrong_message}")
    ]
    assert snapshot(initiative) == before


# Django's own site-wide action, delete_selected ------------------------------------------

REGISTRY_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "registry"),
    key=lambda model: model._meta.model_name,
)


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda m: m._meta.model_name)
def test_neither_group_is_offered_deleting_registry_rows(client, official, committee_member, model):
    """Officials and the committee hold no delete permission on a page of the admin."""
    for user in (official, committee_member):
        client.force_login(user)
        assert "delete_selected" not in offered_actions(client, model)


def test_a_superuser_deletes_an_unused_organisation_after_confirming(admin_client):
    """delete_selected asks first, then deletes; the organisation is gone."""
    organisation = make_organization("Hội Khuyến học phường")
    first = start_action(admin_client, Organization, "delete_selected", organisation)
    assert "Hội Khuyến học phường" in first.content.decode()
    assert Organization.objects.filter(pk=organisation.pk).exists()

    response = admin_client.post(
        changelist_url(Organization),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [organisation.pk], "post": "yes"},
        follow=True,
    )

    assert [level for level, _text in shown_messages(response)] == ["success"]
    assert not Organization.objects.filter(pk=organisation.pk).exists()
