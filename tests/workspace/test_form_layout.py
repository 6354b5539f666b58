"""The model form reads in a sensible order, in headed sections, and its multi-selects say
how to pick several (or are checkboxes, which need no hint and no JavaScript)."""

import re

import pytest
from django.urls import reverse

from registry.forms import WorkspaceInitiativeForm
from tests.factories import make_area, make_organization

pytestmark = pytest.mark.django_db

CREATE = reverse("workspace:initiative-create")


def _names_in_page_order(page: str) -> list[str]:
    names = re.findall(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', page)
    return list(
        dict.fromkeys(
            n for n in names if not n.startswith(("csrf", "indicators", "commitments", "photos"))
        )
    )


def test_the_model_form_asks_what_where_what_for_who_when_and_how_much_in_that_order(
    official_client,
):
    make_organization("Hội Nông dân phường")
    page = official_client.get(CREATE).content.decode()
    order = _names_in_page_order(page)
    expected = [
        "kind", "subject", "title", "code", "slug",
        "admin_unit", "residential_areas", "location",
        "field", "summary", "description", "legal_basis",
        "lead_organization", "partner_organizations",
        "started_on", "ended_on",
        "funding_target",
        "replicated_from", "adaptation_notes",
    ]  # fmt: skip
    assert [n for n in order if n in expected] == [n for n in expected if n in order]
    assert set(expected) - {"legal_basis"} <= set(order)


def test_the_model_form_has_a_heading_per_section(official_client):
    page = official_client.get(CREATE).content.decode()
    legends = re.findall(r'<fieldset class="form-section">\s*<legend>([^<]+)</legend>', page)
    assert legends[:6] == [
        "Mô hình là gì",
        "Ở đâu",
        "Làm gì",
        "Ai thực hiện",
        "Khi nào",
        "Kinh phí",
    ]


def test_every_field_of_the_form_is_in_a_section():
    named = {n for _heading, names in WorkspaceInitiativeForm.fieldsets for n in names}
    visible = {f.name for f in WorkspaceInitiativeForm().visible_fields()}
    assert visible <= named


def test_partner_organisations_are_checkboxes_under_one_legend(official_client):
    hoi = make_organization("Hội Nông dân phường")
    page = official_client.get(CREATE).content.decode()
    assert re.search(
        r'<legend>Tổ chức phối hợp</legend>.*?type="checkbox" name="partner_organizations" '
        rf'value="{hoi.pk}"',
        page,
        re.S,
    )
    assert 'select name="partner_organizations"' not in page


def test_the_residential_areas_list_box_says_how_to_pick_several(official_client):
    make_area("Hải Thượng")
    page = official_client.get(CREATE).content.decode()
    assert re.search(r'<select name="residential_areas"[^>]*multiple', page)
    assert "Giữ Ctrl (Cmd trên Mac) để chọn nhiều" in page
    assert 'aria-describedby="id_residential_areas_helptext"' in page


def test_checked_partners_are_saved_and_ticked_again(official_client):
    from registry.models import Initiative
    from tests.workspace.helpers import initiative_post_data

    first, second = make_organization("Hội Phụ nữ"), make_organization("Đoàn Thanh niên")
    data = initiative_post_data()
    data["partner_organizations"] = [str(first.pk), str(second.pk)]
    response = official_client.post(CREATE, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get()
    assert set(initiative.partner_organizations.all()) == {first, second}
    edit = official_client.get(reverse("workspace:initiative-edit", args=[initiative.pk]))
    assert (
        len(
            re.findall(
                r'name="partner_organizations" value="\d+"[^>]*checked', edit.content.decode()
            )
        )
        == 2
    )
