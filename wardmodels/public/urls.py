"""The residents' pages, namespace "public": the home page, the registry, each model's
timeline, printed poster, QR code, monthly notice and feedback form, the posters' short links,
the summary, the residents' feedback (how to send it, the forms about a model or the ward,
the private tracking page, the published items with their answers) and the open data."""

from django.urls import path

from .views import feedback, notices, opendata, posters, registry, report, timeline

app_name = "public"

urlpatterns = [
    path("", registry.home, name="home"),
    path("mo-hinh/", registry.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/<slug:slug>/", registry.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("mo-hinh/<slug:slug>/poster/", posters.poster, name="initiative-poster"),
    path("mo-hinh/<slug:slug>/qr.<str:fmt>", posters.qr_code, name="initiative-qr"),
    path(
        "mo-hinh/<slug:slug>/cong-khai/<int:year>/<int:month>/",
        notices.notice,
        name="initiative-notice",
    ),
    # The short link printed on posters: keep it short and never change its form.
    path("q/<str:code>", posters.short_link, name="short-link"),
    path(
        "mo-hinh/<slug:slug>/tien-do/",
        timeline.initiative_timeline,
        name="initiative-timeline",
    ),
    path("mo-hinh/<slug:slug>/gop-y/", feedback.feedback_submit, name="feedback-submit"),
    path("bao-cao/", report.public_report, name="report"),
    path("du-lieu-mo/", opendata.opendata, name="opendata"),
    path("du-lieu-mo/feed.atom", opendata.opendata_feed, name="opendata-feed"),
    path("du-lieu-mo/catalog.jsonld", opendata.opendata_catalog, name="opendata-catalog"),
    path(
        "du-lieu-mo/v1/datapackage.json",
        opendata.opendata_datapackage,
        name="opendata-datapackage",
    ),
    # Any name and suffix reach the view, so that a mistyped file gets the open-data 404 page
    # listing the files that exist.
    path("du-lieu-mo/v1/<str:name>.<str:fmt>", opendata.opendata_file, name="opendata-file"),
    path("gop-y/", feedback.feedback_list, name="feedback-list"),
    # Before the tracking page's pattern: these are words, never feedback codes (GY-…).
    path("gop-y/gui/", feedback.feedback_start, name="feedback-start"),
    path("gop-y/chung/", feedback.feedback_ward, name="feedback-ward"),
    path("gop-y/<str:code>/", feedback.feedback_track, name="feedback-track"),
    path("gop-y/<str:code>/danh-gia/", feedback.feedback_rate, name="feedback-rate"),
]
