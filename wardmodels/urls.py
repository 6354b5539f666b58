from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-ly/", include("registry.workspace_urls")),
    path("", include("registry.urls")),
]

if settings.SERVE_MEDIA:
    # Only photos are public media; private files (dossiers) live outside this prefix and are
    # served by permission-checking views. Behind a reverse proxy, let it serve /media/photos/.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>photos/.+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
            name="public-media",
        )
    ]
