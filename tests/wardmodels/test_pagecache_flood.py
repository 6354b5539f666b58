"""The page cache cannot be flooded: random query parameters add no entries, in real Redis.

Before, each request to ``/mo-hinh/?x=<random>`` stored a page of its own (2,000 requests,
2,000 entries, in the Redis that also holds the feedback limits). Now a page is keyed by the
parameters its view knows (``PAGE_CACHE_QUERY_PARAMS``), anything else is rendered afresh and
not stored, and the pages live in a cache alias of their own (``CACHES["pages"]``).
"""

import secrets

import pytest
import redis
from django.db import connection
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

# A database of the machine's Redis that no other test uses (grep redis:// in tests/).
REDIS_URL = f"redis://127.0.0.1:6379/{14 if connection.vendor == 'postgresql' else 13}"
FLOOD = 300


@pytest.fixture
def pages_in_redis(settings):
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # the machine's Redis must run: fail, never skip
    client.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {"BACKEND": "wardmodels.cache.RedisCache", "LOCATION": REDIS_URL},
    }
    settings.PAGE_CACHE_SECONDS = 60
    yield client
    client.flushdb()


def _page_keys(client) -> int:
    return len(client.keys("*pagecache:p2:*"))


def test_random_unknown_parameters_add_no_page_to_redis(pages_in_redis):
    factories.make_initiative("Đường hoa Lê Lợi")
    visitor = Client()
    assert visitor.get("/mo-hinh/")["X-Page-Cache"] == "miss"
    before = _page_keys(pages_in_redis)
    for _ in range(FLOOD):
        response = visitor.get("/mo-hinh/", {"x": secrets.token_hex(8)})
        assert response.status_code == 200
        assert "X-Page-Cache" not in response  # rendered afresh, not stored
        assert "Đường hoa Lê Lợi" in response.content.decode()
    assert _page_keys(pages_in_redis) - before <= 3
    assert visitor.get("/mo-hinh/")["X-Page-Cache"] == "hit"


def test_a_tracking_tag_next_to_known_parameters_is_not_stored_either(pages_in_redis):
    visitor = Client()
    for n in range(20):
        visitor.get("/mo-hinh/", {"kind": "model", "fbclid": f"tag{n}"})
        visitor.get("/gop-y/", {"utm_source": f"zalo{n}"})
        visitor.get("/", {"ref": str(n)})
    assert _page_keys(pages_in_redis) == 0


def test_known_parameters_in_any_order_share_one_entry(pages_in_redis):
    visitor = Client()
    assert visitor.get("/mo-hinh/?kind=model&status=implementing")["X-Page-Cache"] == "miss"
    assert visitor.get("/mo-hinh/?status=implementing&kind=model")["X-Page-Cache"] == "hit"
    assert _page_keys(pages_in_redis) == 1


def test_the_pages_stay_out_of_the_default_cache(pages_in_redis):
    from django.core.cache import caches

    Client().get("/")
    assert _page_keys(pages_in_redis) == 1
    assert not [key for key in caches["default"]._cache if "pagecache" in key]


def test_the_settings_give_the_pages_their_own_capped_cache():
    from django.conf import settings

    pages = settings.CACHES["pages"]
    assert pages is not settings.CACHES["default"]
    assert pages["LOCATION"] == "pages"  # a local-memory store of its own …
    assert pages["OPTIONS"]["MAX_ENTRIES"] == 1000  # … with a cap


def test_the_known_parameters_are_the_views_own_form_fields():
    """A filter added to a page must be added here, or its pages are never cached."""
    from django.conf import settings

    from campaigns.report_forms import PublicReportForm
    from wardmodels.public.filters import InitiativeFilter
    from wardmodels.public.views.feedback import PublicFeedbackFilter

    known = settings.PAGE_CACHE_QUERY_PARAMS
    assert known["public:initiative-list"] == {*InitiativeFilter.base_filters, "page"}
    assert known["public:feedback-list"] == {*PublicFeedbackFilter.base_fields, "page"}
    assert known["public:report"] == set(PublicReportForm.base_fields)
    assert set(known) <= settings.PUBLIC_PAGE_CACHE_VIEWS
