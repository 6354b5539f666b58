"""The site's URLs plus one whose view fails, to see what an unhandled error produces (tests only).

The site's own URLs stay, as in production: middleware may name them (the workspace prefix).
"""

from django.urls import path

from wardmodels.urls import urlpatterns as site_urlpatterns


def failing(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("failing/", failing), *site_urlpatterns]
