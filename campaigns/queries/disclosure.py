"""The one rule for every money figure residents see: which figures are withheld.

A contributor's amount is public only with both consents (name and amount); everyone else's
money is *hidden*. No public figure, nor any sum or difference of public figures, may give
away what fewer than K hidden contributors gave (K = ``DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS``,
2 by default). The rule that guarantees it:

    The hidden entries are cut into *blocks*. A figure is shown only when the hidden entries
    it adds up are whole blocks, each holding the entries of at least K hidden contributors.
    Any other figure is withheld (None) and marked.

Why that is enough: every shown figure is then the known money (consenting contributors'
amounts, expenses) plus whole blocks, so any sum or difference of shown figures, across pages
and files, is known money plus whole blocks, each counted as a whole; and a block cannot be
cut down to fewer than K contributors by adding or taking away other whole blocks, which do not
share its entries. The test over generated ledgers (tests/campaigns/test_disclosure.py) checks
every number of every public page and file against that.

The blocks. A *cell* is one model's entries of one kind in one month (the grain of the open
data's monthly ledger and of the monthly notice); a *group* is one model's cells of one kind
in one calendar year (the grain the public summary adds up). Counting only standing entries
(neither reversed nor a reversal) of hidden contributors:

1. A cell of a group whose every cell holds K or more hidden contributors is a block.
2. Otherwise (a cell of the group holds 1 to K - 1) the group's hidden entries are one block.
3. A group with fewer than K hidden contributors in all cannot be a block: such groups of one
   kind and year, over all public models, are one block of the ward (the summary's yearly
   total of that kind holds it whole); it is valid when it holds K or more contributors.

Pledges are never shown by month: each model's pledges of one kind and year (``pledged_on``)
are one group, in blocks by 2 and 3 alike.

So: a model's totals are withheld when one of its groups has fewer than K hidden contributors
(the reported case: one household without consent beside one that consented); a monthly figure
of a group with a small cell is withheld, and so is a model's cash balance at the end of a
month that falls inside such a group's months; the summary's figures of a kind and year are
withheld when the ward's block of that kind and year holds fewer than K contributors, and a
month of its chart when one of its groups has a small cell.
"""

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear, TruncMonth

from registry.models import Initiative

from ..models import ContributionKind, Contributor, Donation, Expense, Pledge

EXPENSE = "expense"  # the kind of an expense cell, beside the contribution kinds
STANDING = Q(reverses__isnull=True, reversal__isnull=True)
# The site shows an amount next to a name only with both consents: the same rule here.
CONSENTED = Q(contributor__publish_name=True, contributor__publish_amount=True)
HIDDEN = ~CONSENTED
ALL_KINDS = tuple(ContributionKind.values)


def min_hidden() -> int:
    """K: the fewest hidden contributors a shown figure may hold (setting, at least 2)."""
    return settings.DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS


def monthly_cells(
    model: type[Donation] | type[Expense],
    initiatives: QuerySet | Iterable[int],
    *,
    chunk_size: int = 1000,
) -> Iterator[dict]:
    """(model, month, kind) cells of the donations, or the expenses, of ``initiatives``.

    Each cell: ``initiative_id``, ``initiative__code``, ``month`` (its first day), ``kind``
    (a contribution kind, or ``EXPENSE``), ``entries`` (standing ones), ``amount`` (net of
    reversals) and ``withheld`` (hidden contributors of its standing entries), in (model,
    month, kind) order; a cell whose entries were all reversed is left out (nothing happened
    that month).
    """
    is_donation = model is Donation
    queryset = (
        model.objects.filter(initiative__in=initiatives)
        .annotate(month=TruncMonth("counted_on"))
        .values("initiative_id", "initiative__code", "month", *(["kind"] if is_donation else []))
        .annotate(
            entries=Count("pk", filter=STANDING),
            amount=Sum("amount"),
            **(
                {"withheld": Count("contributor", distinct=True, filter=STANDING & HIDDEN)}
                if is_donation
                else {}
            ),
        )
        # By key, not by code: callers merge streams in Python, and a database's text
        # collation need not sort codes as Python does.
        .order_by("initiative_id", "month", *(["kind"] if is_donation else []))
    )
    for row in queryset.iterator(chunk_size=chunk_size):
        if not row["entries"] and not row["amount"]:
            continue
        row.setdefault("kind", EXPENSE)
        row.setdefault("withheld", 0)
        row["amount"] = int(row["amount"] or 0)
        if isinstance(row["month"], dt.datetime):
            row["month"] = row["month"].date()
        yield row


def suppress(cells: list[dict]) -> list[dict]:
    """Mark (``suppressed``) the cells of ONE model whose amount must not be shown: a cell
    with hidden money is shown alone only under rule 1 (every cell of its group holds K or
    more hidden contributors). Expenses name nobody."""
    k = min_hidden()
    small_groups = {
        (c["kind"], c["month"].year)
        for c in cells
        if c["kind"] != EXPENSE and 0 < c["withheld"] < k
    }
    for cell in cells:
        cell["suppressed"] = bool(cell["withheld"]) and (
            (cell["kind"], cell["month"].year) in small_groups
        )
    return cells


def _group_people(model, initiatives) -> QuerySet:
    """Hidden contributors per (model, kind, year) of donations (standing entries) or pledges
    (not cancelled): ``initiative_id``, ``kind``, ``year``, ``people``, ``source``."""
    if model is Donation:
        date, condition, source = "counted_on", STANDING & HIDDEN, "donation"
    else:
        date, condition, source = "pledged_on", Q(cancelled=False) & HIDDEN, "pledge"
    return (
        model.objects.filter(initiative__in=initiatives)
        .annotate(year=ExtractYear(date), source=Value(source))
        .values("source", "initiative_id", "kind", "year")
        .annotate(people=Count("contributor", distinct=True, filter=condition))
        .order_by()
    )


@dataclass
class ModelDisclosure:
    """Which figures of ONE model may be shown (blocks 1 and 2; a group of block 3 withholds
    every model figure it touches, since the ward's block is never inside one model)."""

    k: int
    # (kind, year) -> hidden contributors: donations and pledges
    people: dict[tuple[str, int], int] = field(default_factory=dict)
    pledge_people: dict[tuple[str, int], int] = field(default_factory=dict)
    # (month, kind) -> hidden contributors of the cell, for the cells with any
    cells: dict[tuple[dt.date, str], int] = field(default_factory=dict)

    def totals_withheld(self, kinds: Iterable[str] = ALL_KINDS) -> bool:
        """A total over all time of these kinds of donations (all of a group's cells are in it,
        so only rule 3 can withhold it)."""
        kinds = set(kinds)
        return any(0 < n < self.k for (kind, _y), n in self.people.items() if kind in kinds)

    def pledged_withheld(self) -> bool:
        return any(0 < n < self.k for n in self.pledge_people.values())

    def figure_withheld(self, contains: Callable[[dt.date, str], bool]) -> bool:
        """A figure that adds up the cells for which ``contains(month, kind)`` holds."""
        groups: dict[tuple[str, int], list] = {}
        for (month, kind), hidden in self.cells.items():
            groups.setdefault((kind, month.year), []).append((month, hidden))
        for (kind, year), cells in groups.items():
            inside = [contains(month, kind) for month, _hidden in cells]
            if not any(inside) or all(hidden >= self.k for _month, hidden in cells):
                continue  # untouched, or every touched cell is a block of its own (rule 1)
            if self.people.get((kind, year), 0) < self.k or not all(inside):
                return True  # part of a block (rule 2), or a block of the ward (rule 3)
        return False


def model_disclosure(initiative: Initiative, *, with_cells: bool = False) -> ModelDisclosure:
    """The disclosure state of one model: one query, two with its monthly cells."""
    rows = _group_people(Donation, [initiative.pk]).union(
        _group_people(Pledge, [initiative.pk]), all=True
    )
    result = ModelDisclosure(min_hidden())
    for row in rows:
        target = result.people if row["source"] == "donation" else result.pledge_people
        key = (row["kind"], int(row["year"]))
        target[key] = target.get(key, 0) + row["people"]
    if with_cells:
        for cell in monthly_cells(Donation, [initiative.pk]):
            if cell["withheld"]:
                result.cells[(cell["month"], cell["kind"])] = cell["withheld"]
    return result


@dataclass
class WardDisclosure:
    """Which figures over every public model (the public summary) may be shown."""

    k: int
    # (kind, year) -> hidden contributors of the ward's block (rule 3); absent: no such block
    donations: dict[tuple[str, int], int]
    pledges: dict[tuple[str, int], int]
    # first days of the months with a cell of a group that has a small cell
    months: set[dt.date]

    def _invalid(self, blocks: dict, kinds: Iterable[str], years: Iterable[int]) -> bool:
        kinds, years = set(kinds), set(years)
        return any(
            0 < n < self.k for (kind, year), n in blocks.items() if kind in kinds and year in years
        )

    def received_withheld(self, kinds: Iterable[str], years: Iterable[int]) -> bool:
        """A ward total of these kinds of donations over these whole calendar years."""
        return self._invalid(self.donations, kinds, years)

    def pledged_withheld(self, kinds: Iterable[str], years: Iterable[int]) -> bool:
        return self._invalid(self.pledges, kinds, years)

    def month_withheld(self, year: int, month: int) -> bool:
        """The ward's donations of one month, all kinds."""
        return dt.date(year, month, 1) in self.months


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def ward_disclosure() -> WardDisclosure:
    """The disclosure state of the ward's public models, kept in the cache until the data it
    depends on changes: one query when it is there, four when not.

    Working it out reads every hidden entry of every public model (a pass over most of the
    ledger at province scale), far beyond the public summary's time budget; the key holds
    what changes it: the newest donation (the ledger is append-only, a reversal is a new row)
    and the newest history row of pledges, contributors (their consents) and models (their
    publication), and K.
    """
    key = "disclosure:ward:" + hashlib.sha256(repr((min_hidden(), _stamp())).encode()).hexdigest()
    try:
        state = cache.get(key)
    except Exception:  # an unreachable cache: work it out, as without one
        state = None
    if state is None:
        state = _ward_disclosure()
        with contextlib.suppress(Exception):  # the figures are right without the cache
            cache.set(key, state, WARD_CACHE_SECONDS)
    return state


# How long an unchanged ward state is kept (it is keyed by the data, so never stale).
WARD_CACHE_SECONDS = 24 * 3600


def _stamp() -> tuple:
    """What ``ward_disclosure`` depends on, in one query of four indexed MAX()."""
    qn = connection.ops.quote_name
    tables = [
        (Donation._meta.db_table, "id"),
        (Pledge.history.model._meta.db_table, "history_date"),
        (Contributor.history.model._meta.db_table, "history_date"),
        (Initiative.history.model._meta.db_table, "history_date"),
    ]
    sql = "SELECT " + ", ".join(
        f"(SELECT MAX({qn(column)}) FROM {qn(table)})" for table, column in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(str(value) for value in cursor.fetchone())


def _ward_disclosure() -> WardDisclosure:
    """Three queries, each one pass over the hidden entries, grouped in the database; only
    the few withheld keys come back."""
    k = min_hidden()
    public = Initiative.objects.public().values("pk")
    # (model, kind, year, month, contributor) of hidden contributors with standing money
    pairs = (
        Donation.objects.filter(HIDDEN, initiative__in=public)
        .annotate(year=ExtractYear("counted_on"), month=TruncMonth("counted_on"))
        .values_list("initiative_id", "kind", "year", "month", "contributor_id")
        .annotate(net=Sum("amount"))
        .filter(net__gt=0)
        .order_by()
    )
    pairs_sql, pairs_params = _sql(pairs)
    people = (
        "people (initiative_id, kind, year, n) AS ("
        "SELECT initiative_id, kind, year, COUNT(DISTINCT contributor_id) FROM pairs "
        "GROUP BY initiative_id, kind, year)"
    )
    same_group = "g.initiative_id = p.initiative_id AND g.kind = p.kind AND g.year = p.year"
    columns = "(initiative_id, kind, year, month, contributor_id, net)"
    ward_blocks = (
        f"WITH pairs {columns} AS ({pairs_sql}), {people} "
        f"SELECT p.kind, p.year, COUNT(DISTINCT p.contributor_id) FROM pairs p "
        f"JOIN people g ON {same_group} WHERE g.n < %s GROUP BY p.kind, p.year"
    )
    small_months = (
        f"WITH pairs {columns} AS ({pairs_sql}), "
        "cells (initiative_id, kind, year, month, h) AS ("
        "SELECT initiative_id, kind, year, month, COUNT(*) FROM pairs "
        "GROUP BY initiative_id, kind, year, month), "
        "small (initiative_id, kind, year) AS (SELECT initiative_id, kind, year FROM cells "
        "GROUP BY initiative_id, kind, year HAVING MIN(h) < %s) "
        "SELECT DISTINCT p.month FROM cells p JOIN small g ON " + same_group
    )
    pledge_pairs = (
        Pledge.objects.filter(HIDDEN, cancelled=False, initiative__in=public)
        .annotate(year=ExtractYear("pledged_on"))
        .values_list("initiative_id", "kind", "year", "contributor_id")
        .distinct()
        .order_by()
    )
    pledge_sql, pledge_params = _sql(pledge_pairs)
    pledge_blocks = (
        f"WITH pairs (initiative_id, kind, year, contributor_id) AS ({pledge_sql}), {people} "
        f"SELECT p.kind, p.year, COUNT(DISTINCT p.contributor_id) FROM pairs p "
        f"JOIN people g ON {same_group} WHERE g.n < %s GROUP BY p.kind, p.year"
    )
    with connection.cursor() as cursor:
        cursor.execute(ward_blocks, (*pairs_params, k))
        donations = {(kind, int(year)): n for kind, year, n in cursor.fetchall()}
        cursor.execute(pledge_blocks, (*pledge_params, k))
        pledges = {(kind, int(year)): n for kind, year, n in cursor.fetchall()}
        cursor.execute(small_months, (*pairs_params, k))
        months = {_as_date(month) for (month,) in cursor.fetchall()}
    return WardDisclosure(k, donations, pledges, months)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):  # SQLite: no converter on a raw cursor
        return dt.date.fromisoformat(value[:10])
    return value
