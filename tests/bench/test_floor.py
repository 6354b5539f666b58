"""The benchmark's floor view (TechEmpower "Fortunes") and its app exist only in
``bench.settings``."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

import wardmodels.settings as site_settings
from bench import settings as bench_settings
from bench.floor import FORTUNES, create_fortune_table


def test_bench_settings_differ_from_the_sites_only_by_the_bench_app_and_the_floor():
    def names(module):
        return {n: getattr(module, n) for n in dir(module) if n.isupper() and n[0] != "_"}

    site, bench = names(site_settings), names(bench_settings)
    assert site.keys() == bench.keys()
    assert {name for name in site if site[name] != bench[name]} == {
        "INSTALLED_APPS",
        "ROOT_URLCONF",
    }
    assert bench["INSTALLED_APPS"] == [*site["INSTALLED_APPS"], "bench"]
    assert bench["ROOT_URLCONF"] == "bench.urls"


@pytest.mark.django_db
def test_the_floor_and_seed_bench_are_not_part_of_the_site(client, settings):
    assert settings.ROOT_URLCONF == "wardmodels.urls"
    assert "bench" not in settings.INSTALLED_APPS
    assert client.get("/bench/fortunes/").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("bench-fortunes")
    with pytest.raises(CommandError, match="Unknown command"):
        call_command("seed_bench", initiatives=2, donations=10, verbosity=0)


@pytest.mark.django_db
def test_the_floor_sorts_twelve_fortunes_plus_one_and_escapes_them(client, bench_site):
    create_fortune_table(connection)
    response = client.get("/bench/fortunes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr>") == len(FORTUNES) + 2  # header, 12 rows, the added one
    assert "&lt;script&gt;alert(" in html and "<script>" not in html
    assert "Additional fortune added at request time." in html
    assert html.index("A bad random") < html.index("Additional fortune") < html.index("fortune:")
