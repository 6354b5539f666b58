"""The residents' pages, namespace "public": the home page, the registry and the summary."""

from django.urls import path

from .views import feedback, registry, report

app_name = "public"

urlpatterns = [
    path("", registry.home, name="home"),
    path("mo-hinh/", registry.InitiativeListView.as_view(), name="initiative-list"),
    path("mo-hinh/<slug:slug>/", registry.InitiativeDetailView.as_view(), name="initiative-detail"),
    path("mo-hinh/<slug:slug>/gop-y/", feedback.feedback_submit, name="feedback-submit"),
    path("bao-cao/", report.public_report, name="report"),
    path("gop-y/", feedback.feedback_list, name="feedback-list"),
    path("gop-y/<str:code>/", feedback.feedback_track, name="feedback-track"),
    path("gop-y/<str:code>/danh-gia/", feedback.feedback_rate, name="feedback-rate"),
]
