from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.generic import DetailView
from django_filters.views import FilterView

from campaigns.queries import public_initiative_ledger

from .filters import InitiativeFilter
from .models import Initiative
from .queries import featured_initiatives, public_initiative_detail_queryset, public_overview


def home(request):
    return render(
        request,
        "registry/home.html",
        {"overview": public_overview(), "featured": featured_initiatives()},
    )


class KeysFirstPaginator(Paginator):
    """Deep pages choose their rows by their keys first, then load them with their relations.

    ``OFFSET 2388 LIMIT 12`` over the full card query walks 2,400 rows through every join
    (page 200 at province scale: 8 ms in PostgreSQL); here the offset is walked in a
    sub-select of ids alone, an index-only scan of ``initiative_public_list_idx``, and only
    the page's 12 rows are joined (0.6 ms). Same rows, same order, one query. The first
    pages keep the plain query, which PostgreSQL plans faster (issue 7).
    """

    deep_offset = 120

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # DISTINCT would need the ORDER BY columns in the sub-select's SELECT list.
        if bottom < self.deep_offset or self.object_list.query.distinct:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilter
    paginator_class = KeysFirstPaginator
    template_name = "registry/initiative_list.html"
    context_object_name = "initiatives"
    paginate_by = 12
    # An invalid filter value shows the form's error and no results, never a server error.
    strict = True

    def get_queryset(self):
        return (
            Initiative.objects.public()
            .with_public_relations()
            .order_by("-started_on", "title", "pk")
        )

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, InvalidPage) as exc:
            raise Http404(str(exc)) from None


class InitiativeDetailView(DetailView):
    template_name = "registry/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return public_initiative_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # campaigns ledger (issue 3): totals, consenting contributors, expenses.
        context["ledger"] = public_initiative_ledger(self.object)
        return context
