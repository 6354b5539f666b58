from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.static import serve


def favicon(request):
    # Pages name their icon in base.html; browsers still ask for /favicon.ico on the admin's
    # pages and on a photo opened on its own.
    return redirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("campaigns.urls")),  # staff pages under /quan-ly/ (issue 4)
    path("", include("registry.urls")),
]


def public_media(request, path):
    # MEDIA_ROOT is read per request, not frozen when this module is imported (tests, and the
    # browser tests' live server, point it at a fresh folder per test).
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.SERVE_MEDIA:
    # Only photos are public media; private files (dossiers) live outside this prefix and are
    # served by permission-checking views. Behind a reverse proxy, let it serve /media/photos/.
    urlpatterns += [
        re_path(r"^media/(?P<path>photos/.+)$", public_media, name="public-media"),
    ]
