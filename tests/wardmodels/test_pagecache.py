"""The anonymous public-page cache: served to visitors, invalidated by every write."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import path, reverse

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


# --- The lookup sits before the session/CSRF/auth middleware ---------------------------------


def _headers(response) -> dict:
    return {name.lower(): value for name, value in response.headers.items()}


def _cookie(response, name) -> dict:
    morsel = response.cookies[name]
    return {key: morsel[key] for key in ("path", "max-age", "samesite", "httponly", "secure")}


@pytest.mark.parametrize("path", ["/", "/mo-hinh/", "detail"])
def test_a_hit_carries_exactly_the_headers_and_csrf_cookie_of_a_miss(client, path):
    from django.conf import settings
    from django.test import Client

    initiative = make_initiative("Đường hoa Lê Lợi")
    url = initiative.get_absolute_url() if path == "detail" else path
    miss = Client().get(url)
    hit = Client().get(url)
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    miss_headers, hit_headers = _headers(miss), _headers(hit)
    assert miss_headers.pop("x-page-cache") == "miss"
    assert hit_headers.pop("x-page-cache") == "hit"
    assert hit_headers == miss_headers
    for name in (
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "content-language",
        "vary",
        "content-type",
        "content-length",
    ):
        assert name in hit_headers, name
    assert hit_headers["content-language"] == "vi"
    assert "Cookie" in hit_headers["vary"]
    assert int(hit_headers["content-length"]) == len(hit.content)
    # A first-time visitor gets a CSRF cookie from a hit as from a miss, with the same flags.
    assert list(hit.cookies) == list(miss.cookies) == [settings.CSRF_COOKIE_NAME]
    assert _cookie(hit, settings.CSRF_COOKIE_NAME) == _cookie(miss, settings.CSRF_COOKIE_NAME)
    assert (
        hit.cookies[settings.CSRF_COOKIE_NAME].value
        != miss.cookies[settings.CSRF_COOKIE_NAME].value
    )


def test_a_hit_makes_no_query_and_skips_the_session(client, django_assert_num_queries):
    make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    from django.test import Client

    visitor = Client()
    with django_assert_num_queries(0):
        hit = visitor.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")


def test_a_returning_visitor_keeps_their_csrf_secret_and_the_form_works(client):
    from django.conf import settings
    from django.middleware.csrf import _unmask_cipher_token

    make_initiative("Đường hoa Lê Lợi")
    client.get("/")  # miss: this visitor's CSRF cookie is set
    secret = client.cookies[settings.CSRF_COOKIE_NAME].value
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    token = TOKEN.search(hit.content.decode()).group(1)
    assert _unmask_cipher_token(token) == secret  # a token for their own secret
    assert hit.cookies[settings.CSRF_COOKIE_NAME].value == secret  # re-sent, as Django does
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_hit_with_a_malformed_csrf_cookie_replaces_it_as_django_does(client):
    from django.conf import settings
    from django.middleware.csrf import _unmask_cipher_token

    make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    client.cookies[settings.CSRF_COOKIE_NAME] = "not-a-token!"
    hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    new_secret = hit.cookies[settings.CSRF_COOKIE_NAME].value
    assert new_secret != "not-a-token!" and len(new_secret) == 32
    token = TOKEN.search(hit.content.decode()).group(1)
    assert _unmask_cipher_token(token) == new_secret


def test_a_stolen_token_from_a_hit_does_not_work_with_another_cookie(client):
    from django.test import Client

    make_initiative("Đường hoa Lê Lợi")
    client.get("/")
    victim = Client(enforce_csrf_checks=True)
    token = TOKEN.search(victim.get("/").content.decode()).group(1)
    attacker = Client(enforce_csrf_checks=True)
    attacker.get("/")  # a cookie of their own
    response = attacker.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 403


def test_the_language_cookie_chooses_the_cached_copy_as_the_language_middleware_does(client):
    from django.conf import settings
    from django.test import Client

    make_initiative("Đường hoa Lê Lợi")

    def visitor(language=None):
        c = Client()
        if language is not None:
            c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return c

    assert visitor("en").get("/")["X-Page-Cache"] == "miss"
    english = visitor("en").get("/")
    assert english["X-Page-Cache"] == "hit" and english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    # Vietnamese visitors never get the English copy: theirs is another entry.
    assert visitor().get("/")["X-Page-Cache"] == "miss"
    for cookie in (None, "vi", "fr", ""):  # no choice, or an unsupported one: Vietnamese
        hit = visitor(cookie).get("/")
        assert hit["X-Page-Cache"] == "hit", cookie
        assert hit["Content-Language"] == "vi"
        assert '<html lang="vi"' in hit.content.decode()


def test_pages_outside_the_cacheable_views_are_neither_looked_up_nor_stored(client):
    from unittest import mock

    from wardmodels import pagecache

    make_initiative("Đường hoa Lê Lợi")
    with (
        mock.patch.object(pagecache.cache, "get_many", wraps=pagecache.cache.get_many) as many,
        mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as one,
    ):
        for _ in range(2):
            response = client.get(reverse("login"))
            assert response.status_code == 200 and "X-Page-Cache" not in response
        assert client.get("/khong-co-trang-nay/").status_code == 404
        assert many.call_count == one.call_count == 0
        client.get("/")
        assert many.call_count + one.call_count >= 1


def test_a_visitor_with_a_session_cookie_is_not_served_even_before_the_session_loads(
    client, official
):
    from django.conf import settings
    from django.test import Client

    make_initiative("Đường hoa Lê Lợi")
    Client().get("/")
    assert Client().get("/")["X-Page-Cache"] == "hit"
    stranger = Client()
    stranger.cookies[settings.SESSION_COOKIE_NAME] = "whatever"
    assert "X-Page-Cache" not in stranger.get("/")
    stranger.cookies.pop(settings.SESSION_COOKIE_NAME)
    stranger.cookies["messages"] = "x"
    assert "X-Page-Cache" not in stranger.get("/")


def test_the_redis_backend_reuses_one_client_per_pool():
    from wardmodels.cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool
    assert client.connection_pool is backend._cache._get_connection_pool(False)


def _token_outside_a_form(request):
    from django.middleware.csrf import get_token

    return HttpResponse(f'<meta name="csrf" content="{get_token(request)}">')


def _token_in_a_form(request):
    from django.template import RequestContext, Template

    return HttpResponse(Template("<form>{% csrf_token %}</form>").render(RequestContext(request)))


# For the test below only (@pytest.mark.urls): two pages that hand out a CSRF token.
urlpatterns = [
    path("meta/", _token_outside_a_form, name="token-meta"),
    path("form/", _token_in_a_form, name="token-form"),
]


@pytest.mark.urls(__name__)
def test_a_page_with_a_token_outside_a_form_field_is_never_stored(client, settings):
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE_VIEWS = {"token-meta", "token-form"}
    for _ in range(2):
        assert "X-Page-Cache" not in Client().get("/meta/")
    assert Client().get("/form/")["X-Page-Cache"] == "miss"
    assert Client().get("/form/")["X-Page-Cache"] == "hit"


def test_a_local_copy_is_used_only_for_the_current_version_and_until_it_expires(client):
    from unittest import mock

    from django.test import Client

    from wardmodels import pagecache

    initiative = make_initiative("Đường hoa Lê Lợi")
    url = initiative.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    with mock.patch.object(pagecache.cache, "get", wraps=pagecache.cache.get) as get:
        assert Client().get(url)["X-Page-Cache"] == "hit"
    # This process kept the page: only the version number was read from the shared cache.
    assert [call.args[0] for call in get.call_args_list] == [pagecache.VERSION_KEY]

    # Another server changed something: the local copy is stale at once.
    pagecache.public_pages_changed()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"

    # Past the shared entry's lifetime (PAGE_CACHE_SECONDS = 60), the copy is not used.
    later = pagecache.time.time() + 61
    with mock.patch.object(pagecache.time, "time", return_value=later):
        assert Client().get(url)["X-Page-Cache"] == "miss"


def test_a_new_release_never_serves_the_previous_releases_pages(client, settings):
    """Deployed code, templates or translations change pages without any write."""
    from wardmodels import pagecache

    initiative = make_initiative("Đường hoa Lê Lợi")
    url = initiative.get_absolute_url()
    settings.PAGE_CACHE_RELEASE = "phat-hanh-1"
    pagecache.release.cache_clear()
    try:
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
        settings.PAGE_CACHE_RELEASE = "phat-hanh-2"
        pagecache.release.cache_clear()
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
    finally:
        pagecache.release.cache_clear()


def test_the_default_release_is_a_digest_of_what_shapes_a_page(settings, tmp_path):
    from wardmodels import pagecache

    settings.PAGE_CACHE_RELEASE = ""
    pagecache.release.cache_clear()
    try:
        settings.STATIC_ROOT = tmp_path
        first = pagecache.release()
        pagecache.release.cache_clear()
        (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.1.css"}}')
        second = pagecache.release()
        assert len(first) == 16 and first != second
        pagecache.release.cache_clear()
        assert pagecache.release() == second  # the same files, the same release
    finally:
        pagecache.release.cache_clear()
