"""The shared cache (Redis) down: public pages still served, feedback still accepted within
its limits, and a change made during the outage not hidden by pages cached before it.

The outage is real: the cache points at a Redis address where nothing listens (connection
refused), through the project's own backend and timeouts (``wardmodels.settings.env_cache``).
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from participation.models import Feedback
from registry.workflow import initiative_set_published
from tests.factories import make_initiative
from wardmodels import formclock, pagecache
from wardmodels.settings import env_cache

pytestmark = pytest.mark.django_db

WORKING = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def _down(monkeypatch) -> dict:
    # Port 1 on this machine: nothing listens there, every connection is refused at once.
    monkeypatch.setenv("WARDMODELS_TEST_DOWN_CACHE", "redis://127.0.0.1:1/0")
    return {"default": env_cache("WARDMODELS_TEST_DOWN_CACHE", "locmem://")}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CACHES = WORKING
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    pagecache._owed.clear()
    settings.CACHES = WORKING
    cache.clear()


def test_the_cache_settings_bound_the_wait_for_an_unreachable_server(monkeypatch):
    options = _down(monkeypatch)["default"]["OPTIONS"]
    assert options["socket_connect_timeout"] <= 1 and options["socket_timeout"] <= 1


def test_public_pages_are_served_without_the_cache(client, settings, monkeypatch):
    initiative = make_initiative("Đường hoa Lê Lợi")
    settings.CACHES = _down(monkeypatch)
    with pytest.raises(pagecache.UNAVAILABLE):
        cache.get("anything")  # the outage is real
    for url in ("/", "/mo-hinh/", initiative.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response  # neither looked up nor stored
        assert "Đường hoa Lê Lợi" in response.content.decode()


def _feedback(client, initiative, n):
    return client.post(
        reverse("public:feedback-submit", args=[initiative.slug]),
        {
            "kind": "suggestion",
            "text": f"Đề nghị phường lắp thêm đèn ở đầu ngõ số {n} vì buổi tối rất tối.",
            "phone": "0912345678",
            "form_started": formclock.stamp(),
        },
    )


def test_feedback_is_accepted_and_its_limits_counted_from_saved_rows(client, settings, monkeypatch):
    settings.FEEDBACK_MIN_SECONDS = 0
    settings.FEEDBACK_LIMIT_PER_HOUR = 2
    initiative = make_initiative("Đường hoa Lê Lợi")
    settings.CACHES = _down(monkeypatch)
    assert _feedback(client, initiative, 1).status_code == 302
    assert _feedback(client, initiative, 2).status_code == 302
    refused = _feedback(client, initiative, 3)
    assert refused.status_code == 429
    assert "2 góp ý trong một giờ" in refused.content.decode()
    assert "đầu ngõ số 3" in refused.content.decode()  # the resident's text is kept
    # The same phone from another address is the same sender.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _feedback(other, initiative, 4).status_code == 429
    assert Feedback.objects.count() == 2


def test_a_change_made_during_the_outage_is_announced_when_the_cache_is_back(
    client, official, settings, monkeypatch
):
    initiative = make_initiative("Đường hoa Lê Lợi")
    assert client.get("/mo-hinh/")["X-Page-Cache"] == "miss"
    assert client.get("/mo-hinh/")["X-Page-Cache"] == "hit"
    settings.CACHES = _down(monkeypatch)
    staff = Client()
    staff.force_login(official)
    response = staff.post(reverse("workspace:initiative-unpublish", args=[initiative.pk]))
    assert response.status_code == 302  # the write itself does not need the cache
    initiative_set_published(initiative=initiative, by=official, published=False)
    assert pagecache._owed.is_set()
    # The cache comes back with the page stored before the change: it is not served.
    settings.CACHES = WORKING
    after = client.get("/mo-hinh/")
    assert after["X-Page-Cache"] == "miss"
    assert "Đường hoa Lê Lợi" not in after.content.decode()
    assert not pagecache._owed.is_set()
