from django.core.paginator import InvalidPage
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


class InitiativeListView(FilterView):
    filterset_class = InitiativeFilter
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
