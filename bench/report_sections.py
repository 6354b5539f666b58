"""The summary report's model sections, timed in-process, and compared with another commit's.

For each audience: every model section of ``campaigns.reports`` (as ``build_report`` calls
them, one ``ModelScope`` shared), timed N times: wall time (min and median), the client's CPU
time (min) and the database's execution time of its queries (EXPLAIN ANALYZE, TIMING OFF; the
sum over the queries of the min of N), which move less than wall time on a loaded machine::

    PGOPTIONS='-c default_transaction_read_only=on' DJANGO_SECRET_KEY=x \\
    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_province \\
    .venv/bin/python bench/report_sections.py --runs 10 --against 07e246f

``--against COMMIT`` also loads that commit's ``campaigns/reports.py`` as a separate module,
times it the same way, and checks that both give equal sections for many periods (years,
half-years, ranges, review rounds, with field, ward and lead-organisation filters) and both
audiences. It only reads.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SECTIONS = [
    "overview",
    "models_by_field",
    "models_by_area",
    "models_by_admin_unit",
    "models_by_lead_organization",
    "evaluations",
    "recognitions",
    "commendations",
    "funnel",
    "decision_list",
]


def load_commit(commit: str):
    """That commit's campaigns/reports.py, importable next to the current one."""
    source = subprocess.run(
        ["git", "show", f"{commit}:campaigns/reports.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    source = re.sub(r"^from \.(\w+) import", r"from campaigns.\1 import", source, flags=re.M)
    path = Path(tempfile.mkdtemp()) / f"reports_{commit}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"reports_{commit}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def call(module, name, period, audience, scope):
    kwargs = {"limit": 50} if name == "decision_list" else {}
    if scope is not None:
        kwargs["scope"] = scope
    return getattr(module, name)(period, audience, **kwargs)


def time_sections(module, label, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = module.ReportPeriod.for_year(2024)
    for audience in (module.PUBLIC, module.WORKSPACE):
        wall = {name: [] for name in SECTIONS}
        cpu = {name: [] for name in SECTIONS}
        sql = {}
        for _ in range(runs):
            scope = module.ModelScope(period, audience) if hasattr(module, "ModelScope") else None
            for name in SECTIONS:
                with CaptureQueriesContext(connection) as ctx:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    call(module, name, period, audience, scope)
                    cpu[name].append((time.process_time() - started_cpu) * 1000)
                    wall[name].append((time.perf_counter() - started) * 1000)
                sql[name] = [q["sql"] for q in ctx.captured_queries]
        print(f"\n{label}, {audience}, year 2024 ({runs} runs; ms)")
        print(
            f"  {'section':30s} {'wall min':>9s} {'wall med':>9s} {'cpu min':>8s} "
            f"{'db min':>7s} queries"
        )
        totals = [0.0, 0.0, 0.0, 0.0, 0]
        for name in SECTIONS:
            db = 0.0
            with connection.cursor() as cursor:
                for query in sql[name]:
                    times = []
                    for _ in range(runs):
                        cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + query.replace("%", "%%"))
                        last = cursor.fetchall()[-1][0]
                        times.append(float(re.search(r"Execution Time: ([\d.]+)", last)[1]))
                    db += min(times)
            row = [min(wall[name]), statistics.median(wall[name]), min(cpu[name]), db]
            totals = [t + v for t, v in zip(totals, [*row, len(sql[name])], strict=True)]
            print(
                f"  {name:30s} {row[0]:9.1f} {row[1]:9.1f} {row[2]:8.1f} {row[3]:7.1f} "
                f"{len(sql[name]):7d}"
            )
        print(
            f"  {'together':30s} {totals[0]:9.1f} {totals[1]:9.1f} {totals[2]:8.1f} "
            f"{totals[3]:7.1f} {totals[4]:7d}"
        )


def periods(module):
    from campaigns.models import ReviewRound
    from registry.models import AdminUnit, Field, Initiative, Organization

    period = module.ReportPeriod
    result = [period.for_year(year) for year in range(2018, 2027)]
    result += [period.for_half_year(2024, 1), period.for_half_year(2024, 2)]
    result += [
        period.for_range(dt.date(2023, 12, 31), dt.date(2023, 12, 31)),
        period.for_range(dt.date(2000, 1, 1), dt.date(2030, 12, 31)),
    ]
    rounds = list(ReviewRound.objects.order_by("pk"))
    result += [period.for_round(r) for r in rounds]
    top = Field.objects.filter(parent__isnull=True).order_by("pk").first()
    sub = Field.objects.filter(parent__isnull=False).order_by("pk").first()
    former = AdminUnit.objects.filter(valid_to__isnull=False).order_by("pk").first()
    current = AdminUnit.objects.filter(valid_to__isnull=True).order_by("pk").first()
    organization = (
        Organization.objects.filter(pk__in=Initiative.objects.values("lead_organization"))
        .order_by("pk")
        .first()
    )
    for filters in [
        {"field": top},
        {"field": sub},
        {"admin_unit": former},
        {"admin_unit": current},
        {"lead_organization": organization},
        {"field": top, "admin_unit": current},
    ]:
        if all(filters.values()):
            result += [period.for_year(2024, **filters), period.for_year(2023, **filters)]
    if rounds and top:
        result.append(period.for_round(rounds[0], field=top))
    return result


def _comparable(name, value):
    """Decision lists as multisets: the older code ordered rows that tie (same code and level,
    or same day and recipient) as the plan happened to; this one breaks ties by id."""
    if name in ("decision_list", "decisions"):
        return {k: sorted(map(repr, v)) if isinstance(v, list) else v for k, v in value.items()}
    return value


def compare(old, new):
    compared = different = 0
    for old_period, new_period in zip(periods(old), periods(new), strict=True):
        for audience in (new.PUBLIC, new.WORKSPACE):
            for name in SECTIONS:
                compared += 1
                kwargs = {"limit": None} if name == "decision_list" else {}
                if _comparable(name, getattr(old, name)(old_period, audience, **kwargs)) != (
                    _comparable(name, getattr(new, name)(new_period, audience, **kwargs))
                ):
                    different += 1
                    print(f"DIFFERENT: {name}, {new_period.label} {new_period.filters} {audience}")
            compared += 1
            old_report = old.build_report(old_period, audience)
            new_report = new.build_report(new_period, audience)
            keys = [k for k in vars(new_report) if k not in ("period", "audience")]
            if any(
                _comparable(k, getattr(old_report, k)) != _comparable(k, getattr(new_report, k))
                for k in keys
            ):
                different += 1
                print(
                    f"DIFFERENT: build_report, {new_period.label} {new_period.filters} {audience}"
                )
    print(f"\ncompared {compared} sections and reports: {different} different")
    return different


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--against", help="a commit whose reports.py to time and compare")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from campaigns import reports

    old = load_commit(args.against) if args.against else None
    if old is not None:
        time_sections(old, args.against, args.runs)
    time_sections(reports, "this tree", args.runs)
    if old is not None and compare(old, reports):
        sys.exit(1)


if __name__ == "__main__":
    main()
