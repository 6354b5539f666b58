"""The residents' pages, namespace "public": the home page, the registry and the summary."""

from django.urls import path

from .views import registry, report, timeline

app_name = "public"

urlpatterns = [
    path("", registry.home, name="home"),
    path("mo-hinh/", registry.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/<slug:slug>/", registry.InitiativeDetailView.as_view(), name="initiative-detail"),
    path(
        "mo-hinh/<slug:slug>/tien-do/",
        timeline.initiative_timeline,
        name="initiative-timeline",
    ),
    path("bao-cao/", report.public_report, name="report"),
]
