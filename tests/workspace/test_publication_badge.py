"""A model that residents cannot see yet never looks public: the button on a draft says what
it does, and the badge says the truth (only implementing, completed and discontinued models
that are published are on the public pages)."""

import re

import pytest
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


def _detail(initiative):
    return reverse("workspace:initiative-detail", args=[initiative.pk])


def _badges(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<span class="badge (badge-(?:published|unpublished|publish-pending))"[^>]*>([^<]+)', html
    )


@pytest.mark.parametrize("status", [S.DRAFT, S.REGISTERED])
def test_a_model_not_yet_approved_offers_publication_on_approval(official_client, status):
    initiative = make_initiative(status=status, published=False)
    html = official_client.get(_detail(initiative)).content.decode()
    assert "Công khai khi được phê duyệt" in html
    assert "Công khai trên trang của phường" not in html
    assert "sẽ hiện công khai khi được phê duyệt" in html


def test_an_approved_model_offers_publication_now(official_client):
    initiative = make_initiative(status=S.IMPLEMENTING, published=False)
    html = official_client.get(_detail(initiative)).content.decode()
    assert "Công khai trên trang của phường" in html
    assert "Công khai khi được phê duyệt" not in html


@pytest.mark.parametrize("status", [S.DRAFT, S.REGISTERED])
def test_a_published_draft_is_not_shown_with_the_green_public_badge(official_client, status):
    initiative = make_initiative(status=status, published=True)
    official_client.post(reverse("workspace:initiative-publish", args=[initiative.pk]))
    html = official_client.get(_detail(initiative)).content.decode()
    assert _badges(html) == [("badge-publish-pending", "Sẽ công khai sau khi phê duyệt")]
    listing = official_client.get(reverse("workspace:initiative-list")).content.decode()
    assert ("badge-published", "Công khai") not in _badges(listing)
    assert ("badge-publish-pending", "Sẽ công khai sau khi phê duyệt") in _badges(listing)


@pytest.mark.parametrize("status", [S.IMPLEMENTING, S.COMPLETED, S.DISCONTINUED])
def test_a_published_approved_model_has_the_public_badge(official_client, status):
    initiative = make_initiative(status=status, published=True)
    html = official_client.get(_detail(initiative)).content.decode()
    assert _badges(html) == [("badge-published", "Công khai")]


def test_an_unpublished_model_says_so(official_client):
    initiative = make_initiative(status=S.IMPLEMENTING, published=False)
    html = official_client.get(_detail(initiative)).content.decode()
    assert _badges(html) == [("badge-unpublished", "Chưa công khai")]
