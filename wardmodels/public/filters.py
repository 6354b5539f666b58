"""The public list's filters (/mo-hinh/): field, area, former ward, status, kind, year,
recognised, progress band, no update for 90 days, and the search without diacritics."""

import datetime as dt

import django_filters
from django import forms
from django.db import router
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.queries import has_public_recognition
from registry.choices import (
    PROGRESS_BANDS,
    PUBLIC_STATUSES,
    STALE_AFTER_DAYS,
    AdminUnitKind,
    AreaKind,
    InitiativeKind,
)
from registry.constant_sql import constant_rows
from registry.models import AdminUnit, Field, Initiative, ResidentialArea
from registry.queries import search_initiatives
from registry.widgets import LightSelect, RowModelChoiceField


class RowModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice whose options are read as rows (``registry.widgets.RowChoiceIterator``)."""

    field_class = RowModelChoiceField


def _field_labels(rows):
    """``Field.__str__`` over ``(pk, name, parent name)`` rows."""
    return ((pk, f"{parent} › {name}" if parent is not None else name) for pk, name, parent in rows)


def _kind_labels(kinds):
    """``str()`` of an area or a ward (``"<kind label> <name>"``) over ``(pk, kind, name)``
    rows, with each kind's label translated once instead of once per row."""

    def label(rows):
        labels = {value: str(text) for value, text in kinds.choices}
        return ((pk, f"{labels.get(kind, kind)} {name}") for pk, kind, name in rows)

    return label


def _public_years():
    """Every year from the newest public model's to the oldest one's.

    Two index lookups (min and max) instead of a DISTINCT over every public row;
    a year in between without any model simply finds nothing. A constant statement, built
    by the ORM once per process (``registry.constant_sql``).
    """
    [(first, last)] = constant_rows(
        "public-years",
        router.db_for_read(Initiative),
        lambda: [
            tuple(
                Initiative.objects.public()
                .aggregate(first=Min("started_on"), last=Max("started_on"))
                .values()
            )
        ],
    )
    if first is None:
        return []
    return [(str(y), str(y)) for y in range(_year(last), _year(first) - 1, -1)]


def _year(value) -> int:
    # A date from PostgreSQL; SQLite's MIN/MAX of a date column is its ISO text.
    return value.year if hasattr(value, "year") else int(value[:4])


class InitiativeFilter(django_filters.FilterSet):
    """The public registry's filters; every one is optional and combinable."""

    q = django_filters.CharFilter(
        label=_("Tìm kiếm"),
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("ví dụ: duong hoa le loi")}
        ),
    )
    field = RowModelChoiceFilter(
        widget=LightSelect,
        label=_("Lĩnh vực"),
        queryset=Field.objects.select_related("parent"),
        row_columns=("pk", "name", "parent__name"),
        label_rows=_field_labels,
        method="filter_field",
        empty_label=_("Tất cả lĩnh vực"),
    )
    area = RowModelChoiceFilter(
        widget=LightSelect,
        label=_("Khu dân cư"),
        field_name="residential_areas",
        queryset=ResidentialArea.objects.select_related("admin_unit"),
        row_columns=("pk", "kind", "name"),
        label_rows=_kind_labels(AreaKind),
        empty_label=_("Tất cả khu dân cư"),
    )
    ward = RowModelChoiceFilter(
        widget=LightSelect,
        label=_("Phường (cũ và mới)"),
        field_name="admin_unit",
        queryset=AdminUnit.objects.all(),
        row_columns=("pk", "kind", "name"),
        label_rows=_kind_labels(AdminUnitKind),
        empty_label=_("Tất cả phường"),
    )
    status = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Trạng thái"),
        choices=[(s.value, s.label) for s in PUBLIC_STATUSES],
        empty_label=_("Tất cả trạng thái"),
    )
    kind = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Loại"),
        choices=InitiativeKind.choices,
        empty_label=_("Mô hình và điển hình"),
    )
    year = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Năm bắt đầu"),
        choices=_public_years,
        method="filter_year",
        empty_label=_("Mọi năm"),
    )
    recognised = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Công nhận"),
        choices=[("1", _("Đã được công nhận"))],
        method="filter_recognised",
        empty_label=_("Tất cả"),
    )

    progress = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Tiến độ"),
        choices=[(value, label) for value, label, _low, _high in PROGRESS_BANDS]
        + [("none", _("Chưa có số liệu tiến độ"))],
        method="filter_progress",
        empty_label=_("Mọi mức tiến độ"),
    )
    stale = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Cập nhật"),
        choices=[("1", _("Không có cập nhật trong 90 ngày"))],
        method="filter_stale",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Initiative
        fields = []

    def filter_q(self, queryset, name, value):
        return search_initiatives(queryset, value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(started_on__year=int(value))

    def filter_field(self, queryset, name, value):
        return queryset.filter(Q(field=value) | Q(field__parent=value))

    def filter_recognised(self, queryset, name, value):
        """Initiatives with at least one published recognition (campaigns)."""
        return queryset.filter(has_public_recognition()) if value == "1" else queryset

    def filter_progress(self, queryset, name, value):
        if value == "none":
            return queryset.filter(progress__isnull=True)
        for band, _label, low, high in PROGRESS_BANDS:
            if value == band:
                return queryset.filter(progress__gte=low, progress__lte=high)
        return queryset

    def filter_stale(self, queryset, name, value):
        """No milestone published in the last 90 days (or none ever)."""
        if value != "1":
            return queryset
        since = timezone.localdate() - dt.timedelta(days=STALE_AFTER_DAYS)
        return queryset.filter(
            Q(progress_updated_on__isnull=True) | Q(progress_updated_on__lt=since)
        )


def active_filters(form, *, skip: tuple[str, ...] = ("q",)) -> list[tuple[str, str]]:
    """(label, chosen value) of each filter in use, for the one-line summary shown above the
    results while the filters themselves are folded away. Only valid values count: an
    invalid one is shown by the form's own message."""
    cleaned = getattr(form, "cleaned_data", {})
    chosen = []
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if name in skip or value in (None, "", [], ()):
            continue
        if isinstance(field, forms.ModelChoiceField):
            # The object itself (its options are not read again: hundreds of areas).
            chosen.append((str(field.label), str(value)))
            continue
        labels = {str(key): text for key, text in field.choices}
        chosen.append((str(field.label), str(labels.get(str(value), value))))
    return chosen
