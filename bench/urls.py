"""The benchmark's URLconf (``bench.settings``): the site plus the floor view.

The floor does what TechEmpower's "Fortunes" test does: one query of 12 rows from a small
table, one row added in memory, a sort, an escaped HTML table rendered by a template. It
passes through the same middleware as every page, so a page's ratio to the floor measures
what the page itself costs. The table is created by the harness (``bench/floor.py``); it is
not part of the application's schema.
"""

from operator import itemgetter

from django.db import connection
from django.shortcuts import render
from django.urls import path

from bench.floor import FORTUNE_TABLE
from wardmodels.urls import urlpatterns as site_urlpatterns


def fortunes(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, message FROM {FORTUNE_TABLE}")  # noqa: S608 - constant
        rows = cursor.fetchall()
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=itemgetter(1))
    return render(request, "bench/fortunes.html", {"fortunes": rows})


urlpatterns = [path("bench/fortunes/", fortunes, name="bench-fortunes"), *site_urlpatterns]
