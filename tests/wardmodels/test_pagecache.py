"""The anonymous public-page cache (issue 7): served to visitors, invalidated by every write."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from registry.models import Initiative
from registry.workflow import initiative_set_published
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(client):
    initiative = make_initiative("Đường hoa Lê Lợi")
    first = client.get(initiative.get_absolute_url())
    second = client.get(initiative.get_absolute_url())
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Đường hoa Lê Lợi" in second.content.decode()
    assert "Cookie" in second["Vary"]


def test_a_cached_page_never_hands_one_visitors_csrf_token_to_another(client, django_user_model):
    from django.test import Client

    make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    other = Client()
    hit = other.get("/")
    assert hit["X-Page-Cache"] == "hit"
    token = TOKEN.search(hit.content.decode()).group(1)
    assert "__PAGECACHE" not in hit.content.decode()
    # The token is this visitor's own: the language switch works with it.
    response = other.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    other_token = TOKEN.search(Client().get("/").content.decode()).group(1)
    assert other_token != token


def test_a_change_through_the_workspace_is_visible_on_the_next_request(client, official):
    from django.test import Client

    initiative = make_initiative("Đường hoa Lê Lợi")
    assert client.get("/mo-hinh/")["X-Page-Cache"] == "miss"
    assert client.get("/mo-hinh/")["X-Page-Cache"] == "hit"
    staff = Client()
    staff.force_login(official)
    response = staff.post(reverse("workspace:initiative-unpublish", args=[initiative.pk]))
    assert response.status_code == 302
    assert not Initiative.objects.get(pk=initiative.pk).published
    after = client.get("/mo-hinh/")
    assert after["X-Page-Cache"] == "miss"
    assert "Đường hoa Lê Lợi" not in after.content.decode()


def test_a_workflow_call_outside_any_request_invalidates_on_commit(
    client, official, django_capture_on_commit_callbacks
):
    initiative = make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        initiative_set_published(initiative=initiative, by=official, published=False)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_new_donation_is_visible_on_the_next_request(
    client, official, django_capture_on_commit_callbacks
):
    from datetime import date

    from campaigns.workflow import donation_record
    from tests.campaigns.factories import make_contributor

    initiative = make_initiative("Đường hoa Lê Lợi")
    contributor = make_contributor(
        name="Hộ bà Nguyễn Thị Lan", publish_name=True, publish_amount=True
    )
    client.get(initiative.get_absolute_url())
    assert client.get(initiative.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        donation_record(
            initiative=initiative, contributor=contributor, kind="cash", amount=310_000_000,
            received_on=date(2023, 4, 1), receipt_number="PT-1", by=official,
        )  # fmt: skip
    page = client.get(initiative.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "Hộ bà Nguyễn Thị Lan" in page.content.decode()


def test_logged_in_users_are_never_served_from_the_cache(client, official):
    make_initiative("Đường hoa Lê Lợi")
    from django.test import Client

    Client().get("/")
    Client().get("/")  # cached for anonymous visitors now
    client.force_login(official)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "Đăng xuất" in response.content.decode()


def test_anonymous_posts_do_not_flush_the_cache(client):
    make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    from django.test import Client

    assert Client().get("/")["X-Page-Cache"] == "hit"


def test_without_a_page_cache_setting_nothing_is_cached(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")
