"""The summary report's workspace URLs: a plain list included into the ``workspace`` namespace
(registry/workspace_urls.py), so that names read ``workspace:report`` and so on."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("bao-cao/", report_views.report, name="report"),
    path("bao-cao/in/", report_views.report_print, name="report-print"),
    path("bao-cao/excel/", report_views.report_xlsx, name="report-xlsx"),
    path("bao-cao/danh-sach-mo-hinh.csv", report_views.report_csv, name="report-csv"),
]
