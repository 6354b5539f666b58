from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from wardmodels.health import healthz
from wardmodels.views import favicon, public_media

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Only the auth views the site uses: there is no e-mail, so no self-service password
    # reset (the ward's administrator sets a new password in the admin).
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Django's set_language redirects on GET without changing anything; POST only, like every
    # other state change on the site.
    path("i18n/setlang/", require_POST(set_language), name="set_language"),
    path("quan-ly/", include("wardmodels.workspace.urls")),
    path("", include("wardmodels.public.urls")),
]


if settings.SERVE_MEDIA:
    # Only photos are public media; private files (dossiers) live outside this prefix and are
    # served by permission-checking views. Behind a reverse proxy, let it serve /media/photos/.
    urlpatterns += [
        re_path(
            r"^media/photos/(?P<path>.+)$",
            public_media,
            name="public-media",
        )
    ]
