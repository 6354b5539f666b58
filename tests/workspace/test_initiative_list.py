"""The workspace list: every model, drafts and unpublished ones included, with filters."""

import pytest
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from tests.factories import make_initiative
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("workspace:initiative-list")


def titles(response):
    return sorted(i.title for i in response.context["initiatives"])


def test_the_list_shows_drafts_registered_and_unpublished_models(official_client):
    make_initiative("Công khai")
    make_initiative("Dự thảo", status=S.DRAFT, published=False)
    make_initiative("Chờ duyệt", status=S.REGISTERED, published=False)
    make_initiative("Chưa công khai", published=False)
    response = official_client.get(LIST)
    assert titles(response) == ["Chưa công khai", "Chờ duyệt", "Công khai", "Dự thảo"]
    html = response.content.decode()
    first = response.context["initiatives"][0]
    assert reverse("workspace:initiative-detail", args=[first.pk]) in html


def test_the_list_filters_by_status_and_publication(official_client):
    make_initiative("Công khai")
    make_initiative("Dự thảo", status=S.DRAFT, published=False)
    make_initiative("Chưa công khai", published=False)
    assert titles(official_client.get(LIST, {"status": "draft"})) == ["Dự thảo"]
    assert titles(official_client.get(LIST, {"published": "no"})) == ["Chưa công khai", "Dự thảo"]
    assert titles(official_client.get(LIST, {"published": "yes"})) == ["Công khai"]
    assert titles(official_client.get(LIST, {"q": "du thao"})) == ["Dự thảo"]


def test_an_invalid_filter_value_says_so_instead_of_failing(official_client):
    response = official_client.get(LIST, {"status": "nonsense"})
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()


def test_the_list_costs_the_same_queries_with_more_models(official_client):
    make_initiative("Một", status=S.DRAFT, published=False)

    def grow():
        make_initiative("Hai")
        make_initiative("Ba", status=S.REGISTERED, published=False)

    response = assert_constant_queries(lambda: official_client.get(LIST), grow)
    assert len(response.context["initiatives"]) == 3
