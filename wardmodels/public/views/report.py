"""The public summary report (/bao-cao/): aggregates only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from campaigns.charts import report_charts
from campaigns.report_forms import PublicReportForm
from campaigns.reports import PUBLIC, build_report, years_with_data

# Rows of each list of decisions on the public summary.
PUBLIC_DECISIONS = 50


@require_GET
def public_report(request):
    """The residents' summary: aggregates only, public models, published decisions."""
    years = years_with_data(PUBLIC)
    form = PublicReportForm(request.GET or None, years=years)
    if form.is_bound and not form.is_valid():
        form = PublicReportForm(None, years=years)
    if not form.is_bound:
        form.cleaned_data = {}
    report = build_report(form.report_period(), PUBLIC, decision_limit=PUBLIC_DECISIONS)
    return render(
        request,
        "campaigns/public_report.html",
        {"form": form, "report": report, "charts": report_charts(report), "audience": PUBLIC},
    )
