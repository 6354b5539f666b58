"""Every initiative transition: allowed, refused from the wrong state or without permission,
and written down (who, when, from, to, why)."""

import pytest

from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.forms import InitiativeForm
from registry.models import InitiativeTransition
from registry.workflow import WorkflowError
from tests.factories import make_initiative, make_user

pytestmark = pytest.mark.django_db

# (function, starting state, resulting state, role that may, role that may not, kwargs)
CASES = [
    (workflow.initiative_submit, S.DRAFT, S.REGISTERED, "official", "committee", {}),
    (workflow.initiative_approve, S.REGISTERED, S.IMPLEMENTING, "committee", "official", {}),
    (
        workflow.initiative_return,
        S.REGISTERED,
        S.DRAFT,
        "committee",
        "official",
        {"reason": "Thiếu địa bàn"},
    ),
    (workflow.initiative_complete, S.IMPLEMENTING, S.COMPLETED, "official", "committee", {}),
    (
        workflow.initiative_discontinue,
        S.IMPLEMENTING,
        S.DISCONTINUED,
        "committee",
        "official",
        {"reason": "Không còn phù hợp"},
    ),
    (workflow.initiative_resume, S.DISCONTINUED, S.IMPLEMENTING, "committee", "official", {}),
]
IDS = [case[0].__name__ for case in CASES]


@pytest.fixture
def people(official, committee_member):
    return {"official": official, "committee": committee_member}


@pytest.mark.parametrize(("func", "source", "target", "may", "may_not", "kwargs"), CASES, ids=IDS)
def test_transition_moves_the_state_and_writes_history(
    people, func, source, target, may, may_not, kwargs
):
    initiative = make_initiative(status=source, published=False)
    func(initiative=initiative, by=people[may], **kwargs)

    initiative.refresh_from_db()
    assert initiative.status == target
    assert initiative.updated_by == people[may]
    row = InitiativeTransition.objects.get(initiative=initiative)
    assert (row.from_status, row.to_status, row.by) == (source, target, people[may])
    assert row.reason == kwargs.get("reason", "")
    assert initiative.history.first().status == target


@pytest.mark.parametrize(("func", "source", "target", "may", "may_not", "kwargs"), CASES, ids=IDS)
def test_transition_is_refused_without_the_permission(
    people, func, source, target, may, may_not, kwargs
):
    initiative = make_initiative(status=source, published=False)
    with pytest.raises(WorkflowError) as exc:
        func(initiative=initiative, by=people[may_not], **kwargs)
    assert exc.value.code == "permission"
    initiative.refresh_from_db()
    assert initiative.status == source
    assert not InitiativeTransition.objects.exists()


@pytest.mark.parametrize(("func", "source", "target", "may", "may_not", "kwargs"), CASES, ids=IDS)
def test_transition_is_refused_from_any_other_state(
    people, func, source, target, may, may_not, kwargs
):
    for other in set(S) - {source}:
        initiative = make_initiative(status=other, published=False)
        with pytest.raises(WorkflowError) as exc:
            func(initiative=initiative, by=people[may], **kwargs)
        assert exc.value.code == "wrong_state"
        initiative.refresh_from_db()
        assert initiative.status == other
    assert not InitiativeTransition.objects.exists()


def test_repeating_a_transition_is_a_clear_error_not_a_second_change(official):
    initiative = make_initiative(status=S.DRAFT, published=False)
    workflow.initiative_submit(initiative=initiative, by=official)
    with pytest.raises(WorkflowError, match="Đã đăng ký"):
        workflow.initiative_submit(initiative=initiative, by=official)
    assert InitiativeTransition.objects.count() == 1


@pytest.mark.parametrize("func", [workflow.initiative_return, workflow.initiative_discontinue])
def test_returning_or_discontinuing_needs_a_reason(committee_member, func):
    source = S.REGISTERED if func is workflow.initiative_return else S.IMPLEMENTING
    initiative = make_initiative(status=source, published=False)
    with pytest.raises(WorkflowError) as exc:
        func(initiative=initiative, by=committee_member, reason="   ")
    assert exc.value.code == "reason_required"
    initiative.refresh_from_db()
    assert initiative.status == source


def test_an_inactive_user_cannot_act_even_with_the_permission(official):
    official.is_active = False
    official.save()
    initiative = make_initiative(status=S.DRAFT, published=False)
    with pytest.raises(WorkflowError) as exc:
        workflow.initiative_submit(initiative=initiative, by=official)
    assert exc.value.code == "permission"
    initiative.refresh_from_db()
    assert initiative.status == S.DRAFT


def test_allowed_actions_lists_what_this_user_may_do_now(official, committee_member):
    registered = make_initiative(status=S.REGISTERED, published=False)
    assert workflow.allowed_actions(workflow.TRANSITIONS, registered, committee_member) == [
        "approve",
        "return",
    ]
    assert workflow.allowed_actions(workflow.TRANSITIONS, registered, official) == []


def test_publishing_freezes_the_slug_and_repeating_it_changes_nothing(official):
    initiative = make_initiative(
        "Đường hoa", status=S.IMPLEMENTING, published=False, first_published_at=None
    )
    workflow.initiative_set_published(initiative=initiative, by=official, published=True)
    initiative.refresh_from_db()
    first = initiative.first_published_at
    assert initiative.published and first is not None

    workflow.initiative_set_published(initiative=initiative, by=official, published=True)
    workflow.initiative_set_published(initiative=initiative, by=official, published=False)
    workflow.initiative_set_published(initiative=initiative, by=official, published=True)
    initiative.refresh_from_db()
    assert initiative.first_published_at == first

    data = {
        f: getattr(initiative, f)
        for f in ("code", "kind", "subject", "location", "summary", "description")
    }
    data.update(
        title="Tên đã đổi",
        slug="duong-khac",
        field=initiative.field_id,
        admin_unit=initiative.admin_unit_id,
    )
    form = InitiativeForm(data=data, instance=initiative)
    assert form.is_valid(), form.errors
    form.save()
    initiative.refresh_from_db()
    assert initiative.title == "Tên đã đổi"
    assert initiative.slug.startswith("duong-hoa")


def test_publishing_needs_the_permission():
    nobody = make_user()
    initiative = make_initiative(published=False, first_published_at=None)
    with pytest.raises(WorkflowError) as exc:
        workflow.initiative_set_published(initiative=initiative, by=nobody, published=True)
    assert exc.value.code == "permission"
    initiative.refresh_from_db()
    assert not initiative.published


def test_a_new_initiative_gets_a_readable_slug_from_its_title(official):
    from tests.factories import make_admin_unit, make_field

    form = InitiativeForm(
        data={
            "code": "TS-99",
            "kind": "model",
            "subject": "collective",
            "title": "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
            "field": make_field().pk,
            "admin_unit": make_admin_unit().pk,
        }
    )
    assert form.is_valid(), form.errors
    assert form.save().slug == "dam-bao-my-quan-do-thi-duong-hoa-le-loi"


def test_saving_a_models_content_names_who_created_and_changed_it_in_the_row_and_history(
    official,
):
    from registry.models import Initiative

    base = make_initiative("Tạm", published=False)
    initiative = Initiative(
        title="Ngõ sáng Trung Sơn",
        code="NS-00001",
        slug="ngo-sang-trung-son",
        admin_unit=base.admin_unit,
        field=base.field,
        status=S.DRAFT,
        published=False,
    )
    areas = []
    workflow.initiative_save(
        initiative=initiative, by=official, save_related=lambda saved: areas.append(saved.pk)
    )
    initiative.refresh_from_db()
    assert (initiative.created_by, initiative.updated_by) == (official, official)
    assert areas == [initiative.pk]  # its related rows are written with it
    initiative.title = "Ngõ sáng Trung Sơn (sửa)"
    admin = make_user(is_superuser=True)
    workflow.initiative_save(initiative=initiative, by=admin)
    initiative.refresh_from_db()
    assert (initiative.created_by, initiative.updated_by) == (official, admin)
    latest = initiative.history.first()
    assert (latest.title, latest.history_user) == ("Ngõ sáng Trung Sơn (sửa)", admin)


def test_saving_a_models_content_without_the_permission_is_refused_and_writes_nothing(
    official,
):
    initiative = make_initiative("Đường hoa", published=False)
    initiative.title = "Đổi tên"
    nobody = make_user()
    with pytest.raises(WorkflowError) as refused:
        workflow.initiative_save(initiative=initiative, by=nobody)
    assert refused.value.code == "permission"
    initiative.refresh_from_db()
    assert initiative.title == "Đường hoa"
