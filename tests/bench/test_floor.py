"""The benchmark's floor view (TechEmpower "Fortunes") exists only in benchmark settings."""

import pytest
from django.urls import NoReverseMatch, reverse

from bench.floor import FORTUNES, create_fortune_table


@pytest.mark.django_db
def test_the_floor_is_not_reachable_in_normal_settings(client, settings):
    assert settings.ROOT_URLCONF == "wardmodels.urls"
    assert client.get("/bench/fortunes/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("bench-fortunes")


@pytest.mark.django_db
def test_the_floor_sorts_twelve_fortunes_plus_one_and_escapes_them(client, settings):
    from django.db import connection

    create_fortune_table(connection)
    settings.ROOT_URLCONF = "wardmodels.bench_urls"
    response = client.get("/bench/fortunes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr>") == len(FORTUNES) + 2  # header, 12 rows, the added one
    assert "&lt;script&gt;alert(" in html and "<script>" not in html
    assert "Additional fortune added at request time." in html
    assert html.index("A bad random") < html.index("Additional fortune") < html.index("fortune:")
