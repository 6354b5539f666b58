"""Every public page tells Zalo and Facebook what to show when it is shared (Open Graph and
Twitter card tags), with absolute addresses; a model's page shows its first photo."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from registry.short_links import initiative_short_code
from tests import factories
from tests.urls_walk import project_routes

pytestmark = pytest.mark.django_db

REQUIRED = (
    "og:title",
    "og:description",
    "og:url",
    "og:locale",
    "og:type",
    "og:image",
    "twitter:card",
)
ABSOLUTE = ("og:url", "og:image")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content") or "")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs.get("href") or "")


def _tags(response) -> _Tags:
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc == "testserver"


@pytest.fixture
def public_model():
    initiative = factories.make_initiative("Đường hoa Lê Lợi", summary="Trồng 310 chậu hoa giấy.")
    factories.make_photo(initiative, alt_text="Hoa giấy trên vỉa hè")
    initiative_short_code(initiative)
    return initiative


# Public routes that answer files, not pages: nothing to preview.
NOT_HTML = (
    "favicon",
    "healthz",
    "public-media",
    "public:initiative-qr",
    "public:opendata-file",
    "public:opendata-feed",
    "public:opendata-catalog",
    "public:opendata-datapackage",
    # a resident's private tracking page (reached only with its token; never shared) and its
    # rating, a POST
    "public:feedback-track",
    "public:feedback-rate",
)


def _html_pages(public_model) -> list[str]:
    """Every public route that answers an HTML page, filled with real objects."""
    gone = factories.make_initiative(published=False, first_published_at=None)
    values = {
        "slug": public_model.slug,
        "year": 2023,
        "month": 4,
        "code": initiative_short_code(gone),  # the plain page of a model no longer public
    }
    urls = []
    for route in project_routes():
        if not route.public or route.name in NOT_HTML:
            continue
        if route.name.startswith("<unnamed") or route.name == "set_language":
            continue
        urls.append(reverse(route.name, kwargs={p: values[p] for p in route.params} or None))
    return urls


def test_every_public_page_has_the_preview_tags_with_absolute_addresses(client, public_model):
    urls = _html_pages(public_model)
    assert "/mo-hinh/" in urls and public_model.get_absolute_url() in urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        tags = _tags(response)
        for key in REQUIRED:
            assert tags.meta.get(key) and all(v.strip() for v in tags.meta[key]), (url, key)
            assert len(tags.meta[key]) == 1, (url, key)
        for key in ABSOLUTE:
            assert _absolute(tags.meta[key][0]), (url, key, tags.meta[key])
        assert tags.meta["og:locale"] == ["vi_VN"]
        assert tags.meta["og:locale:alternate"] == ["en_US"]
        assert tags.meta["twitter:card"] == ["summary_large_image"]
        assert tags.canonical == [f"http://testserver{url.split('?')[0]}"], url
        assert tags.meta["og:url"] == tags.canonical, url


def test_a_model_page_previews_its_title_summary_and_first_photo(client, public_model):
    tags = _tags(client.get(public_model.get_absolute_url()))
    photo = public_model.photos.get()
    assert tags.meta["og:title"] == ["Đường hoa Lê Lợi"]
    assert tags.meta["og:description"] == ["Trồng 310 chậu hoa giấy."]
    assert tags.meta["og:type"] == ["article"]
    assert tags.meta["og:image"] == [f"http://testserver{photo.image.url}"]
    assert tags.meta["og:image:alt"] == ["Hoa giấy trên vỉa hè"]


def test_a_model_without_a_photo_previews_the_ward_image(client):
    initiative = factories.make_initiative("Ngôi nhà trí tuệ")
    tags = _tags(client.get(initiative.get_absolute_url()))
    assert tags.meta["og:image"] == ["http://testserver/static/img/og-default.png"]
    assert tags.meta["og:image:width"] == ["1200"] and tags.meta["og:image:height"] == ["630"]
    assert client.get("/static/img/og-default.png").status_code == 200


def test_a_photo_that_needs_consent_is_never_the_preview(client):
    initiative = factories.make_initiative()
    factories.make_photo(initiative, shows_identifiable_people=True, people_consented=False)
    tags = _tags(client.get(initiative.get_absolute_url()))
    assert tags.meta["og:image"] == ["http://testserver/static/img/og-default.png"]


def test_the_english_page_says_so_in_its_locale(client, public_model):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    tags = _tags(client.get("/"))
    assert tags.meta["og:locale"] == ["en_US"]
    assert tags.meta["og:locale:alternate"] == ["vi_VN"]


def test_a_host_outside_allowed_hosts_gets_no_preview_but_the_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"evil.example" not in response.content


def test_an_upload_makes_the_1200_by_630_preview_the_model_page_shares(client):
    import io

    from PIL import Image

    from registry.images import process_photo

    processed = process_photo(factories.uploaded_image(size=(800, 1000)))
    assert Image.open(io.BytesIO(processed.preview.read())).size == (1200, 630)
    processed.preview.seek(0)
    initiative = factories.make_initiative()
    photo = factories.make_photo(initiative, preview=processed.preview)
    tags = _tags(client.get(initiative.get_absolute_url()))
    assert tags.meta["og:image"] == [f"http://testserver{photo.preview.url}"]
    assert tags.meta["og:image:width"] == ["1200"] and tags.meta["og:image:height"] == ["630"]
    assert client.get(photo.preview.url).status_code == 200


def test_the_migration_makes_previews_for_photos_stored_before(client):
    from importlib import import_module

    from django.apps import apps
    from PIL import Image

    from registry.models import Photo

    migration = import_module("registry.migrations.0009_short_links")
    photo = factories.make_photo(factories.make_initiative())
    assert not photo.preview
    migration.make_previews(apps, None)
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.preview.name.startswith("photos/previews/")
    with photo.preview.open("rb") as stored:
        assert Image.open(stored).size == (1200, 630)
