"""The admin: the party committee decides registrations there, through workflow.py."""

import re
from html import unescape

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from registry.models import Initiative
from tests.factories import make_initiative
from tests.workspace.helpers import edit_post_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_initiative_changelist")


def _act(client, action, initiatives, **extra):
    """An action confirmed on its confirmation page (``apply``)."""
    data = {
        "action": action,
        ACTION_CHECKBOX_NAME: [i.pk for i in initiatives],
        "apply": "1",
        **extra,
    }
    return client.post(CHANGELIST, data, follow=True)


def test_publishing_from_the_admin_makes_the_model_public(official_client, client):
    initiative = make_initiative("Đường điện thắp sáng", published=False, first_published_at=None)
    _act(official_client, "action_publish", [initiative])
    initiative.refresh_from_db()
    assert initiative.published and initiative.first_published_at
    assert "Đường điện thắp sáng" in client.get(initiative.get_absolute_url()).content.decode()


def test_the_status_cannot_be_edited_in_the_change_form(admin_client):
    initiative = make_initiative(status=S.DRAFT, published=False)
    page = admin_client.get(reverse("admin:registry_initiative_change", args=[initiative.pk]))
    html = page.content.decode()
    assert 'name="status"' not in html
    assert 'name="published"' not in html
    assert 'name="title"' in html


def _history_rows(html: str) -> list[str]:
    """The rows of the admin's change-history table, as plain text (tags dropped)."""
    if 'id="change-history"' not in html:
        return []
    table = html.split('id="change-history"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    rows = [row.split("</tr>", 1)[0] for row in body.split("<tr>")[1:]]
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def test_the_history_view_shows_who_changed_which_field_from_what_to_what(admin_client, admin_user):
    """The change's own row names the field, its old and new value, and who changed it."""
    initiative = make_initiative("Tên cũ", status=S.DRAFT, published=False)
    data = edit_post_data(admin_client, initiative)
    data["title"] = "Tên mới"
    edit = reverse("workspace:initiative-edit", args=[initiative.pk])
    assert admin_client.post(edit, data).status_code == 302

    html = admin_client.get(
        reverse("admin:registry_initiative_history", args=[initiative.pk])
    ).content.decode()
    rows = _history_rows(html)
    assert len(rows) == 2, rows  # newest first: the edit, then the creation
    changed, created = rows
    assert changed.startswith("Tên mới ")
    assert f" {admin_user.username} " in f" {changed} "
    assert "Tên mô hình, điển hình: Tên cũ → Tên mới" in changed
    assert created.startswith("Tên cũ ") and "→" not in created


@pytest.mark.parametrize(
    "model",
    [
        "adminunit",
        "residentialarea",
        "field",
        "organization",
        "legaldocument",
        "initiative",
        "oversightactivity",
    ],
)
def test_every_registry_admin_page_opens(admin_client, model):
    make_initiative()
    for view in ("changelist", "add"):
        response = admin_client.get(reverse(f"admin:registry_{model}_{view}"))
        assert response.status_code == 200
        assert b"<form" in response.content


def test_the_groups_are_created_with_their_permissions():
    officials = set(
        Group.objects.get(name="ward_officials").permissions.values_list("codename", flat=True)
    )
    committee = set(
        Group.objects.get(name="party_committee").permissions.values_list("codename", flat=True)
    )
    assert {
        "submit_initiative",
        "complete_initiative",
        "add_initiative",
        "change_initiative",
    } <= officials
    assert {"approve_initiative", "discontinue_initiative"}.isdisjoint(officials)
    assert {"approve_initiative", "discontinue_initiative", "view_initiative"} <= committee
    assert {"add_initiative", "change_initiative", "submit_initiative"}.isdisjoint(committee)


def test_an_official_can_add_a_model_in_the_admin_with_an_indicator(official_client, official):
    from tests.factories import make_admin_unit, make_field

    field, unit = make_field(), make_admin_unit()
    prefix = {
        "indicators": 1,
        "commitments": 1,
        "photos": 0,
        "oversight_activities": 0,
        "transitions": 0,
    }
    data = {
        "code": "TS-07",
        "kind": "model",
        "subject": "collective",
        "title": "Ngôi nhà trí tuệ",
        "slug": "",
        "field": field.pk,
        "admin_unit": unit.pk,
        "indicators-0-label": "Đầu sách",
        "indicators-0-actual": "120",
        "indicators-0-order": "0",
        "commitments-0-text": "Giữ gìn sách",
        "commitments-0-order": "0",
    }
    for name, total in prefix.items():
        data[f"{name}-TOTAL_FORMS"] = total
        data[f"{name}-INITIAL_FORMS"] = 0
    response = official_client.post(reverse("admin:registry_initiative_add"), data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else ""
    )
    initiative = Initiative.objects.get(code="TS-07")
    assert initiative.slug == "ngoi-nha-tri-tue"
    assert initiative.status == S.DRAFT
    assert initiative.created_by == official
    assert initiative.indicators.get().label == "Đầu sách"
    assert initiative.commitments.get().text == "Giữ gìn sách"


# serialized_rollback: the flush after this test then leaves the tables empty (no post_migrate
# rows), so that a following test with serialized rollback can put its rows back.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_factories_restore_the_groups_after_a_flush():
    from django.core.management import call_command

    from tests.factories import make_committee_member

    call_command("flush", interactive=False, verbosity=0)
    member = make_committee_member()
    assert member.has_perm("registry.approve_initiative")
    assert member.has_perm("campaigns.decide_recognition")
