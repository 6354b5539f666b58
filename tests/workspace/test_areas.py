"""Residential areas (tổ dân phố, khu phố, cụm dân cư) kept in the workspace, not only the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from registry.models import ResidentialArea
from tests.factories import make_admin_unit, make_area, make_user
from wardmodels.groups import WARD_OFFICIALS

pytestmark = pytest.mark.django_db

LIST = reverse("workspace:area-list")
CREATE = reverse("workspace:area-create")


def test_ward_officials_may_add_and_change_residential_areas(official):
    group = Group.objects.get(name=WARD_OFFICIALS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_residentialarea", "add_residentialarea", "change_residentialarea"} <= codenames


def test_the_list_shows_each_area_with_its_kind_and_ward(official_client):
    make_area("Tổ dân phố Hải Thượng", kind="group")
    make_area("Cụm dân cư Bắc Kỳ", kind="cluster", admin_unit=make_admin_unit("Bắc Sơn"))
    page = official_client.get(LIST).content.decode()
    assert "Tổ dân phố Hải Thượng" in page
    assert "Cụm dân cư Bắc Kỳ" in page
    assert "Bắc Sơn" in page
    assert CREATE in page


def test_the_list_runs_the_same_queries_for_one_area_and_for_three(
    official_client, django_assert_max_num_queries
):
    make_area()
    official_client.get(LIST)  # warm the session and permission caches
    with django_assert_max_num_queries(8) as one:
        official_client.get(LIST)
    make_area()
    make_area()
    with django_assert_max_num_queries(len(one.captured_queries)):
        official_client.get(LIST)


def test_an_official_adds_a_residential_area(official_client):
    unit = make_admin_unit()
    response = official_client.post(
        CREATE, {"name": "Hải Thượng", "kind": "group", "admin_unit": unit.pk}
    )
    assert response.status_code == 302
    area = ResidentialArea.objects.get(name="Hải Thượng")
    assert (area.kind, area.admin_unit) == ("group", unit)
    assert response["Location"] == f"{LIST}#area-{area.pk}"


def test_the_same_area_twice_is_refused_and_what_was_typed_stays(official_client):
    unit = make_admin_unit()
    make_area("Hải Thượng", kind="group", admin_unit=unit)
    response = official_client.post(
        CREATE, {"name": "Hải Thượng", "kind": "group", "admin_unit": unit.pk}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "đã có" in page
    assert 'value="Hải Thượng"' in page
    assert ResidentialArea.objects.count() == 1


def test_an_official_renames_an_area(official_client):
    area = make_area("Hải Thượng", kind="group")
    url = reverse("workspace:area-edit", args=[area.pk])
    assert 'value="Hải Thượng"' in official_client.get(url).content.decode()
    official_client.post(
        url, {"name": "Hải Thượng 1", "kind": "group", "admin_unit": area.admin_unit_id}
    )
    area.refresh_from_db()
    assert area.name == "Hải Thượng 1"


def test_a_workspace_user_without_the_add_permission_sees_no_add_link_and_is_refused(client):
    from django.contrib.auth.models import Permission

    user = make_user("chixem")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_initiative", "view_residentialarea"])
    )
    client.force_login(user)
    make_area("Hải Thượng")
    assert CREATE not in client.get(LIST).content.decode()
    unit = make_admin_unit()
    response = client.post(CREATE, {"name": "Mới", "kind": "group", "admin_unit": unit.pk})
    assert response.status_code == 403
    assert not ResidentialArea.objects.filter(name="Mới").exists()


def test_the_model_form_links_to_the_areas_page(official_client):
    page = official_client.get(reverse("workspace:initiative-create")).content.decode()
    assert LIST in page


def test_the_models_list_and_the_guide_link_to_the_areas_page(official_client):
    assert LIST in official_client.get(reverse("workspace:initiative-list")).content.decode()
    assert LIST in official_client.get(reverse("workspace:guide")).content.decode()
