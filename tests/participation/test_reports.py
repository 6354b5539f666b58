"""The feedback figures of a period: received, answered, answered on time, average rating, in
the report (build_report), the public summary, the workspace report and the exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.reports import PUBLIC, WORKSPACE, ReportPeriod, build_report
from participation import workflow
from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback_this_year(official):
    """Four received items on a public model (one late, two rated), one spam, one new, and one
    answered on a registered, unpublished model (counted for officials, not publicly)."""
    public = factories.make_initiative(code="R-01")
    draft = factories.make_initiative(code="R-09", status="registered", published=False)
    on_time = make_answered(public, by=official)
    workflow.feedback_rate(feedback=on_time, token=on_time.token, rating=5)
    late = make_answered(public, by=official)
    Feedback.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    workflow.feedback_rate(feedback=late, token=late.token, rating=2)
    waiting = make_feedback(public)
    workflow.feedback_receive(feedback=waiting, by=official)
    spam = make_feedback(public)
    workflow.feedback_receive(feedback=spam, by=official)
    workflow.feedback_mark_spam(feedback=spam, by=official)
    make_feedback(public)  # new: not received yet
    # Feedback on a model that is not public is counted only for officials.
    Feedback.objects.filter(pk=make_answered(public, by=official).pk).update(initiative=draft)
    return public


def _this_year():
    return ReportPeriod.for_year(timezone.localdate().year)


def test_the_report_counts_received_answered_on_time_and_the_average_rating(feedback_this_year):
    figures = build_report(_this_year(), WORKSPACE).feedback
    assert (figures.received, figures.answered, figures.answered_on_time) == (4, 3, 2)
    assert figures.average_rating == 3.5 and figures.rated == 2
    assert figures.on_time_percent == 67
    public = build_report(_this_year(), PUBLIC).feedback
    assert (public.received, public.answered, public.answered_on_time) == (3, 2, 1)


def test_another_period_counts_nothing(feedback_this_year):
    figures = build_report(ReportPeriod.for_year(2020), WORKSPACE).feedback
    assert (figures.received, figures.answered, figures.average_rating) == (0, 0, None)


def test_the_public_summary_and_the_workspace_report_show_the_figures(
    client, official_client, feedback_this_year
):
    year = timezone.localdate().year
    public = client.get(reverse("public:report"), {"year": year}).content.decode()
    assert "Góp ý của người dân" in public
    assert 'data-figure="feedback-received">3<' in public
    assert 'data-figure="feedback-on-time">1 (50%)<' in public
    workspace = official_client.get(reverse("workspace:report"), {"year": year}).content.decode()
    assert 'data-figure="feedback-received">4<' in workspace
    assert "3,5/5" in workspace or "3.5/5" in workspace


def test_the_exports_carry_the_figures(official_client, feedback_this_year):
    year = timezone.localdate().year
    response = official_client.get(reverse("workspace:report-xlsx"), {"year": year})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(body), read_only=True)
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["Góp ý của người dân tiếp nhận"] == 4
    assert summary["Góp ý đã trả lời"] == 3
    assert summary["Góp ý trả lời đúng hạn"] == 2
    assert summary["Điểm đánh giá trung bình của người dân (1–5)"] == 3.5
    response = official_client.get(reverse("workspace:report-csv"), {"year": year})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["R-01"][-2:] == ["3", "2"]
    assert by_code["R-09"][-2:] == ["1", "1"]


def test_no_export_carries_a_phone_or_a_name(official_client, official):
    make_answered(by=official, phone="0933444555", name="Tên Riêng Tư")
    year = timezone.localdate().year
    for name in ("workspace:report-xlsx", "workspace:report-csv"):
        response = official_client.get(reverse(name), {"year": year})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"0933444555" not in body and "Tên Riêng Tư".encode() not in body
