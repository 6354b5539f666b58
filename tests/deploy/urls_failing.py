"""A URL whose view fails, to see what an unhandled error produces (tests only)."""

from django.urls import path


def failing(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("failing/", failing)]
