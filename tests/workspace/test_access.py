"""Who may open which workspace page: anonymous → login, no permission → 403, POST-only → 405."""

import pytest
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from registry.models import InitiativeTransition, OversightActivity
from tests.factories import make_initiative, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return make_initiative("Đường điện thắp sáng khu dân cư", status=S.REGISTERED, published=False)


def _pages(initiative):
    pk = initiative.pk
    return [
        reverse("workspace:dashboard"),
        reverse("workspace:initiative-list"),
        reverse("workspace:initiative-create"),
        reverse("workspace:initiative-detail", args=[pk]),
        reverse("workspace:initiative-edit", args=[pk]),
        reverse("workspace:initiative-preview", args=[pk]),
        reverse("workspace:initiative-history", args=[pk]),
        reverse("workspace:oversight", args=[pk]),
    ]


def _post_only(initiative, activity):
    pk = initiative.pk
    return [
        reverse("workspace:initiative-submit", args=[pk]),
        reverse("workspace:initiative-complete", args=[pk]),
        reverse("workspace:initiative-publish", args=[pk]),
        reverse("workspace:initiative-unpublish", args=[pk]),
        reverse("workspace:oversight-resolve", args=[activity.pk]),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, initiative):
    for url in _pages(initiative):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_a_user_without_the_workspace_permission_gets_the_403_page(client, initiative):
    client.force_login(make_user("nguoidan"))
    for url in _pages(initiative):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền truy cập" in response.content.decode(), url


def test_the_committee_sees_the_workspace_but_cannot_edit(committee_client, initiative):
    for url in _pages(initiative):
        if url.endswith(("/sua/", "/them/")):
            assert committee_client.get(url).status_code == 403, url
        else:
            response = committee_client.get(url)
            assert response.status_code == 200, url
            assert "Không có quyền truy cập" not in response.content.decode()


def test_an_official_opens_every_page(official_client, initiative):
    for url in _pages(initiative):
        response = official_client.get(url)
        assert response.status_code == 200, url


def test_get_on_a_post_only_url_is_refused_and_changes_nothing(official_client, initiative):
    activity = OversightActivity.objects.create(
        initiative=initiative, kind="inspection", happened_on="2023-03-01", note="Kiểm tra"
    )
    activity.follow_up_due = "2023-03-10"
    activity.save()
    for url in _post_only(initiative, activity):
        assert official_client.get(url).status_code == 405, url
    initiative.refresh_from_db()
    activity.refresh_from_db()
    assert (initiative.status, initiative.published) == (S.REGISTERED, False)
    assert not activity.resolved
    assert not InitiativeTransition.objects.exists()


def test_a_user_without_the_permission_cannot_post_an_action(client, initiative):
    client.force_login(make_user("nguoidan"))
    response = client.post(reverse("workspace:initiative-publish", args=[initiative.pk]))
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert not initiative.published


def test_the_header_links_to_the_workspace_only_for_users_with_access(client, official, db):
    url = reverse("workspace:dashboard")
    assert f'href="{url}"' not in client.get("/").content.decode()
    client.force_login(make_user("nguoidan"))
    assert f'href="{url}"' not in client.get("/").content.decode()
    client.force_login(official)
    html = client.get("/").content.decode()
    assert f'href="{url}"' in html
    assert "Quản lý" in html
