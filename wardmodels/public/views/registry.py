from django.core.paginator import EmptyPage, InvalidPage, PageNotAnInteger, Paginator
from django.db import connections
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.generic import DetailView
from django_filters.views import FilterView

from campaigns.queries import months_with_entries, public_initiative_ledger
from registry.models import Initiative
from registry.text import search_terms

from ..filters import InitiativeFilter, active_filters
from ..queries import featured_initiatives, public_initiative_detail_queryset, public_overview
from .feedback import model_page_context


def home(request):
    return render(
        request,
        "registry/home.html",
        {"overview": public_overview(), "featured": featured_initiatives()},
    )


class KeysFirstPaginator(Paginator):
    """Deep pages choose their rows by their keys first, then load them with their relations.

    ``OFFSET 2388 LIMIT 12`` over the full card query walks 2,400 rows through every join
    (page 200); here the offset is walked in a sub-select of ids alone, an index-only scan of
    ``initiative_public_list_idx``, and only the page's 12 rows are joined (figures in
    bench/README.md). Same rows, same order, one query. The first pages keep the plain
    query, which PostgreSQL plans faster.

    Counting stops at ``count_cap``: above it the page says "more than 10,000" and pages go
    up to the cap (a page beyond it is the same 404 as a page beyond the end). An exact
    COUNT(*) reads every matching row, so it grew with the data (16,922 public models at
    province scale, ~169,000 at nation scale); a count over a sub-select limited to
    ``count_cap + 1`` keys stops there. At nation scale the list pages take 32-35 % longer
    without it (``bench/public_pages.py time --no-count-cap`` on ``bench_nation``;
    bench/README.md, "The count cap at nation scale").

    ``one_pass`` (a text search): the page's keys and the number of matches come from one
    statement (``_keys_and_count``) instead of a count and a page query that would each
    collect every match through the trigram index and recheck it in the table; then the
    page's rows are loaded by their keys.
    """

    deep_offset = 120
    count_cap = 10_000

    def __init__(self, *args, one_pass=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.one_pass = one_pass and not self.orphans

    @cached_property
    def _found(self) -> int:
        """Matching rows, counted up to ``count_cap + 1`` (one query)."""
        return self.object_list.order_by().values("pk")[: self.count_cap + 1].count()

    @property
    def capped(self) -> bool:
        """More rows match than the cap: the page says "more than", pages stop at the cap."""
        return self._found > self.count_cap

    @cached_property
    def count(self) -> int:
        """Exact up to ``count_cap``, else ``count_cap``."""
        return min(self._found, self.count_cap)

    def page(self, number):
        if self.one_pass:
            return self._one_pass_page(number)
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

    def _one_pass_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count_cap)
        keys, found = self._keys_and_count(bottom, max(top - bottom, 0))
        if found is not None:
            self._found = found
        elif number > 1 or not self.allow_empty_first_page:
            # No row at this offset: beyond the end (or beyond the cap).
            raise EmptyPage(self.error_messages["no_results"])
        else:
            self._found = 0
        self.validate_number(number)
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)

    def _keys_and_count(self, offset: int, limit: int) -> tuple[list, int | None]:
        """The keys of rows ``offset + 1 … offset + limit`` in the list's order, and how many
        rows match (up to ``count_cap + 1``), in one statement; ``None`` when no row is there.

        ``m`` is the list's own query (Django's SQL, so SQLite and PostgreSQL read the same
        rows), unordered, reduced to the ordering columns and limited to ``count_cap + 1``
        rows; ``n`` counts it. Up to the cap the page is cut from ``m`` itself: PostgreSQL
        collects a text search's matches once (a bitmap over the trigram index, rechecked in
        the table) instead of once for COUNT(*) and once more for the page. Above the cap
        (a search as broad as "khu pho") the second branch reads the page in the list's
        order, as the count-then-page path does; PostgreSQL runs only the branch whose
        condition on ``n`` holds.
        """
        if limit <= 0 or self.object_list.query.is_empty():
            return [], None
        ordering = list(self.object_list.query.order_by)
        columns = [name.lstrip("-") for name in ordering]
        if "pk" not in columns:
            columns.append("pk")
            ordering.append("pk")
        key = columns.index("pk")
        cap = self.count_cap
        matches, matches_params = (
            self.object_list.order_by().values_list(*columns)[: cap + 1].query.sql_with_params()
        )
        page, page_params = self.object_list.values_list(*columns)[
            offset : offset + limit
        ].query.sql_with_params()
        order_by = ", ".join(
            f"{position} {'DESC' if name.startswith('-') else 'ASC'}"
            for position, name in enumerate(ordering, start=1)
        )
        sql = (  # noqa: S608 (Django's SQL and numbered columns only)
            f"WITH m AS ({matches}), n AS (SELECT COUNT(*) AS c FROM m) "
            f"SELECT p.*, n.c FROM (SELECT * FROM m ORDER BY {order_by} LIMIT %s OFFSET %s) p, n "
            "WHERE n.c <= %s "
            f"UNION ALL SELECT q.*, n.c FROM ({page}) q, n WHERE n.c > %s"
        )
        params = (*matches_params, limit, offset, cap, *page_params, cap)
        with connections[self.object_list.db].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return [], None
        return [row[key] for row in rows], rows[0][-1]


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

    def get_paginator(self, queryset, per_page, **kwargs):
        # A text search collects its matches through the trigram index: count and page them
        # in one pass (KeysFirstPaginator.one_pass).
        form = self.filterset.form
        searching = self.filterset.is_valid() and bool(search_terms(form.cleaned_data.get("q")))
        return super().get_paginator(queryset, per_page, one_pass=searching, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        try:
            return super().paginate_queryset(queryset, page_size)
        except (Http404, InvalidPage) as exc:
            raise Http404(str(exc)) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The filters fold away on a phone: a line names those in use ("Lọc (2)").
        form = self.filterset.form
        context["active_filters"] = active_filters(form)
        query = form.cleaned_data.get("q") if hasattr(form, "cleaned_data") else None
        context["clear_filters_url"] = self.request.path + (
            "?" + urlencode({"q": query}) if query else ""
        )
        return context


class InitiativeDetailView(DetailView):
    template_name = "registry/initiative_detail.html"
    context_object_name = "initiative"

    def get_queryset(self):
        return public_initiative_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # What was pledged, received and spent: totals, consenting contributors, expenses.
        context["ledger"] = public_initiative_ledger(self.object)
        # The printable monthly notices worth printing: the months with money in or out,
        # newest first (an empty month's notice is reached from its neighbours' links only).
        context["notice_months"] = months_with_entries(self.object, until=timezone.localdate())
        # Residents' feedback: the form, and what was published with the ward's answers.
        context.update(model_page_context(self.object))
        return context
