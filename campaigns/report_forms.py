"""The GET forms that choose a report's period and filters (workspace and public summary)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import AdminUnit, Field, Organization

from .models import ReviewRound
from .reports import ReportPeriod

PERIOD_YEAR = "year"
PERIOD_HALF = "half"
PERIOD_ROUND = "round"
PERIOD_RANGE = "range"
ALL_YEARS = "all"
# A date range longer than this is refused: the month chart and the report stay readable.
MAX_RANGE_DAYS = 366 * 10
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    """Period (year, half-year, review round or date range) and optional filters."""

    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=[
            (PERIOD_YEAR, _("Cả năm")),
            (PERIOD_HALF, _("Sáu tháng")),
            (PERIOD_ROUND, _("Theo đợt đánh giá")),
            (PERIOD_RANGE, _("Khoảng ngày")),
        ],
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    half = forms.TypedChoiceField(
        label=_("Sáu tháng"),
        choices=[(1, _("Sáu tháng đầu năm")), (2, _("Sáu tháng cuối năm"))],
        coerce=int,
        required=False,
    )
    review_round = forms.ModelChoiceField(
        label=_("Đợt đánh giá"),
        queryset=ReviewRound.objects.order_by("-period_end", "title"),
        required=False,
    )
    start = forms.DateField(label=_("Từ ngày"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_INPUT)
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.select_related("parent").order_by(
            "parent__order", "parent__name", "order", "name"
        ),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    admin_unit = forms.ModelChoiceField(
        label=_("Phường, xã (kể cả phường cũ)"),
        queryset=AdminUnit.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )
    lead_organization = forms.ModelChoiceField(
        label=_("Tổ chức chủ trì"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )

    def __init__(self, data=None, *, default_year: int | None = None, **kwargs):
        if data is not None and not data.get("period"):
            data = data.copy()
            data["period"] = PERIOD_YEAR
            data.setdefault("year", str(default_year or timezone.localdate().year))
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("period")
        if kind in (PERIOD_YEAR, PERIOD_HALF) and not cleaned.get("year"):
            self.add_error("year", ValidationError(_("Hãy chọn năm."), code="required"))
        if kind == PERIOD_HALF and not cleaned.get("half"):
            self.add_error("half", ValidationError(_("Hãy chọn sáu tháng."), code="required"))
        if kind == PERIOD_ROUND and not cleaned.get("review_round"):
            self.add_error(
                "review_round", ValidationError(_("Hãy chọn đợt đánh giá."), code="required")
            )
        if kind == PERIOD_RANGE:
            start, end = cleaned.get("start"), cleaned.get("end")
            if not start or not end:
                raise ValidationError(_("Hãy nhập cả ngày bắt đầu và ngày kết thúc."))
            if end < start:
                raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="order")
            if (end - start).days > MAX_RANGE_DAYS:
                raise ValidationError(_("Khoảng ngày quá dài (tối đa 10 năm)."), code="long")
        return cleaned

    def report_period(self) -> ReportPeriod:
        data = self.cleaned_data
        filters = {
            "field": data.get("field"),
            "admin_unit": data.get("admin_unit"),
            "lead_organization": data.get("lead_organization"),
        }
        kind = data["period"]
        if kind == PERIOD_ROUND:
            return ReportPeriod.for_round(data["review_round"], **filters)
        if kind == PERIOD_HALF:
            return ReportPeriod.for_half_year(data["year"], data["half"], **filters)
        if kind == PERIOD_RANGE:
            return ReportPeriod.for_range(data["start"], data["end"], **filters)
        return ReportPeriod.for_year(data["year"], **filters)


class PublicReportForm(forms.Form):
    """The public summary: one year with data, or all years."""

    year = forms.ChoiceField(label=_("Năm"), required=False)

    def __init__(self, data=None, *, years: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.years = years
        self.fields["year"].choices = [(str(y), str(y)) for y in years] + [
            (ALL_YEARS, _("Tất cả các năm"))
        ]

    def report_period(self) -> ReportPeriod:
        choice = self.cleaned_data.get("year") or (str(self.years[0]) if self.years else "")
        if choice == ALL_YEARS and self.years:
            return ReportPeriod(
                dt.date(min(self.years), 1, 1),
                dt.date(max(self.years), 12, 31),
                _("Từ năm %(first)s đến năm %(last)s")
                % {"first": min(self.years), "last": max(self.years)},
            )
        year = int(choice) if choice and choice != ALL_YEARS else timezone.localdate().year
        return ReportPeriod.for_year(year)
