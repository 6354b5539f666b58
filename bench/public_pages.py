"""The public pages one request at a time, in-process: timings, call counts, profiles, HTML.

A profiling aid (the Python cost of a public page). Every public page of the
benchmark (home, list p1, list p200, search+field, model page, public summary), in
Vietnamese and in English (the language cookie, as ``wardmodels.middleware`` decides), is
requested through Django's WSGI handler, i.e. the whole middleware stack, as an anonymous
visitor without cookies (what wrk sends)::

    PGOPTIONS='-c default_transaction_read_only=on' DJANGO_SECRET_KEY=x DJANGO_DEBUG=off \\
    DJANGO_ALLOWED_HOSTS=testserver PAGE_CACHE_SECONDS=0 STATIC_ROOT=/tmp/bench-static \\
    DATABASE_URL=postgres://root@127.0.0.1:5432/bench_province \\
    .venv/bin/python bench/public_pages.py time --runs 15

Commands:

- ``time``: median and minimum wall time of --runs requests per page, median CPU time of
  this process (Python; the database server's work excluded), SQL queries and SQL
  time, and the number of Python function calls (cProfile) of one request.
  ``--no-count-cap``: the same with the public list counting every match.
- ``profile NAME``: cProfile of --runs requests of one page (sorted by cumulative time,
  then by own time), e.g. ``profile "list p1"``.
- ``snapshot DIR``: every page's HTML into DIR (the CSRF token replaced by a placeholder),
  to compare two builds with ``diff -r``.

``collectstatic`` into STATIC_ROOT first (DEBUG off reads the manifest). On a database
without the benchmark's data (the demo in SQLite), the first public model and the first
top-level field stand in for the benchmark's showcase.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def pages() -> dict[str, str]:
    from django.db.models import Count

    from bench.management.commands.seed_bench import PREFIX
    from registry.models import Field, Initiative

    showcase = (
        Initiative.objects.public().filter(code=f"{PREFIX}0000001").first()
        or Initiative.objects.public().order_by("pk").first()
    )
    fields = Field.objects.filter(parent__isnull=True)
    field_id = (
        fields.filter(slug__startswith="bench-")
        .annotate(n=Count("children__initiatives"))
        .order_by("-n")
        .values_list("pk", flat=True)
        .first()
    ) or fields.order_by("pk").values_list("pk", flat=True).first()
    return {
        "home": "/",
        "list p1": "/mo-hinh/",
        "list p200": "/mo-hinh/?page=200"
        if Initiative.objects.public().count() > 12 * 200
        else "/mo-hinh/?page=2",
        "search+field": f"/mo-hinh/?q=duong+hoa+le+loi&field={field_id}",
        "model page": f"/mo-hinh/{showcase.slug}/",
        "summary year": "/bao-cao/?year=2024",
    }


class Requester:
    """Requests through the WSGI handler, as gunicorn would call it."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()

    def get(self, url: str, language: str) -> tuple[int, bytes]:
        from django.conf import settings

        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if language != "vi":
            environ["HTTP_COOKIE"] = f"{settings.LANGUAGE_COOKIE_NAME}={language}"
        status = []

        def start_response(s, headers, exc_info=None):
            status.append(int(s.split()[0]))

        result = self.handler(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return status[0], body


class _Timed:
    """An execute wrapper that appends each query's duration (s) to a list."""

    def __init__(self, durations: list):
        self.durations = durations

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.durations.append(time.perf_counter() - start)


def cmd_time(args):
    from django.db import connection

    requester = Requester()
    print(
        f"{'page':<14} {'lang':<4} {'median ms':>9} {'min ms':>7} {'CPU ms':>7} {'queries':>7} "
        f"{'SQL ms':>6} {'calls':>7}"
    )
    for name, url in pages().items():
        if args.only and name not in args.only:
            continue
        for language in args.languages:
            code, _ = requester.get(url, language)  # warm-up and a check
            if code != 200:
                sys.exit(f"{url}: HTTP {code}")
            times, cpu = [], []
            for _ in range(args.runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                requester.get(url, language)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            queries = []
            with connection.execute_wrapper(_Timed(queries)):
                requester.get(url, language)
            sql_ms = sum(queries) * 1000
            profile = cProfile.Profile()
            profile.runcall(requester.get, url, language)
            calls = pstats.Stats(profile).total_calls
            print(
                f"{name:<14} {language:<4} {statistics.median(times):9.1f} {min(times):7.1f} "
                f"{statistics.median(cpu):7.1f} {len(queries):7d} {sql_ms:6.1f} {calls:7d}",
                flush=True,
            )


def cmd_profile(args):
    requester = Requester()
    url = pages()[args.page]
    language = args.languages[0]
    requester.get(url, language)
    profile = cProfile.Profile()
    for _ in range(args.runs):
        profile.runcall(requester.get, url, language)
    stats = pstats.Stats(profile)
    stats.strip_dirs()
    print(f"{args.page} ({url}, {language}): {stats.total_calls / args.runs:.0f} calls/request")
    stats.sort_stats("cumulative").print_stats(args.lines)
    stats.sort_stats("tottime").print_stats(args.lines)


def cmd_snapshot(args):
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    requester = Requester()
    for name, url in pages().items():
        for language in args.languages:
            code, body = requester.get(url, language)
            body = TOKEN.sub(b'name="csrfmiddlewaretoken" value="TOKEN"', body)
            (out / f"{name.replace(' ', '_').replace('+', '_')}.{language}.html").write_bytes(
                f"<!-- {url} HTTP {code} -->\n".encode() + body
            )
            print(f"{name} {language}: HTTP {code}, {len(body)} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--languages", default="vi,en", type=lambda s: s.split(","))
    sub = parser.add_subparsers(dest="command", required=True)
    timing = sub.add_parser("time")
    timing.add_argument("--only", type=lambda s: s.split(","))
    timing.add_argument(
        "--no-count-cap",
        action="store_true",
        help="the public list counts every matching model (the plain-Django variant of its "
        "count cap, KeysFirstPaginator.count_cap)",
    )
    profiling = sub.add_parser("profile")
    profiling.add_argument("page")
    profiling.add_argument("--lines", type=int, default=45)
    snapshot = sub.add_parser("snapshot")
    snapshot.add_argument("dir")
    args = parser.parse_args()
    setup()
    if getattr(args, "no_count_cap", False):
        from wardmodels.public.views.registry import KeysFirstPaginator

        KeysFirstPaginator.count_cap = 10**12
    {"time": cmd_time, "profile": cmd_profile, "snapshot": cmd_snapshot}[args.command](args)


if __name__ == "__main__":
    main()
