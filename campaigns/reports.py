"""Summary reports (sơ kết, tổng kết): every figure of the report, from SQL aggregates.

A report is a ``ReportPeriod`` (a review round, a year, a half-year or any date range, plus
optional filters: field, former ward, lead organisation) and an ``audience``: the workspace
sees every registered model and every decided decision; the public summary
(``audience=PUBLIC``) sees only public models, published recognitions and issued
commendations, and never a name of a contributor who did not consent.

Each section is one function returning plain data (dicts, lists, ints, Decimals) and runs a
fixed number of queries (conditional aggregation, grouped counts and sums), whatever the number
of models, donations or decisions. ``build_report`` puts them together; its model sections share
one ``ModelScope``, which fetches each figure they have in common once.

Periods are dates in Asia/Ho_Chi_Minh (``TIME_ZONE``): both ends are included, a donation on
the last day is in and one on the next day is out. Ledger dates are ``DateField``s, so no
datetime is converted. Reversals net out against the entry they correct *in that entry's
period* (a reversal dated today of a 2023 receipt corrects the 2023 report), so a report
shows corrected figures; cancelled pledges are left out.

Money in and out comes from the ledger's running totals (``LedgerMonth``, ``ContributorYear``,
kept by database triggers: campaigns/models/totals.py) when they give the same figure as the
entries: a period of whole months (whole calendar year for the distinct contributors) and no
filter on the models. Otherwise it is summed from the entries. Both ways are checked against
figures summed by hand, for every kind of period and filter and both audiences
(tests/campaigns/test_ledger_totals.py, tests/reports/test_figures.py).

Why two ways and not one: totals kept per model (per model, month and kind; per contributor,
model and year), which one code path could filter like the entries, were measured on the
province data and are no smaller than the ledger there (894,810 rows per model and month
against 1,005,056 donations; 999,983 per contributor, model and year), so they are as slow
as the entries: the public summary's money alone went from 2–41 ms to 145–930 ms, for a
target of 150 ms for the whole page (bench/README.md, "The ledger totals' grain: measured",
``bench/measure_variants.py grain``). Periods that are not whole months (review rounds, date
ranges) stay on the entries: a grain by day is again as large as the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from participation.queries import FeedbackFigures, feedback_figures, feedback_per_model
from registry.choices import PUBLIC_STATUSES, InitiativeStatus
from registry.models import AdminUnit, Field, Initiative, Organization

from .models import (
    EXPENSE_KIND,
    Commendation,
    ContributionKind,
    Contributor,
    ContributorYear,
    Donation,
    Evaluation,
    Expense,
    LedgerMonth,
    Pledge,
    Recognition,
    ReviewRound,
)
from .queries import CONTRIBUTOR_KIND_KEYS, summed_quantity
from .queries.disclosure import ward_disclosure
from .review_choices import (
    RECOGNITION_DECIDED,
    CommendationForm,
    CommendationStatus,
    RecipientKind,
    RecognitionLevel,
    RecognitionStatus,
    RecognitionTier,
)

WORKSPACE = "workspace"
PUBLIC = "public"

# Commendations a report counts: decided (and not revoked since), or handed over.
COMMENDATION_COUNTED = (CommendationStatus.DECIDED, CommendationStatus.ISSUED)
# Statuses of a model that got past its registration's approval.
IMPLEMENTED_STATUSES = PUBLIC_STATUSES


@dataclass(frozen=True)
class ReportPeriod:
    """What a report covers: from ``start`` to ``end`` (both included), and its filters."""

    start: dt.date
    end: dt.date
    label: str
    review_round: ReviewRound | None = None
    field: Field | None = None
    admin_unit: AdminUnit | None = None
    lead_organization: Organization | None = None

    @classmethod
    def for_round(cls, review_round: ReviewRound, **filters) -> ReportPeriod:
        return cls(
            review_round.period_start,
            review_round.period_end,
            review_round.title,
            review_round=review_round,
            **filters,
        )

    @classmethod
    def for_year(cls, year: int, **filters) -> ReportPeriod:
        return cls(
            dt.date(year, 1, 1),
            dt.date(year, 12, 31),
            _("Năm %(year)s") % {"year": year},
            **filters,
        )

    @classmethod
    def for_half_year(cls, year: int, half: int, **filters) -> ReportPeriod:
        if half == 1:
            start, end = dt.date(year, 1, 1), dt.date(year, 6, 30)
            label = _("6 tháng đầu năm %(year)s") % {"year": year}
        else:
            start, end = dt.date(year, 7, 1), dt.date(year, 12, 31)
            label = _("6 tháng cuối năm %(year)s") % {"year": year}
        return cls(start, end, label, **filters)

    @classmethod
    def for_range(cls, start: dt.date, end: dt.date, **filters) -> ReportPeriod:
        label = _("Từ ngày %(start)s đến ngày %(end)s") % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
        return cls(start, end, label, **filters)

    @property
    def filters(self) -> dict:
        return {
            "field": self.field,
            "admin_unit": self.admin_unit,
            "lead_organization": self.lead_organization,
        }

    def filter_labels(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) pairs for a heading."""
        labels = []
        if self.field:
            labels.append((_("Lĩnh vực"), str(self.field)))
        if self.admin_unit:
            labels.append((_("Phường, xã"), str(self.admin_unit)))
        if self.lead_organization:
            labels.append((_("Tổ chức chủ trì"), str(self.lead_organization)))
        return labels

    def initiative_q(self, prefix: str = "") -> Q:
        """The filters as a Q over initiatives (``prefix`` "initiative__" from a ledger row)."""
        q = Q()
        if self.field:
            q &= Q(**{f"{prefix}field": self.field}) | Q(**{f"{prefix}field__parent": self.field})
        if self.admin_unit:
            q &= Q(**{f"{prefix}admin_unit": self.admin_unit})
        if self.lead_organization:
            q &= Q(**{f"{prefix}lead_organization": self.lead_organization})
        return q

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


# --- what a report looks at --------------------------------------------------------------------


def _initiative_base(audience: str) -> QuerySet:
    if audience == PUBLIC:
        return Initiative.objects.public()
    return Initiative.objects.exclude(status=InitiativeStatus.DRAFT)


def _scope_q(period: ReportPeriod, prefix: str = "") -> Q:
    """Models alive during the period: started by its end (or undated), not ended before it."""
    started = Q(**{f"{prefix}started_on__isnull": True}) | Q(
        **{f"{prefix}started_on__lte": period.end}
    )
    not_ended = Q(**{f"{prefix}ended_on__isnull": True}) | Q(
        **{f"{prefix}ended_on__gte": period.start}
    )
    return started & not_ended


def initiatives_in_scope(period: ReportPeriod, audience: str = WORKSPACE) -> QuerySet:
    """The models a report counts: registered (public ones for residents), alive in the period,
    matching the filters."""
    return _initiative_base(audience).filter(_scope_q(period), period.initiative_q()).order_by()


def _ledger_initiatives_q(period: ReportPeriod, audience: str) -> Q:
    """Ledger rows of models the audience may see, under the period's filters."""
    q = period.initiative_q("initiative__")
    if audience == PUBLIC:
        q &= Q(initiative__published=True, initiative__status__in=PUBLIC_STATUSES)
    else:
        q &= ~Q(initiative__status=InitiativeStatus.DRAFT)
    return q


def _recognitions(period: ReportPeriod, audience: str) -> QuerySet:
    """Decisions of the period: a round's own, or those of rounds ending in the date range."""
    statuses = [RecognitionStatus.PUBLISHED] if audience == PUBLIC else list(RECOGNITION_DECIDED)
    qs = Recognition.objects.filter(status__in=statuses).filter(
        _ledger_initiatives_q(period, audience)
    )
    if period.review_round is not None:
        return qs.filter(review_round=period.review_round)
    return qs.filter(review_round__period_end__range=(period.start, period.end))


def _commendations(period: ReportPeriod, audience: str) -> QuerySet:
    """Commendations of the period: a round's own, or decided within the date range."""
    statuses = [CommendationStatus.ISSUED] if audience == PUBLIC else list(COMMENDATION_COUNTED)
    qs = Commendation.objects.filter(status__in=statuses).filter(
        _ledger_initiatives_q(period, audience)
    )
    if period.review_round is not None:
        return qs.filter(review_round=period.review_round)
    return qs.filter(decided_on__range=(period.start, period.end))


def _evaluations(period: ReportPeriod, audience: str) -> QuerySet:
    qs = Evaluation.objects.filter(_ledger_initiatives_q(period, audience))
    if period.review_round is not None:
        return qs.filter(review_round=period.review_round)
    return qs.filter(review_round__period_end__range=(period.start, period.end))


def _donations(period: ReportPeriod, audience: str) -> QuerySet:
    """Donations of the period: ``counted_on`` dates a reversal as the entry it reverses."""
    return Donation.objects.filter(
        _ledger_initiatives_q(period, audience), counted_on__range=(period.start, period.end)
    )


def _expenses(period: ReportPeriod, audience: str, *, until_end: bool = False) -> QuerySet:
    qs = Expense.objects.filter(_ledger_initiatives_q(period, audience))
    if until_end:
        return qs.filter(counted_on__lte=period.end)
    return qs.filter(counted_on__range=(period.start, period.end))


def _contributors_by_kind(donations: QuerySet) -> dict:
    """Distinct contributors of the given donations whose entries stand, counted by kind.

    A contributor's entries stand in a period exactly when their net sum there is positive:
    a normal entry is positive and its reversal (same contributor, same ``counted_on``)
    cancels it, so no join of every entry to its reversal is needed (one query).
    """
    standing = (
        donations.order_by()
        .values("contributor_id")
        .annotate(net=Sum("amount"))
        .filter(net__gt=0)
        .values("contributor_id")
    )
    counts = dict(
        Contributor.objects.filter(pk__in=standing)
        .values_list("kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return _contributor_figures(counts)


def _contributor_figures(counts: dict) -> dict:
    """{contributor kind: count} as the report's figures: the total and one per kind."""
    return {
        "contributors": sum(counts.values()),
        **{key: counts.get(kind, 0) for key, kind in CONTRIBUTOR_KIND_KEYS.items()},
    }


def _contributors_from_totals(period: ReportPeriod, audience: str) -> dict:
    """``_contributors_by_kind`` for one whole calendar year without filters, from the
    contributors' yearly totals (an index-only scan of that year's rows, one query)."""
    net = f"{_totals_prefix(audience)}_net"
    counts = dict(
        ContributorYear.objects.filter(year=period.start.year, **{f"{net}__gt": 0})
        .values_list("kind")
        # COUNT(*), not COUNT(id): the index holds no id, and is all the scan needs.
        .annotate(count=Count("*"))
        .order_by()
    )
    return _contributor_figures(counts)


# --- running totals (campaigns/models/totals.py) --------------------------------------------


def _totals_prefix(audience: str) -> str:
    return "public" if audience == PUBLIC else "registered"


def uses_month_totals(period: ReportPeriod) -> bool:
    """The monthly totals give a period's sums exactly when it is made of whole months and
    no filter narrows the models (the totals are kept per month and kind only)."""
    return (
        not any(period.filters.values())
        and period.start.day == 1
        and (period.end + dt.timedelta(days=1)).day == 1
    )


def uses_year_totals(period: ReportPeriod) -> bool:
    """Distinct contributors come from the yearly totals for one whole calendar year."""
    return (
        uses_month_totals(period)
        and period.start == dt.date(period.start.year, 1, 1)
        and period.end == dt.date(period.start.year, 12, 31)
    )


def _rows(queryset: QuerySet, label_key: str, *, empty_label: str) -> list[dict]:
    return [{"label": row[label_key] or empty_label, "count": row["count"]} for row in queryset]


# An evaluation's score out of 100.
_SCORE_PERCENT = F("total") * 100 / F("max_total")


# --- the models in scope, fetched once for every section -----------------------------------------


@dataclass(frozen=True)
class ModelCounts:
    """How many models a report counts, by kind, status and start, by field, by ward and by
    lead organisation (``ModelScope.counts``: one query)."""

    # (kind, status, started in the period) -> models
    by_kind_status: dict[tuple[str, str, bool], int]
    # {"id", "name", "order", "parent_id", "parent__name", "parent__order", "count"} per field
    by_field: list[dict]
    # (name, valid_to, models), in the database's order of the names
    by_admin_unit: list[tuple[str, dt.date | None, int]]
    # (name, models), in the database's order of the names; None: models without one
    by_lead_organization: list[tuple[str | None, int]]

    @property
    def total(self) -> int:
        return sum(self.by_kind_status.values())

    def count(self, *, kind=None, statuses=None, new=None) -> int:
        return sum(
            n
            for (k, s, is_new), n in self.by_kind_status.items()
            if (kind is None or k == kind)
            and (statuses is None or s in statuses)
            and (new is None or is_new == new)
        )


_FIELD_KEYS = ("id", "name", "order", "parent_id", "parent__name", "parent__order", "count")
_SCOPE_COLUMNS = ("kind", "status", "is_new", "field_id", "admin_unit_id", "lead_organization_id")
_COUNT_SETS = (
    ("kind", "status", "is_new", "field_id"),
    ("admin_unit_id",),
    ("lead_organization_id",),
)


def _model_counts_sql(scope_sql: str) -> str:
    """The models of ``scope_sql`` (``_SCOPE_COLUMNS``) counted three ways in one statement,
    with the names of their fields, wards and organisations, wards and organisations ordered
    by name by the database (as a GROUP BY … ORDER BY name did).

    PostgreSQL groups the three ways in one pass over the rows (GROUPING SETS); other
    databases (SQLite) run the equivalent UNION ALL of three GROUP BYs.

    Hand-written because it earns its place: through the ORM (one grouped query per
    dimension with the names joined, or grouped by ids with the names fetched afterwards)
    the public summary for a year cost 20 % and 12 % more (client CPU + database execution),
    ``ModelScope.counts`` alone 2–3.5 times as much (bench/README.md, "Hand-written SQL:
    measured with and without"; ``bench/measure_variants.py counts``).
    """
    qn = connection.ops.quote_name
    columns = ", ".join(_SCOPE_COLUMNS)
    if connection.vendor == "postgresql":
        sets = ", ".join(f"({', '.join(s)})" for s in _COUNT_SETS)
        grouped = f"SELECT {columns}, COUNT(*) FROM report_scope GROUP BY GROUPING SETS ({sets})"
    else:
        grouped = " UNION ALL ".join(
            "SELECT {}, COUNT(*) FROM report_scope GROUP BY {}".format(
                ", ".join(c if c in grouping else "NULL" for c in _SCOPE_COLUMNS),
                ", ".join(grouping),
            )
            for grouping in _COUNT_SETS
        )
    field, unit, organization = (
        qn(model._meta.db_table) for model in (Field, AdminUnit, Organization)
    )
    order = qn("order")
    return (
        f"WITH report_scope ({columns}) AS ({scope_sql}), "
        f"counts ({columns}, models) AS ({grouped}) "
        f"SELECT c.kind, c.status, c.is_new, c.models, "
        f"f.id, f.name, f.{order}, f.parent_id, p.name, p.{order}, "
        f"c.admin_unit_id, u.name, u.valid_to, o.name "
        f"FROM counts c "
        f"LEFT JOIN {field} f ON f.id = c.field_id "
        f"LEFT JOIN {field} p ON p.id = f.parent_id "
        f"LEFT JOIN {unit} u ON u.id = c.admin_unit_id "
        f"LEFT JOIN {organization} o ON o.id = c.lead_organization_id "
        f"ORDER BY u.name NULLS LAST, u.valid_to NULLS LAST, u.id, o.name NULLS LAST, o.id"
    )


class ModelScope:
    """The models a report counts, and the figures about them that several sections share.

    ``build_report`` makes one and hands it to every model section, so that each figure is
    fetched once: the counts for the overview, the fields, wards and lead organisations come
    from one query over a narrow index (``initiative_report_scope_idx``) instead of one scan
    of the whole, wide model table per section; the summaries of evaluations and recognitions
    serve both their own section and the funnel. A section called on its own makes its own.
    """

    def __init__(self, period: ReportPeriod, audience: str = WORKSPACE):
        self.period = period
        self.audience = audience

    def models(self) -> QuerySet:
        return initiatives_in_scope(self.period, self.audience)

    def in_scope(self, queryset: QuerySet) -> QuerySet:
        """Rows of ``queryset`` (evaluations, recognitions, …) whose model is in scope: the
        audience and filters (already applied by ``_evaluations`` and the like) plus the
        period, on the one join to the model instead of a sub-select of the scope."""
        return queryset.filter(_scope_q(self.period, "initiative__"))

    @cached_property
    def counts(self) -> ModelCounts:
        """One query (``_model_counts_sql``)."""
        period = self.period
        rows = self.models().annotate(
            is_new=Case(
                When(started_on__range=(period.start, period.end), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        scope_sql, params = rows.values_list(*_SCOPE_COLUMNS).query.sql_with_params()
        by_kind_status, by_field, by_admin_unit, by_lead_organization = {}, {}, [], []
        with connection.cursor() as cursor:
            cursor.execute(_model_counts_sql(scope_sql), params)
            for row in cursor.fetchall():
                kind, status, is_new, n, field_id, *field, unit_id, unit, valid_to, org = row
                # A model always has a kind and a ward: a row without a kind is the count of
                # a ward, or else of an organisation (None: the models without one).
                if kind is not None:
                    key = (kind, status, bool(is_new))
                    by_kind_status[key] = by_kind_status.get(key, 0) + n
                    if field_id not in by_field:
                        by_field[field_id] = dict(
                            zip(_FIELD_KEYS, (field_id, *field, 0), strict=True)
                        )
                    by_field[field_id]["count"] += n
                elif unit_id is not None:
                    if isinstance(valid_to, str):  # SQLite: no converter on a raw cursor
                        valid_to = dt.date.fromisoformat(valid_to)
                    by_admin_unit.append((unit, valid_to, n))
                else:
                    by_lead_organization.append((org, n))
        return ModelCounts(
            by_kind_status, list(by_field.values()), by_admin_unit, by_lead_organization
        )

    @cached_property
    def evaluation_summary(self) -> dict:
        """Models evaluated, evaluations and their average score out of 100 (one query)."""
        return self.evaluations().aggregate(
            models=Count("initiative", distinct=True),
            evaluations=Count("id"),
            average=Avg(_SCORE_PERCENT),
        )

    def evaluations(self) -> QuerySet:
        return self.in_scope(_evaluations(self.period, self.audience))

    @cached_property
    def recognition_summary(self) -> dict:
        """Decisions per level and tier, all decisions, and models recognised (one query)."""
        return self.in_scope(_recognitions(self.period, self.audience)).aggregate(
            decisions=Count("id"),
            recognised_models=Count("initiative", distinct=True),
            **{
                f"{level}__{tier}": Count("id", filter=Q(level=level, tier=tier))
                for level in RecognitionLevel.values
                for tier in RecognitionTier.values
            },
        )


# --- sections -----------------------------------------------------------------------------------


def overview(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> dict:
    """How many models, by status and kind, and how many are new in the period."""
    counts = (scope or ModelScope(period, audience)).counts
    row = {
        "total": counts.total,
        "models": counts.count(kind="model"),
        "exemplars": counts.count(kind="exemplar"),
        "new": counts.count(new=True),
        **{
            f"status_{value}": counts.count(statuses={value})
            for value in InitiativeStatus.values
            if value != InitiativeStatus.DRAFT
        },
    }
    row["by_status"] = [
        {"key": value, "label": str(label), "count": row[f"status_{value}"]}
        for value, label in InitiativeStatus.choices
        if value != InitiativeStatus.DRAFT
    ]
    return row


def models_by_field(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> list[dict]:
    """Top-level fields with their sub-fields and counts."""
    tops: dict[int, dict] = {}
    for row in (scope or ModelScope(period, audience)).counts.by_field:
        if row["parent_id"] is None:
            top = tops.setdefault(
                row["id"],
                {"label": row["name"], "order": row["order"], "count": 0, "children": []},
            )
            top["count"] += row["count"]
            top["own"] = row["count"]
        else:
            top = tops.setdefault(
                row["parent_id"],
                {
                    "label": row["parent__name"],
                    "order": row["parent__order"],
                    "count": 0,
                    "children": [],
                },
            )
            top["count"] += row["count"]
            top["children"].append(
                {"label": row["name"], "order": row["order"], "count": row["count"]}
            )
    result = sorted(tops.values(), key=lambda t: (t["order"], t["label"]))
    for top in result:
        top["children"].sort(key=lambda c: (c["order"], c["label"]))
        if top["children"] and top.get("own"):
            # Models filed under the top-level field itself, so that the rows add up.
            top["children"].append(
                {"label": _("Chưa chia lĩnh vực cụ thể"), "order": None, "count": top["own"]}
            )
    return result


def models_by_area(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> list[dict]:
    """Models per residential area; a model in two areas counts in both (one query)."""
    rows = (
        (scope or ModelScope(period, audience))
        .models()
        .values("residential_areas__name")
        .annotate(count=Count("id", distinct=True))
        .order_by(F("residential_areas__name").asc(nulls_last=True))
    )
    return _rows(rows, "residential_areas__name", empty_label=_("Chưa ghi khu dân cư"))


def models_by_admin_unit(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> list[dict]:
    """Models per ward or commune, former wards included."""
    merged: dict[tuple, int] = {}  # wards that share a name and an end add up, as grouped
    for name, valid_to, count in (scope or ModelScope(period, audience)).counts.by_admin_unit:
        merged[(name, valid_to)] = merged.get((name, valid_to), 0) + count
    return [
        {"label": name, "former": valid_to is not None, "count": count}
        for (name, valid_to), count in merged.items()
    ]


def models_by_lead_organization(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> list[dict]:
    """Models per lead organisation, those without one last."""
    rows = (scope or ModelScope(period, audience)).counts.by_lead_organization
    empty_label = _("Chưa ghi tổ chức chủ trì")
    return [{"label": name or empty_label, "count": count} for name, count in rows]


def evaluations(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> dict:
    """Models evaluated, evaluations, average score out of 100 (one query), and for the
    workspace the same per model (two more)."""
    scope = scope or ModelScope(period, audience)
    summary = dict(scope.evaluation_summary)
    summary["average"] = _percent(summary["average"])
    summary["per_model"] = []
    if audience != PUBLIC:
        # Two queries: the figures per model, then the code and title of those models only.
        # Joining the models to the evaluations made PostgreSQL read the whole, wide model
        # table (a look-up per model instead costs more than its JIT threshold).
        figures = {
            pk: (evaluations, average)
            for pk, evaluations, average in scope.evaluations()
            .values_list("initiative_id")
            .annotate(evaluations=Count("id"), average=Avg(_SCORE_PERCENT))
            .order_by()
        }
        models = (
            Initiative.objects.filter(pk__in=figures)
            .order_by("title", "pk")
            .values_list("pk", "code", "title")
        )
        # Highest average first, then by title in the database's order (the rank above).
        ranked = sorted(
            (-figures[pk][1], rank, *figures[pk], code, title)
            for rank, (pk, code, title) in enumerate(models)
        )
        summary["per_model"] = [
            {
                "code": code,
                "title": title,
                "evaluations": evaluations,
                "average": _percent(average),
            }
            for _order, _rank, evaluations, average, code, title in ranked
        ]
    return summary


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


_TENTH = Decimal("0.1")


def _percent(value) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal):  # SQLite averages are floats
        value = Decimal(str(value))
    return value.quantize(_TENTH)


def recognitions(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> dict:
    """Decided recognitions by level and tier, and "X of N models recognised"."""
    scope = scope or ModelScope(period, audience)
    summary = scope.recognition_summary
    rows = []
    for level, level_label in RecognitionLevel.choices:
        counts = {tier: summary[f"{level}__{tier}"] for tier in RecognitionTier.values}
        rows.append(
            {
                "label": str(level_label),
                "recognised": counts[RecognitionTier.RECOGNISED],
                "typical": counts[RecognitionTier.TYPICAL],
                "total": sum(counts.values()),
            }
        )
    return {
        "by_level": rows,
        "tiers": [str(label) for _value, label in RecognitionTier.choices],
        "decisions": summary["decisions"],
        "recognised_models": summary["recognised_models"],
        "models": scope.counts.total,
    }


def commendations(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> dict:
    """Commendations by form and by recipient kind, with prize money (one grouped query)."""
    scope = scope or ModelScope(period, audience)
    grouped = list(
        scope.in_scope(_commendations(period, audience))
        .values("form", "recipient_kind")
        .annotate(count=Count("id"), prize=Coalesce(Sum("prize_amount"), 0))
        .order_by()
    )
    by_form = []
    for value, label in CommendationForm.choices:
        matching = [r for r in grouped if r["form"] == value]
        by_form.append(
            {
                "label": str(label),
                "count": sum(r["count"] for r in matching),
                "prize": sum(r["prize"] for r in matching),
            }
        )
    by_recipient = []
    for value, label in RecipientKind.choices:
        matching = [r for r in grouped if r["recipient_kind"] == value]
        by_recipient.append({"label": str(label), "count": sum(r["count"] for r in matching)})
    return {
        "by_form": by_form,
        "by_recipient": by_recipient,
        "total": sum(r["count"] for r in grouped),
        "prize": sum(r["prize"] for r in grouped),
    }


QUANTITY_KEYS = {ContributionKind.LABOUR: "labour_days", ContributionKind.LAND: "land_m2"}

KIND_KEYS = {
    ContributionKind.CASH: "cash",
    ContributionKind.IN_KIND: "in_kind",
    ContributionKind.LABOUR: "labour",
    ContributionKind.LAND: "land",
}


def contributions(period: ReportPeriod, audience: str = WORKSPACE) -> dict:
    """Pledged and received by kind and by month, labour-days and land m², contributors by
    kind (3 queries).

    Pledged counts pledges made in the period that are not cancelled; received is the net sum
    of donations (reversals are negative rows); contributors are counted among entries that
    stand (not reversed), like the public model page does.
    """
    pledges = (
        Pledge.objects.filter(_ledger_initiatives_q(period, audience), cancelled=False)
        .filter(pledged_on__range=(period.start, period.end))
        .aggregate(
            count=Count("*"),
            total=Coalesce(Sum("value"), 0),
            **{
                key: Coalesce(Sum("value", filter=Q(kind=kind)), 0)
                for kind, key in KIND_KEYS.items()
            },
        )
    )
    donations = _donations(period, audience)
    if uses_month_totals(period):
        received, by_month = _received_from_totals(period, audience)
    else:
        received, by_month = _received(period, donations)
    if uses_year_totals(period):
        received.update(_contributors_from_totals(period, audience))
    else:
        received.update(_contributors_by_kind(donations))
    by_kind = [
        {
            "key": key,
            "label": str(ContributionKind(kind).label),
            "pledged": pledges[key],
            "received": received[key],
        }
        for kind, key in KIND_KEYS.items()
    ]
    return {"pledged": pledges, "received": received, "by_kind": by_kind, "by_month": by_month}


def _received(period: ReportPeriod, donations: QuerySet) -> tuple[dict, list[dict]]:
    """Net received by kind and by month of the period, from one grouped query (at most
    4 kinds × the period's months rows): the totals are the sums of the months."""
    rows = (
        donations.annotate(year=ExtractYear("counted_on"), month=ExtractMonth("counted_on"))
        .values_list("year", "month", "kind")
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
        .order_by()
    )
    return _received_rows(period, rows)


def _received_from_totals(period: ReportPeriod, audience: str) -> tuple[dict, list[dict]]:
    """``_received`` for whole months without filters, from the monthly totals (one query
    over at most 4 kinds × the period's months rows)."""
    prefix = _totals_prefix(audience)
    rows = (
        LedgerMonth.objects.filter(month__range=(period.start, period.end))
        .exclude(kind=EXPENSE_KIND)
        .annotate(year=ExtractYear("month"), month_number=ExtractMonth("month"))
        .values_list("year", "month_number", "kind", f"{prefix}_amount", f"{prefix}_quantity")
        .order_by()
    )
    return _received_rows(period, rows)


def _received_rows(period: ReportPeriod, rows) -> tuple[dict, list[dict]]:
    """Totals by kind and by month from (year, month, kind, amount, quantity) rows."""
    received = {"total": 0, **dict.fromkeys(KIND_KEYS.values(), 0)}
    received["labour_days"] = received["land_m2"] = None
    months: dict[tuple[int, int], int] = {}
    for year, month, kind, amount, quantity in rows:
        received["total"] += amount
        received[KIND_KEYS[kind]] += amount
        if kind in QUANTITY_KEYS:
            key = QUANTITY_KEYS[kind]
            received[key] = (received[key] or 0) + quantity
        months[(year, month)] = months.get((year, month), 0) + amount
    for key in QUANTITY_KEYS.values():
        # Two decimals, as the quantities are kept, whichever engine summed them.
        received[key] = summed_quantity(received[key]).quantize(Decimal("0.01"))
    by_month = [
        {
            "year": year,
            "month": month,
            "label": f"{month:02d}/{year}",
            "total": months.get((year, month), 0),
        }
        for year, month in period.months()
    ]
    return received, by_month


def money(period: ReportPeriod, audience: str = WORKSPACE) -> dict:
    """Cash received and spent in the period, and the cash balance at its end (2 queries).

    The balance, like the public model page's, is cash left: cash received minus money spent,
    everything up to the end of the period.
    """
    if uses_month_totals(period):
        return _money_from_totals(period, audience)
    return _money_from_entries(period, audience)


def _money_from_entries(period: ReportPeriod, audience: str) -> dict:
    cash = Q(kind=ContributionKind.CASH)
    donations_until_end = Donation.objects.filter(
        _ledger_initiatives_q(period, audience), counted_on__lte=period.end
    ).aggregate(
        cash_in_period=Coalesce(Sum("amount", filter=cash & Q(counted_on__gte=period.start)), 0),
        cash_until_end=Coalesce(Sum("amount", filter=cash), 0),
    )
    expenses_until_end = _expenses(period, audience, until_end=True).aggregate(
        spent=Coalesce(Sum("amount", filter=Q(counted_on__gte=period.start)), 0),
        # Expenses that stand: normal entries less those reversed (each reversal cancels one).
        count=Count("id", filter=Q(counted_on__gte=period.start, reverses__isnull=True))
        - Count("id", filter=Q(counted_on__gte=period.start, reverses__isnull=False)),
        spent_until_end=Coalesce(Sum("amount"), 0),
        entries_until_end=Count("id"),
    )
    return _money_figures(
        cash_in_period=donations_until_end["cash_in_period"],
        cash_until_end=donations_until_end["cash_until_end"],
        **expenses_until_end,
    )


def _money_from_totals(period: ReportPeriod, audience: str) -> dict:
    """``money`` for whole months without filters: one query over the monthly totals of
    cash and expenses up to the end of the period (a few hundred rows at most)."""
    prefix = _totals_prefix(audience)
    amount, rows, standing = (f"{prefix}_amount", f"{prefix}_rows", f"{prefix}_standing")
    cash = Q(kind=ContributionKind.CASH)
    spent = Q(kind=EXPENSE_KIND)
    in_period = Q(month__gte=period.start)
    totals = LedgerMonth.objects.filter(
        month__lte=period.end, kind__in=[ContributionKind.CASH, EXPENSE_KIND]
    ).aggregate(
        cash_in_period=Coalesce(Sum(amount, filter=cash & in_period), 0),
        cash_until_end=Coalesce(Sum(amount, filter=cash), 0),
        spent=Coalesce(Sum(amount, filter=spent & in_period), 0),
        count=Coalesce(Sum(standing, filter=spent & in_period), 0),
        spent_until_end=Coalesce(Sum(amount, filter=spent), 0),
        entries_until_end=Coalesce(Sum(rows, filter=spent), 0),
    )
    return _money_figures(**totals)


def _money_figures(
    *, cash_in_period, cash_until_end, spent, count, spent_until_end, entries_until_end
) -> dict:
    return {
        "cash_received": cash_in_period,
        "spent": spent,
        "expenses": count,
        "balance_in_period": cash_in_period - spent,
        "balance_at_end": cash_until_end - spent_until_end,
        # Without any expense on record a balance would wrongly suggest the money is unspent
        # (see fixtures/README.md): pages then say that no expense has been recorded.
        "has_expenses": entries_until_end > 0,
    }


def funnel(
    period: ReportPeriod, audience: str = WORKSPACE, *, scope: ModelScope | None = None
) -> list[dict]:
    """Registered → implementing → evaluated → recognised, among the models in scope (from
    the figures the overview, evaluations and recognitions sections fetch anyway)."""
    scope = scope or ModelScope(period, audience)
    row = {
        "registered": scope.counts.total,
        "implementing": scope.counts.count(statuses=set(IMPLEMENTED_STATUSES)),
        "evaluated": scope.evaluation_summary["models"],
        "recognised": scope.recognition_summary["recognised_models"],
    }
    labels = {
        "registered": _("Đăng ký"),
        "implementing": _("Triển khai"),
        "evaluated": _("Được đánh giá"),
        "recognised": _("Được công nhận"),
    }
    return [{"key": key, "label": labels[key], "count": row[key]} for key in labels]


def decision_list(
    period: ReportPeriod,
    audience: str = WORKSPACE,
    limit: int | None = None,
    *,
    scope: ModelScope | None = None,
) -> dict:
    """Recognised and commended models with their decision numbers (two queries).

    ``limit`` keeps the first rows of each list: a province decides thousands, which a page
    cannot show (the print view and the exports take every row). For residents, a commended
    household or business linked to a contributor who did not consent to be named shows as
    its kind, not its name.
    """
    scope = scope or ModelScope(period, audience)
    recognised_rows = (
        scope.in_scope(_recognitions(period, audience))
        .values(
            "initiative__code",
            "initiative__title",
            "level",
            "tier",
            "decision_number",
            "decided_on",
        )
        .order_by("initiative__code", "level", "pk")
    )
    commended_rows = (
        scope.in_scope(_commendations(period, audience))
        .values(
            "initiative__code",
            "initiative__title",
            "recipient_name",
            "recipient_kind",
            "contributor_id",
            "contributor__publish_name",
            "form",
            "decision_number",
            "decided_on",
            "prize_amount",
        )
        .order_by("decided_on", "recipient_name", "pk")
    )
    if limit is not None:
        recognised_rows, commended_rows = recognised_rows[:limit], commended_rows[:limit]
    # Each label translated once, not once per row.
    levels, tiers = _labels(RecognitionLevel), _labels(RecognitionTier)
    forms, recipient_kinds = _labels(CommendationForm), _labels(RecipientKind)
    recognised = [
        {
            "code": r["initiative__code"],
            "title": r["initiative__title"],
            "level": levels[r["level"]],
            "tier": tiers[r["tier"]],
            "decision_number": r["decision_number"],
            "decided_on": r["decided_on"],
        }
        for r in recognised_rows
    ]
    commended = []
    for c in commended_rows:
        name = c["recipient_name"]
        if (
            audience == PUBLIC
            and c["contributor_id"] is not None
            and not c["contributor__publish_name"]
        ):
            name = recipient_kinds[c["recipient_kind"]]
        commended.append(
            {
                "code": c["initiative__code"],
                "title": c["initiative__title"],
                "recipient": name,
                "recipient_kind": recipient_kinds[c["recipient_kind"]],
                "form": forms[c["form"]],
                "decision_number": c["decision_number"],
                "decided_on": c["decided_on"],
                "prize": c["prize_amount"],
            }
        )
    return {"recognised": recognised, "commended": commended}


@dataclass
class Report:
    period: ReportPeriod
    audience: str
    overview: dict = field(default_factory=dict)
    by_field: list = field(default_factory=list)
    by_area: list = field(default_factory=list)
    by_admin_unit: list = field(default_factory=list)
    by_lead_organization: list = field(default_factory=list)
    evaluations: dict = field(default_factory=dict)
    recognitions: dict = field(default_factory=dict)
    commendations: dict = field(default_factory=dict)
    contributions: dict = field(default_factory=dict)
    by_month: list = field(default_factory=list)
    money: dict = field(default_factory=dict)
    funnel: list = field(default_factory=list)
    decisions: dict = field(default_factory=dict)
    # Residents' feedback received in the period on the models in scope (participation).
    feedback: FeedbackFigures | None = None
    # The public summary: whether a money figure is withheld (None), and K (``disclosure``)
    withheld: bool = False
    disclosure_k: int = 0


def build_report(
    period: ReportPeriod, audience: str = WORKSPACE, *, decision_limit: int | None = None
) -> Report:
    """Every section of the report: a fixed number of queries whatever the data.

    ``decision_limit``: at most that many rows in each list of decisions; the lists then say
    how many more there are ("recognised_more", "commended_more").
    """
    # One scope for every model section: the figures they share are fetched once.
    scope = ModelScope(period, audience)
    recognised = recognitions(period, audience, scope=scope)
    commended = commendations(period, audience, scope=scope)
    money_in = contributions(period, audience)
    decisions = decision_list(period, audience, limit=decision_limit, scope=scope)
    decisions["recognised_more"] = recognised["decisions"] - len(decisions["recognised"])
    decisions["commended_more"] = commended["total"] - len(decisions["commended"])
    report = Report(
        period=period,
        audience=audience,
        overview=overview(period, audience, scope=scope),
        by_field=models_by_field(period, audience, scope=scope),
        by_area=models_by_area(period, audience, scope=scope),
        by_admin_unit=models_by_admin_unit(period, audience, scope=scope),
        by_lead_organization=models_by_lead_organization(period, audience, scope=scope),
        evaluations=evaluations(period, audience, scope=scope),
        recognitions=recognised,
        commendations=commended,
        contributions=money_in,
        by_month=money_in["by_month"],
        money=money(period, audience),
        funnel=funnel(period, audience, scope=scope),
        decisions=decisions,
        feedback=feedback_figures(
            period.start, period.end, initiatives=initiatives_in_scope(period, audience)
        ),
    )
    if audience == PUBLIC:
        _withhold_hidden_amounts(report)
    return report


def _withhold_hidden_amounts(report: Report) -> None:
    """Withhold (None) every money figure of the public summary that is not made of whole
    blocks of hidden entries (``campaigns.queries.disclosure``; three queries).

    The public summary covers whole calendar years, and adds up every public model: its
    figure of a kind over some years holds whole groups (model, kind, year), so only the
    ward's blocks of those years can withhold it; a month of the chart is withheld when one
    of its groups has a small cell. A period that is not made of whole years (never offered
    to residents) withholds every figure that holds hidden money.
    """
    period = report.period
    state = ward_disclosure()
    whole_years = period.start == dt.date(period.start.year, 1, 1) and period.end == dt.date(
        period.end.year, 12, 31
    )
    years = range(period.start.year, period.end.year + 1)
    up_to_end = range(1, period.end.year + 1)

    def received_withheld(kinds, in_years) -> bool:
        return not whole_years or state.received_withheld(kinds, in_years)

    def pledged_withheld(kinds) -> bool:
        return not whole_years or state.pledged_withheld(kinds, years)

    contributions = report.contributions
    received, pledged = contributions["received"], contributions["pledged"]
    withheld = []

    def hide(row: dict, key: str, condition: bool) -> None:
        if condition:
            row[key] = None
            withheld.append(key)

    for row in contributions["by_kind"]:
        kind = next(k for k, key in KIND_KEYS.items() if key == row["key"])
        hide(row, "pledged", pledged_withheld([kind]))
        hide(row, "received", received_withheld([kind], years))
    all_kinds = list(KIND_KEYS)
    hide(pledged, "total", pledged_withheld(all_kinds))
    hide(received, "total", received_withheld(all_kinds, years))
    for kind, key in QUANTITY_KEYS.items():
        hide(received, key, received_withheld([kind], years))
    for kind, key in KIND_KEYS.items():
        hide(received, key, received_withheld([kind], years))
        hide(pledged, key, pledged_withheld([kind]))
    for row in report.by_month:
        hide(row, "total", not whole_years or state.month_withheld(row["year"], row["month"]))
    cash = [ContributionKind.CASH]
    hide(report.money, "cash_received", received_withheld(cash, years))
    hide(report.money, "balance_in_period", received_withheld(cash, years))
    hide(report.money, "balance_at_end", received_withheld(cash, up_to_end))
    report.withheld = bool(withheld)
    report.disclosure_k = state.k


def years_with_data(audience: str = WORKSPACE) -> list[int]:
    """Years in which models started, money came in or a review round ended (3 queries)."""
    base = _initiative_base(audience)
    spans = [
        base.aggregate(first=Min("started_on"), last=Max("started_on")),
        # Months with a donation to a model the audience sees, from the monthly totals (a
        # reversal counts in its original's month).
        LedgerMonth.objects.exclude(kind=EXPENSE_KIND)
        .filter(**{f"{_totals_prefix(audience)}_rows__gt": 0})
        .aggregate(first=Min("month"), last=Max("month")),
        ReviewRound.objects.aggregate(first=Min("period_end"), last=Max("period_end")),
    ]
    years: set[int] = set()
    for span in spans:
        if span["first"] and span["last"]:
            years.update(range(span["first"].year, span["last"].year + 1))
    return sorted(years, reverse=True)


def _models_with_money(period: ReportPeriod) -> QuerySet:
    """``initiatives_in_scope`` and the models whose pledges, donations or expenses the
    contributions and money sheets count in the period (the same date columns)."""
    days = (period.start, period.end)
    with_money = (
        Q(pk__in=Donation.objects.filter(counted_on__range=days).values("initiative_id"))
        | Q(pk__in=Expense.objects.filter(counted_on__range=days).values("initiative_id"))
        | Q(
            pk__in=Pledge.objects.filter(cancelled=False, pledged_on__range=days).values(
                "initiative_id"
            )
        )
    )
    return (
        _initiative_base(WORKSPACE)
        .filter(period.initiative_q())
        .filter(_scope_q(period) | with_money)
        .order_by()
    )


def model_list(period: ReportPeriod, *, chunk_size: int = 2000) -> Iterator[tuple]:
    """The models of a report with their money in the period: the CSV and the XLSX list.

    Five queries: the money in the period summed per model by three grouped queries (one pass
    over the period's ledger rows each, kept as {model id: sum}; 20,000 models take a few MB)
    and the residents' feedback received and answered per model by a fourth,
    then the models themselves, streamed with ``.iterator()`` so that memory stays flat. A
    correlated sub-select per model and per sum is far slower (see bench/README.md).

    The list holds the models alive in the period and every model with money counted in it
    (``_models_with_money``): a receipt dated after a model ended (a late payment) is summed
    by the contributions and money sheets, and a list without its model would not add up to
    them.
    """
    scope = _models_with_money(period)
    in_scope = Q(initiative__in=scope.values("pk"))

    def per_model(queryset: QuerySet, column: str) -> dict[int, int]:
        return dict(
            queryset.filter(in_scope)
            .values_list("initiative_id")
            .annotate(total=Sum(column))
            .order_by()
        )

    feedback = feedback_per_model(period.start, period.end, initiatives=scope)
    pledged = per_model(
        Pledge.objects.filter(cancelled=False, pledged_on__range=(period.start, period.end)),
        "value",
    )
    received = per_model(
        Donation.objects.filter(counted_on__range=(period.start, period.end)), "amount"
    )
    spent = per_model(
        Expense.objects.filter(counted_on__range=(period.start, period.end)), "amount"
    )
    rows = scope.values_list(
        "pk",
        "code",
        "title",
        "kind",
        "field__parent__name",
        "field__name",
        "status",
        "admin_unit__name",
        "lead_organization__name",
        "started_on",
        "ended_on",
        "published",
    ).order_by("code", "pk")
    for pk, *columns in rows.iterator(chunk_size=chunk_size):
        yield (
            *columns,
            pledged.get(pk, 0),
            received.get(pk, 0),
            spent.get(pk, 0),
            *feedback.get(pk, (0, 0)),
        )
