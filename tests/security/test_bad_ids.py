"""Values no key can read, and numbers no column can hold, are refused where Django lets them
through: the admin's autocomplete widget, its history pages and date hierarchies, ``__in`` on
an integer column (SQLite cannot bind a number beyond 64 bits), the login's user name as
django-axes records it, a money sum of 10,000 digits."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import Client

from campaigns.forms import CommendationProposalForm
from registry.money import MoneyParseError, parse_vnd
from tests import factories

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(factories.make_user("quantri", is_staff=True, is_superuser=True))
    return client


def test_an_integer_in_lookup_leaves_out_numbers_no_column_can_hold():
    group = Group.objects.create(name="Tổ dân phố 1")
    assert list(Group.objects.filter(pk__in=[group.pk, int(HUGE)])) == [group]
    assert list(Group.objects.filter(pk__in=[int(HUGE), -int(HUGE)])) == []


def test_the_admin_group_form_refuses_a_huge_permission_id(admin_client):
    response = admin_client.post("/admin/auth/group/add/", {"name": "Tổ", "permissions": HUGE})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["permissions"]
    assert not Group.objects.filter(name="Tổ").exists()


@pytest.mark.parametrize("value", ["²", "9" * 10_000, HUGE])
def test_an_admin_add_page_shows_an_unreadable_autocomplete_value_as_nothing_chosen(
    admin_client, value
):
    page = admin_client.get("/admin/registry/residentialarea/add/", {"admin_unit": value})
    assert page.status_code == 200
    sent = admin_client.post("/admin/registry/residentialarea/add/", {"admin_unit": value})
    assert sent.status_code == 200
    assert sent.context["adminform"].form.errors["admin_unit"]


def test_a_history_page_with_an_unreadable_id_is_not_found(admin_client):
    assert admin_client.get("/admin/registry/initiative/%C2%B2/history/").status_code == 404
    assert admin_client.get("/admin/campaigns/pledge/abc/history/").status_code == 404


def test_a_date_hierarchy_year_too_large_is_a_wrong_filter(admin_client):
    for path in ("/admin/registry/legaldocument/", "/admin/axes/accesslog/"):
        field = "issued_on" if "legal" in path else "attempt_time"
        response = admin_client.get(path, {f"{field}__year": HUGE})
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")


def test_a_ten_thousand_character_user_name_is_recorded_cut_to_its_column():
    response = Client().post("/accounts/login/", {"username": "a" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == "a" * 255


def test_a_money_sum_of_ten_thousand_digits_is_refused_with_a_message():
    with pytest.raises(MoneyParseError, match="quá nhiều chữ số"):
        parse_vnd("9" * 10_000)
    assert parse_vnd("9" * 30) == int("9" * 30)  # the form says it is over the ceiling


def test_the_commendation_form_reads_a_huge_initiative_as_none_chosen():
    form = CommendationProposalForm(initial={"initiative": HUGE})
    assert "<select" in str(form["contributor"])
    assert not form.fields["contributor"].queryset.exists()


def test_the_milestone_discard_ignores_ids_that_are_not_numbers(admin_client):
    initiative = factories.make_initiative()
    draft = factories.make_milestone(initiative, title="Nháp bỏ đi")
    response = admin_client.post(
        f"/quan-ly/mo-hinh/{initiative.pk}/tien-do/bo-du-thao/",
        {"milestones": ["²", "9" * 10_000, str(draft.pk)], "reason": "Trùng"},
    )
    assert response.status_code == 302
    # The readable id is discarded; the others are no id at all, not an error.
    draft.refresh_from_db()
    assert draft.status == "withdrawn" and draft.withdrawn_reason == "Trùng"
