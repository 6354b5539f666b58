"""Contributors' addresses and phone numbers never reach a public page's HTML.

Every public URL is found by walking the URL configuration (so pages added later are
covered too), then fetched anonymously: each public model page, the list with its later
pages and filters, the 404 page, and any public export.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from campaigns.models import ContributorKind
from registry.choices import InitiativeStatus
from registry.models import Initiative
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge

pytestmark = pytest.mark.django_db

PHONE = "0912-PHONE-MARKER-4f7c2a"
ADDRESS = "ADDRESS-MARKER-9b1e Số 17 ngõ Bí Mật"
HIDDEN_NAME = "HIDDEN-NAME-MARKER-c3d8"
NOTE = "NOTE-MARKER-77aa ghi chú nội bộ"

# Not public: the admin, authentication, the workspace, language switch (POST), media files.
PRIVATE_PREFIXES = ("admin/", "accounts/", "quan-ly/", "i18n/", "media/")


def _routes(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def public_urls() -> list[str]:
    """Every public route, each parameter filled with every value that makes sense."""
    slugs = list(Initiative.objects.values_list("slug", flat=True))
    ids = [str(n) for n in range(1, 4)]
    urls = []
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(PRIVATE_PREFIXES) or route.startswith("^"):
            continue
        params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        if not params:
            urls.append("/" + route)
            continue
        values = slugs if params[0][0] in ("slug", "str", "") else ids
        for value in values:
            urls.append("/" + re.sub(r"<[^>]+>", value, route, count=1))
    return urls


@pytest.fixture
def ward_with_a_private_contributor():
    field = factories.make_field("Bảo vệ môi trường")
    # 14 public models: the list has a second page.
    public = [factories.make_initiative(field=field) for _ in range(14)]
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    consenting = make_contributor(
        "Hộ ông Đồng Ý",
        publish_name=True,
        publish_amount=True,
        phone=PHONE,
        address=ADDRESS,
        note=NOTE,
    )
    hidden = make_contributor(
        HIDDEN_NAME, kind=ContributorKind.BUSINESS, phone=PHONE + "-2", address=ADDRESS + "-2"
    )
    for initiative in [*public, draft]:
        make_donation(initiative=initiative, contributor=consenting, amount=1_000_000)
        make_donation(initiative=initiative, contributor=hidden, amount=2_000_000)
        make_pledge(initiative=initiative, contributor=consenting, description="Cam kết")
        make_expense(initiative=initiative)
    return public


def test_the_url_walk_finds_the_public_pages(ward_with_a_private_contributor):
    urls = public_urls()
    assert "/" in urls
    assert "/mo-hinh/" in urls
    for initiative in ward_with_a_private_contributor:
        assert initiative.get_absolute_url() in urls


def test_no_public_url_shows_a_contributors_phone_address_or_withheld_name(
    client, ward_with_a_private_contributor
):
    urls = public_urls() + [
        "/mo-hinh/?page=2",
        "/mo-hinh/?page=99",
        "/mo-hinh/?q=dong+y",
        "/mo-hinh/?q=ngo+bi+mat",  # words of the address: still nothing may surface
        "/mo-hinh/?status=nonsense",
        "/mo-hinh/khong-co-mo-hinh-nay/",
        "/khong-co-trang-nay/",
    ]
    seen_statuses = set()
    named_somewhere = False
    for url in urls:
        response = client.get(url, follow=True)
        seen_statuses.add(response.status_code)
        html = _body(response)
        for marker in (PHONE, ADDRESS, HIDDEN_NAME, NOTE, "PHONE-MARKER", "ADDRESS-MARKER"):
            assert marker not in html, f"{marker!r} leaked on {url}"
        named_somewhere = named_somewhere or "Hộ ông Đồng Ý" in html
    assert named_somewhere, "the consenting contributor should be named on some model page"
    assert 404 in seen_statuses
    assert 200 in seen_statuses


def test_the_404_page_does_not_echo_contributor_data(client, ward_with_a_private_contributor):
    response = client.get(f"/mo-hinh/{PHONE.lower()}/")
    assert response.status_code == 404
    html = _body(response)
    assert ADDRESS not in html
    assert HIDDEN_NAME not in html


def _body(response) -> str:
    """The page's text, whether rendered or streamed (static files, downloads)."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()
