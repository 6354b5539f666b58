"""The workspace's summary report pages: the report, its print view and exports.

Thin views: bind the GET form, build the report (``campaigns.reports``), render or export.
Nothing here changes data; every view answers GET only.
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from campaigns import exports
from campaigns.charts import report_charts
from campaigns.report_forms import ReportForm
from campaigns.reports import WORKSPACE, build_report, years_with_data
from registry.permissions import require_permission, workspace_required

# Running and exporting the summary reports (both groups have it: migration 0006).
REPORT_PERMISSION = "campaigns.view_report"


def _report_form(request) -> ReportForm:
    require_permission(request, REPORT_PERMISSION)
    years = years_with_data(WORKSPACE)
    return ReportForm(request.GET, default_year=years[0] if years else None)


def _place_name() -> str:
    ward = settings.WARD_NAME
    return ward.split(" ", 1)[1] if ward.lower().startswith(("phường ", "xã ")) else ward


# Rows of each list of decisions on a screen; the print view and the exports have them all.
SCREEN_DECISIONS = 200


def _context(request, form: ReportForm, *, decision_limit: int | None) -> dict:
    context = {"form": form, "report": None, "charts": None, "audience": WORKSPACE}
    if form.is_valid():
        report = build_report(form.report_period(), WORKSPACE, decision_limit=decision_limit)
        query = request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        context.update(
            report=report,
            charts=report_charts(report),
            print_url=reverse("workspace:report-print") + suffix,
            xlsx_url=reverse("workspace:report-xlsx") + suffix,
            csv_url=reverse("workspace:report-csv") + suffix,
            screen_url=reverse("workspace:report") + suffix,
        )
    return context


@require_GET
@workspace_required
def report(request):
    """The report page: choose the period and filters, read the sections and charts."""
    form = _report_form(request)
    return render(
        request, "campaigns/report.html", _context(request, form, decision_limit=SCREEN_DECISIONS)
    )


@require_GET
@workspace_required
def report_print(request):
    """The same report laid out as a Vietnamese administrative report on A4."""
    form = _report_form(request)
    context = _context(request, form, decision_limit=None)
    context.update(
        ward_name=settings.WARD_NAME, place_name=_place_name(), today=timezone.localdate()
    )
    status = 200 if context["report"] else 400
    return render(request, "campaigns/report_print.html", context, status=status)


def _invalid(form) -> HttpResponseBadRequest:
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")


@require_GET
@workspace_required
def report_xlsx(request):
    form = _report_form(request)
    if not form.is_valid():
        return _invalid(form)
    return exports.xlsx_response(build_report(form.report_period(), WORKSPACE))


@require_GET
@workspace_required
def report_csv(request):
    form = _report_form(request)
    if not form.is_valid():
        return _invalid(form)
    return exports.csv_response(form.report_period())
