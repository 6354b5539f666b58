"""One request at a time, in-process: median wall time, SQL queries and SQL time per page.

For pages too slow or too personal for the wrk harness (the workspace of a logged-in
official), measured with Django's test client against the benchmark database::

    PGOPTIONS='-c default_transaction_read_only=on' DJANGO_SECRET_KEY=x DJANGO_DEBUG=off \\
    DJANGO_ALLOWED_HOSTS=testserver DATABASE_URL=postgres://root@127.0.0.1:5432/bench_province \\
    STATIC_ROOT=/tmp/bench-static .venv/bin/python bench/one_request.py --runs 10 /quan-ly/

(``collectstatic`` into STATIC_ROOT first.) It only reads: the official's session lives in a
signed cookie built here (no login, so no ``last_login`` or access-log write), so it may run
against the shared database with PostgreSQL's read-only transactions on, as above.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", default=["/quan-ly/", "/quan-ly/mo-hinh/"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--queries", action="store_true", help="print the slowest queries")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django
    from django.conf import settings

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.management.commands.seed_bench import BENCH_OFFICIAL

    user = get_user_model().objects.get(username=BENCH_OFFICIAL)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key

    for path in args.paths:
        response = client.get(path)  # warm-up (and a check)
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
        print(
            f"{path}: median {statistics.median(times):.1f} ms of {args.runs} "
            f"(min {min(times):.1f}), {len(ctx.captured_queries)} queries, SQL {sql_ms:.0f} ms"
        )
        if args.queries:
            for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:5]:
                print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")


if __name__ == "__main__":
    main()
