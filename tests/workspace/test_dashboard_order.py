"""The dashboard shows the cards with work first; empty "(0)" cards follow, each group in
the usual order (``SECTIONS``)."""

import pytest
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from tests.factories import make_initiative
from wardmodels.workspace.dashboard import SECTIONS

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workspace:dashboard")


def test_cards_with_work_come_before_empty_ones_each_in_the_usual_order(official_client):
    make_initiative("Ngôi nhà trí tuệ", status=S.REGISTERED, published=False)
    make_initiative("Chợ an toàn thực phẩm")  # implementing, without photos
    response = official_client.get(DASHBOARD)
    shown = [s.key for s in response.context["sections"]]
    usual = [s.key for s in (p(response.wsgi_request) for p in SECTIONS) if s is not None]
    assert sorted(shown) == sorted(usual)
    assert shown[:2] == ["awaiting", "no-photos"]
    assert shown[2:] == [key for key in usual if key not in ("awaiting", "no-photos")]
    assert not any(s.items for s in response.context["sections"][2:])


def test_the_page_shows_the_busy_card_above_the_empty_ones(official_client):
    make_initiative("Ngôi nhà trí tuệ", status=S.REGISTERED, published=False)
    page = official_client.get(DASHBOARD).content.decode()
    assert page.index('id="section-awaiting"') < page.index('id="section-returned"')
    assert page.index('id="section-awaiting"') < page.index('id="section-drafts"')
