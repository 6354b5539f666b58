"""The residents' pages, namespace "public": the home page, the registry and the summary."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("mo-hinh/", views.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("bao-cao/", views.public_report, name="report"),
]
