"""The workspace list's filters: the public ones over every initiative, drafts too."""

import django_filters
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from registry.choices import InitiativeStatus
from registry.models import Initiative
from registry.widgets import LightSelect
from wardmodels.public.filters import InitiativeFilter


def _all_years():
    """As ``_public_years``, over every initiative (min and max, not a DISTINCT)."""
    bounds = Initiative.objects.aggregate(first=Min("started_on"), last=Max("started_on"))
    if bounds["first"] is None:
        return []
    return [(str(y), str(y)) for y in range(bounds["last"].year, bounds["first"].year - 1, -1)]


class WorkspaceInitiativeFilter(InitiativeFilter):
    """The public filters over every initiative (drafts too), plus publication."""

    status = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Trạng thái"),
        choices=InitiativeStatus.choices,
        empty_label=_("Tất cả trạng thái"),
    )
    published = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Công khai"),
        choices=[("yes", _("Đã công khai")), ("no", _("Chưa công khai"))],
        method="filter_published",
        empty_label=_("Công khai hoặc không"),
    )
    year = django_filters.ChoiceFilter(
        widget=LightSelect,
        label=_("Năm bắt đầu"),
        choices=_all_years,
        method="filter_year",
        empty_label=_("Mọi năm"),
    )

    def filter_published(self, queryset, name, value):
        return queryset.filter(published=(value == "yes"))
