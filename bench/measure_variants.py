"""The report's and the model page's hand-made parts, measured with and without, in-process.

Three questions, each answered on the province data in the same run (base and variant
interleaved, ``--repeats`` runs of ``--runs`` calls each, the median of the runs' medians):

1. ``grain``: the ledger's running totals per model (per model, month and kind; per
   contributor, model and year), the grain that would let one code path serve every filter
   and audience. The tables are built in a transaction that is rolled back at the end (the
   database is left as it was) and the queries the reports would run on them are timed next
   to today's two ways (the totals per month and kind, the entries).
2. ``counts``: ``ModelScope.counts`` (one hand-written GROUPING SETS / UNION ALL statement)
   against the plain ORM (``values().annotate(Count())`` per dimension), alone and inside the
   public summary page and the whole-province XLSX.
3. ``ledger``: ``initiative_ledger_totals`` (one hand-written statement) against the ORM (one
   conditional ``aggregate()`` and two sums), alone and inside the public model page.

::

    DJANGO_SECRET_KEY=x DJANGO_DEBUG=off DJANGO_ALLOWED_HOSTS=testserver PAGE_CACHE_SECONDS=0 \\
    STATIC_ROOT=/tmp/bench-static DATABASE_URL=postgres://root@127.0.0.1:5432/bench_province \\
    .venv/bin/python bench/measure_variants.py grain counts ledger

(``collectstatic`` into STATIC_ROOT first.) ``grain`` writes temporary tables inside a
transaction it rolls back; the other two only read.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.public_pages import Requester, pages, setup  # noqa: E402


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


COST_ONLY = False


def compare(label: str, variants: dict, runs: int, repeats: int) -> dict:
    """Each variant is (enter, call): ``enter`` a context manager factory switching it on."""
    if COST_ONLY:
        return {}
    medians = {name: [] for name in variants}
    for enter, call in variants.values():
        with enter():
            call()  # warm-up
    for _ in range(repeats):
        for name, (enter, call) in variants.items():
            with enter():
                medians[name].append(timed(call, runs))
    result = {name: statistics.median(values) for name, values in medians.items()}
    base = next(iter(result.values()))
    for name, value in result.items():
        change = f" ({(value - base) / base * 100:+.0f} %)" if name != next(iter(result)) else ""
        print(f"{label:<34} {name:<22} {value:9.1f} ms{change}", flush=True)
    return result


def cost(label: str, variants: dict, runs: int) -> dict:
    """A figure that moves less on a loaded machine than wall time: this process's CPU time
    (min of ``runs``) plus the database's execution time of the queries the call makes
    (EXPLAIN ANALYZE, TIMING OFF: for each query the min of ``runs``, summed)."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = {}
    for name, (enter, call) in variants.items():
        with enter():
            call()
            cpu = []
            for _ in range(runs):
                start = time.process_time()
                call()
                cpu.append((time.process_time() - start) * 1000)
            with CaptureQueriesContext(connection) as ctx:
                call()
        db = 0.0
        with connection.cursor() as cursor:
            for query in ctx.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                times = []
                for _ in range(runs):
                    cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + sql.replace("%", "%%"))
                    last = cursor.fetchall()[-1][0]
                    times.append(float(re.search(r"Execution Time: ([\d.]+)", last)[1]))
                db += min(times)
        result[name] = (min(cpu), db, len(ctx.captured_queries))
    base = sum(next(iter(result.values()))[:2])
    for name, (cpu, db, queries) in result.items():
        total = cpu + db
        print(
            f"{label:<34} {name:<12} CPU {cpu:7.1f} + SQL {db:7.1f} = {total:7.1f} ms "
            f"({(total - base) / base * 100:+.0f} %), {queries} queries",
            flush=True,
        )
    return result


# --- 1. the grain -------------------------------------------------------------------------------

GRAIN_TABLES = [
    """
    CREATE TEMP TABLE grain_month ON COMMIT DROP AS
    SELECT initiative_id, date_trunc('month', counted_on)::date AS month, kind,
           SUM(amount)::bigint AS amount, SUM(COALESCE(quantity, 0)) AS quantity,
           COUNT(*) AS entry_rows,
           SUM(CASE WHEN reverses_id IS NULL THEN 1 ELSE -1 END) AS standing
    FROM campaigns_donation GROUP BY 1, 2, 3
    UNION ALL
    SELECT initiative_id, date_trunc('month', counted_on)::date, 'expense', SUM(amount), 0,
           COUNT(*), SUM(CASE WHEN reverses_id IS NULL THEN 1 ELSE -1 END)
    FROM campaigns_expense GROUP BY 1, 2
    """,
    "CREATE INDEX ON grain_month (month, kind, initiative_id) "
    "INCLUDE (amount, quantity, entry_rows, standing)",
    """
    CREATE TEMP TABLE grain_contributor ON COMMIT DROP AS
    SELECT contributor_id, initiative_id, extract(year from counted_on)::integer AS year,
           SUM(amount)::bigint AS net
    FROM campaigns_donation GROUP BY 1, 2, 3
    """,
    "CREATE INDEX ON grain_contributor (year, initiative_id, contributor_id) INCLUDE (net)",
    "ANALYZE grain_month",
    "ANALYZE grain_contributor",
]


def grain(args):
    from django.db import connection, transaction

    from campaigns import reports
    from registry.choices import PUBLIC_STATUSES
    from registry.models import Field

    field = Field.objects.filter(parent__isnull=True, slug__startswith="bench-").first()
    statuses = ", ".join(f"'{s}'" for s in PUBLIC_STATUSES)
    audience_sql = {
        reports.PUBLIC: f"i.published AND i.status IN ({statuses})",
        reports.WORKSPACE: "i.status <> 'draft'",
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            for statement in GRAIN_TABLES:
                cursor.execute(statement)
            cursor.execute("SELECT COUNT(*) FROM grain_month")
            months = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM grain_contributor")
            contributors = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM campaigns_ledgermonth")
            today_months = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM campaigns_contributoryear")
            today_years = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM campaigns_donation")
            entries = cursor.fetchone()[0]
        print(
            f"rows: ledger {entries:,} donations; per month and kind {today_months:,}; "
            f"per model, month and kind {months:,}; per contributor and year {today_years:,}; "
            f"per contributor, model and year {contributors:,}"
        )

        def run(sql):
            def call():
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    cursor.fetchall()

            return call

        none = contextlib.nullcontext
        for label, period in (
            ("year 2024", reports.ReportPeriod.for_year(2024)),
            (f"year 2024, field {field.pk}", reports.ReportPeriod.for_year(2024, field=field)),
        ):
            for audience, where in audience_sql.items():
                if period.field:
                    where += (
                        f" AND (i.field_id = {field.pk} OR i.field_id IN "
                        f"(SELECT id FROM registry_field WHERE parent_id = {field.pk}))"
                    )
                start, end = period.start.isoformat(), period.end.isoformat()
                received = (
                    "SELECT m.month, m.kind, SUM(m.amount), SUM(m.quantity) FROM grain_month m "
                    f"JOIN registry_initiative i ON i.id = m.initiative_id WHERE {where} "
                    f"AND m.month BETWEEN '{start}' AND '{end}' AND m.kind <> 'expense' "
                    "GROUP BY 1, 2"
                )
                money = (
                    "SELECT SUM(m.amount) FILTER (WHERE m.kind = 'cash' AND m.month >= "
                    f"'{start}'), SUM(m.amount) FILTER (WHERE m.kind = 'cash'), "
                    "SUM(m.amount) FILTER (WHERE m.kind = 'expense'), "
                    "SUM(m.standing) FILTER (WHERE m.kind = 'expense') FROM grain_month m "
                    f"JOIN registry_initiative i ON i.id = m.initiative_id WHERE {where} "
                    f"AND m.month <= '{end}' AND m.kind IN ('cash', 'expense')"
                )
                contributors_sql = (
                    "SELECT c.kind, COUNT(*) FROM (SELECT g.contributor_id FROM "
                    "grain_contributor g JOIN registry_initiative i ON i.id = g.initiative_id "
                    f"WHERE {where} AND g.year = {period.start.year} GROUP BY g.contributor_id "
                    "HAVING SUM(g.net) > 0) s JOIN campaigns_contributor c "
                    "ON c.id = s.contributor_id GROUP BY c.kind"
                )
                donations = reports._donations(period, audience)
                variants = {
                    "entries": (none, lambda p=period, d=donations: reports._received(p, d)),
                    "per model+month": (none, run(received)),
                }
                if not period.field:
                    variants = {
                        "totals (today)": (
                            none,
                            lambda p=period, a=audience: reports._received_from_totals(p, a),
                        ),
                        **variants,
                    }
                compare(f"received {label} {audience}", variants, args.runs, args.repeats)
                variants = {
                    "entries": (
                        none,
                        lambda p=period, a=audience: reports._money_from_entries(p, a),
                    ),
                    "per model+month": (none, run(money)),
                }
                if not period.field:
                    variants = {
                        "totals (today)": (
                            none,
                            lambda p=period, a=audience: reports._money_from_totals(p, a),
                        ),
                        **variants,
                    }
                compare(f"money {label} {audience}", variants, args.runs, args.repeats)
                variants = {
                    "entries": (none, lambda d=donations: reports._contributors_by_kind(d)),
                    "per contributor+model": (none, run(contributors_sql)),
                }
                if not period.field:
                    variants = {
                        "totals (today)": (
                            none,
                            lambda p=period, a=audience: reports._contributors_from_totals(p, a),
                        ),
                        **variants,
                    }
                compare(f"contributors {label} {audience}", variants, args.runs, args.repeats)
        transaction.set_rollback(True)


# --- 2. the model counts ------------------------------------------------------------------------


def orm_counts(self):
    """``ModelScope.counts`` through the ORM: three grouped queries, no hand-written SQL."""
    from django.db.models import Case, Count, F, IntegerField, Value, When

    from campaigns.reports import ModelCounts

    period = self.period
    rows = self.models().annotate(
        is_new=Case(
            When(started_on__range=(period.start, period.end), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    by_kind_status, by_field = {}, {}
    for kind, status, is_new, *field, n in (
        rows.values_list(
            "kind",
            "status",
            "is_new",
            "field_id",
            "field__name",
            "field__order",
            "field__parent_id",
            "field__parent__name",
            "field__parent__order",
        )
        .annotate(n=Count("*"))
        .order_by()
    ):
        key = (kind, status, bool(is_new))
        by_kind_status[key] = by_kind_status.get(key, 0) + n
        entry = by_field.setdefault(field[0], dict(zip(("id", "name", "order", "parent_id",
            "parent__name", "parent__order", "count"), (*field, 0), strict=True)))  # fmt: skip
        entry["count"] += n
    by_admin_unit = [
        (name, valid_to, n)
        for _pk, name, valid_to, n in rows.values_list(
            "admin_unit_id", "admin_unit__name", "admin_unit__valid_to"
        )
        .annotate(n=Count("*"))
        .order_by(
            F("admin_unit__name").asc(nulls_last=True),
            F("admin_unit__valid_to").asc(nulls_last=True),
            "admin_unit_id",
        )
    ]
    by_lead_organization = [
        (name, n)
        for _pk, name, n in rows.values_list("lead_organization_id", "lead_organization__name")
        .annotate(n=Count("*"))
        .order_by(F("lead_organization__name").asc(nulls_last=True), "lead_organization_id")
    ]
    return ModelCounts(by_kind_status, list(by_field.values()), by_admin_unit,
                       by_lead_organization)  # fmt: skip


def orm_counts_by_ids(self):
    """``ModelScope.counts`` through the ORM, grouped by ids only (the narrow index serves
    each), the names fetched afterwards: three grouped queries and three of names."""
    from django.db.models import Case, Count, F, IntegerField, Value, When

    from campaigns.reports import ModelCounts
    from registry.models import AdminUnit, Field, Organization

    period = self.period
    rows = self.models().annotate(
        is_new=Case(
            When(started_on__range=(period.start, period.end), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    by_kind_status, per_field = {}, {}
    for kind, status, is_new, field_id, n in (
        rows.values_list("kind", "status", "is_new", "field_id").annotate(n=Count("*")).order_by()
    ):
        key = (kind, status, bool(is_new))
        by_kind_status[key] = by_kind_status.get(key, 0) + n
        per_field[field_id] = per_field.get(field_id, 0) + n
    by_field = [
        {**row, "count": per_field[row["id"]]}
        for row in Field.objects.filter(pk__in=per_field).values(
            "id", "name", "order", "parent_id", "parent__name", "parent__order"
        )
    ]
    per_unit = dict(rows.values_list("admin_unit_id").annotate(n=Count("*")).order_by())
    by_admin_unit = [
        (name, valid_to, per_unit[pk])
        for pk, name, valid_to in AdminUnit.objects.filter(pk__in=per_unit)
        .order_by(F("name").asc(nulls_last=True), F("valid_to").asc(nulls_last=True), "id")
        .values_list("id", "name", "valid_to")
    ]
    per_org = dict(rows.values_list("lead_organization_id").annotate(n=Count("*")).order_by())
    by_lead_organization = [
        (name, per_org[pk])
        for pk, name in Organization.objects.filter(pk__in=[k for k in per_org if k])
        .order_by(F("name").asc(nulls_last=True), "id")
        .values_list("id", "name")
    ]
    if None in per_org:
        by_lead_organization.append((None, per_org[None]))
    return ModelCounts(by_kind_status, by_field, by_admin_unit, by_lead_organization)


def comparable(counts):
    """The counts with the fields in one order (the sections sort them; neither query does)."""
    return (
        counts.by_kind_status,
        sorted(counts.by_field, key=lambda row: row["id"]),
        counts.by_admin_unit,
        counts.by_lead_organization,
    )


@contextlib.contextmanager
def patched(owner, name, value):
    old = owner.__dict__[name]
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, old)


def counts(args):
    from functools import cached_property

    from campaigns import exports, reports
    from registry.models import Field

    orm = cached_property(orm_counts)
    orm.__set_name__(reports.ModelScope, "counts")
    by_ids = cached_property(orm_counts_by_ids)
    by_ids.__set_name__(reports.ModelScope, "counts")

    def use_orm():
        return patched(reports.ModelScope, "counts", orm)

    def use_ids():
        return patched(reports.ModelScope, "counts", by_ids)

    none = contextlib.nullcontext
    field = Field.objects.filter(parent__isnull=True, slug__startswith="bench-").first()
    for label, period in (
        ("year 2024", reports.ReportPeriod.for_year(2024)),
        (f"year 2024, field {field.pk}", reports.ReportPeriod.for_year(2024, field=field)),
    ):
        for audience in (reports.PUBLIC, reports.WORKSPACE):
            plain = comparable(reports.ModelScope(period, audience).counts)
            for variant in (use_orm, use_ids):
                with variant():
                    found = comparable(reports.ModelScope(period, audience).counts)
                    assert found == plain, (label, audience, variant.__name__)
            compare(
                f"counts {label} {audience}",
                {
                    "hand SQL": (
                        none,
                        lambda p=period, a=audience: reports.ModelScope(p, a).counts,
                    ),
                    "ORM": (use_orm, lambda p=period, a=audience: reports.ModelScope(p, a).counts),
                    "ORM by ids": (
                        use_ids,
                        lambda p=period, a=audience: reports.ModelScope(p, a).counts,
                    ),
                },
                args.runs,
                args.repeats,
            )
            compare(
                f"build_report {label} {audience}",
                {
                    "hand SQL": (none, lambda p=period, a=audience: reports.build_report(p, a)),
                    "ORM": (use_orm, lambda p=period, a=audience: reports.build_report(p, a)),
                    "ORM by ids": (
                        use_ids,
                        lambda p=period, a=audience: reports.build_report(p, a),
                    ),
                },
                args.runs,
                args.repeats,
            )
        for audience in (reports.PUBLIC, reports.WORKSPACE):
            cost(
                f"build_report {label} {audience}",
                {
                    "hand SQL": (none, lambda p=period, a=audience: reports.build_report(p, a)),
                    "ORM": (use_orm, lambda p=period, a=audience: reports.build_report(p, a)),
                    "ORM by ids": (
                        use_ids,
                        lambda p=period, a=audience: reports.build_report(p, a),
                    ),
                },
                args.runs,
            )
    requester = Requester()
    url = pages()["summary year"]
    cost(
        "page /bao-cao/?year=2024",
        {
            "hand SQL": (none, lambda: requester.get(url, "vi")),
            "ORM": (use_orm, lambda: requester.get(url, "vi")),
            "ORM by ids": (use_ids, lambda: requester.get(url, "vi")),
        },
        args.runs,
    )
    compare(
        "page /bao-cao/?year=2024",
        {
            "hand SQL": (none, lambda: requester.get(url, "vi")),
            "ORM": (use_orm, lambda: requester.get(url, "vi")),
            "ORM by ids": (use_ids, lambda: requester.get(url, "vi")),
        },
        args.runs,
        args.repeats,
    )
    import datetime as dt

    province = reports.ReportPeriod.for_range(dt.date(2019, 1, 1), dt.date(2026, 12, 31))

    def xlsx():
        exports.write_workbook(reports.build_report(province), io.BytesIO())

    compare(
        "xlsx province",
        {"hand SQL": (none, xlsx), "ORM": (use_orm, xlsx), "ORM by ids": (use_ids, xlsx)},
        1,
        args.repeats,
    )


# --- 3. the model page's ledger totals ----------------------------------------------------------


def orm_ledger_totals(initiative):
    """``initiative_ledger_totals`` through the ORM: a conditional aggregate and two sums."""
    from django.db.models import Count, Q, Sum

    from campaigns.models import ContributionKind, Donation, Expense, Pledge
    from campaigns.queries.ledger import CONTRIBUTOR_KIND_KEYS, VALUED_KINDS, summed_quantity

    standing = Q(reverses__isnull=True, reversal__isnull=True)
    row = Donation.objects.filter(initiative=initiative).aggregate(
        received_cash=Sum("amount", filter=Q(kind=ContributionKind.CASH)),
        received_valued=Sum("amount", filter=Q(kind__in=VALUED_KINDS)),
        labour_days=Sum("quantity", filter=Q(kind=ContributionKind.LABOUR)),
        land_m2=Sum("quantity", filter=Q(kind=ContributionKind.LAND)),
        donors=Count("contributor", distinct=True, filter=standing),
        **{
            key: Count("contributor", distinct=True, filter=standing & Q(contributor__kind=kind))
            for key, kind in CONTRIBUTOR_KIND_KEYS.items()
        },
    )
    row["pledged"] = (
        Pledge.objects.filter(initiative=initiative, cancelled=False).aggregate(s=Sum("value"))["s"]
        or 0
    )
    row["spent"] = (
        Expense.objects.filter(initiative=initiative).aggregate(s=Sum("amount"))["s"] or 0
    )
    row["received_cash"] = row["received_cash"] or 0
    row["received_valued"] = row["received_valued"] or 0
    row["labour_days"] = summed_quantity(row["labour_days"])
    row["land_m2"] = summed_quantity(row["land_m2"])
    row["received"] = row["received_cash"] + row["received_valued"]
    row["balance"] = row["received_cash"] - row["spent"]
    return row


def ledger(args):
    from campaigns.queries import ledger as queries
    from registry.models import Initiative

    none = contextlib.nullcontext
    url = pages()["model page"]
    initiative = Initiative.objects.get(slug=url.rstrip("/").rsplit("/", 1)[1])
    assert orm_ledger_totals(initiative) == queries.initiative_ledger_totals(initiative)

    def use_orm():
        return patched(queries, "initiative_ledger_totals", orm_ledger_totals)

    compare(
        "initiative_ledger_totals",
        {
            "hand SQL": (none, lambda: queries.initiative_ledger_totals(initiative)),
            "ORM": (none, lambda: orm_ledger_totals(initiative)),
        },
        args.runs,
        args.repeats,
    )
    requester = Requester()
    cost(
        f"page {url}",
        {
            "hand SQL": (none, lambda: requester.get(url, "vi")),
            "ORM": (use_orm, lambda: requester.get(url, "vi")),
        },
        args.runs,
    )
    compare(
        f"page {url}",
        {
            "hand SQL": (none, lambda: requester.get(url, "vi")),
            "ORM": (use_orm, lambda: requester.get(url, "vi")),
        },
        args.runs,
        args.repeats,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("questions", nargs="+", choices=["grain", "counts", "ledger"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--cost-only", action="store_true", help="only CPU + SQL execution time (no wall time)"
    )
    args = parser.parse_args()
    global COST_ONLY
    COST_ONLY = args.cost_only
    setup()
    for question in args.questions:
        {"grain": grain, "counts": counts, "ledger": ledger}[question](args)


if __name__ == "__main__":
    main()
