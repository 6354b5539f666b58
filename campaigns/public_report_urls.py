"""The public summary (/bao-cao/), included at the site root by wardmodels/urls.py."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("bao-cao/", report_views.public_report, name="public-report"),
]
