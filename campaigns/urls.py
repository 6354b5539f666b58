"""Staff URLs of the campaigns app, under the workspace prefix /quan-ly/."""

from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("quan-ly/khen-thuong/<int:pk>/giay-khen/", views.certificate, name="certificate"),
    path("quan-ly/ho-so/<int:pk>/tai-ve/", views.dossier_download, name="dossier-download"),
    path(
        "quan-ly/cong-nhan/<int:pk>/<slug:action>/",
        views.recognition_transition,
        name="recognition-transition",
    ),
    path(
        "quan-ly/khen-thuong/<int:pk>/<slug:action>/",
        views.commendation_transition,
        name="commendation-transition",
    ),
]
