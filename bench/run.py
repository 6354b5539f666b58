"""The benchmark harness: ``make bench`` or ``python bench/run.py --help``.

1. Prepares the database named by --database-url (migrate; seed_bench --scale if it holds
   no benchmark data; the floor's 12-row table), collects static files into a temporary
   STATIC_ROOT, and logs the benchmark official in (a session cookie for wrk).
2. Counts SQL queries per request for every page once, in this process, with Django's test
   client and CaptureQueriesContext (page cache off).
3. Starts gunicorn with production settings plus the floor (``bench.settings``: DEBUG off, a
   secret key, persistent connections with health checks, cached templates, whitenoise) and
   runs wrk on loopback: for every page, the floor then the page, alternating,
   --repetitions times, --duration seconds each, 16 connections. First with the public-page
   cache off ("uncached"), then with it on (Redis) for the public pages ("cached").
4. Reports median requests/s, p50, p99, the ratio to the floor measured next to the page,
   queries per request and the gunicorn workers' memory (RSS from /proc); prints one table
   and writes JSON to bench/results/.

Pages are data: ``PAGES`` below. A page whose URL does not resolve on this build (an older
commit without the reports, say) is printed as "not available on this build".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
SECRET = "bench-only-secret-" + "x" * 40


@dataclass
class Page:
    name: str
    # "{slug}", "{field}", "{year}", "{pk}" are filled in.
    path: str
    public: bool = True
    login: bool = False
    kind: str = "html"  # "html" (wrk) or "export" (one timed request, peak memory)


PAGES = [
    Page("home", "/"),
    Page("list p1", "/mo-hinh/"),
    Page("list p200", "/mo-hinh/?page=200"),
    Page("search+field", "/mo-hinh/?q=duong+hoa+le+loi&field={field}"),
    # The busy model (BENCH-0000001): 50 donations, 8 photos, 200 milestones, 1,000 feedback
    # items (seed_bench_participation).
    Page("model page", "/mo-hinh/{slug}/"),
    Page("timeline", "/mo-hinh/{slug}/tien-do/"),
    Page("feedback list", "/gop-y/"),
    Page("summary year", "/bao-cao/?year={year}"),
    Page("ws dashboard", "/quan-ly/", public=False, login=True),
    Page("ws model list", "/quan-ly/mo-hinh/", public=False, login=True),
    Page(
        "xlsx export",
        # the whole province: every date seed_bench uses (2019–2025) in one range
        "/quan-ly/bao-cao/excel/?period=range&start=2019-01-01&end=2026-12-31",
        public=False,
        login=True,
        kind="export",
    ),
]


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    requests: int


@dataclass
class Row:
    page: str
    mode: str
    path: str = ""
    available: bool = True
    note: str = ""
    queries: int | None = None
    runs: list[Run] = field(default_factory=list)
    floor_runs: list[Run] = field(default_factory=list)
    # One request at a time on the idle server (median of SINGLE_REQUESTS), in ms.
    single_ms: float | None = None

    def median(self, attr, runs=None) -> float | None:
        values = [getattr(r, attr) for r in (self.runs if runs is None else runs)]
        return statistics.median(values) if values else None

    def as_dict(self) -> dict:
        rps, floor = self.median("rps"), self.median("rps", self.floor_runs)
        return {
            "page": self.page,
            "mode": self.mode,
            "path": self.path,
            "available": self.available,
            "note": self.note,
            "queries": self.queries,
            "rps": rps,
            "p50_ms": self.median("p50_ms"),
            "p99_ms": self.median("p99_ms"),
            "floor_rps": floor,
            "ratio": (rps / floor) if rps and floor else None,
            "non_2xx": sum(r.non_2xx for r in self.runs),
            "single_ms": self.single_ms,
            "runs": [r.__dict__ for r in self.runs],
            "floor_runs": [r.__dict__ for r in self.floor_runs],
        }


# --- environment ---


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's package (apt-get install -y wrk)")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
        path = shutil.which("wrk")
    if not path:
        sys.exit("wrk is not installed and could not be installed: apt-get install wrk")
    return path


def base_env(args, static_root: Path) -> dict:
    return {
        **os.environ,
        # The site's settings plus the bench app (seed_bench) and the floor's URLconf.
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_DEBUG": "off",
        "DJANGO_HTTPS": "off",
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost,testserver",
        "DATABASE_URL": args.database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": args.media_root,
        "PAGE_CACHE_SECONDS": "0",
        "CACHE_URL": "locmem://",
    }


def manage(env, *argv, check=True):
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *argv], env=env, check=check, cwd=ROOT
    )


# --- in-process Django: sample objects, session, query counts ---


def prepare_in_process(args) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    from bench.floor import create_fortune_table
    from bench.management.commands.seed_bench import BENCH_OFFICIAL, PREFIX
    from participation.models import Feedback
    from registry.models import Field, Initiative

    create_fortune_table(connection)
    showcase = Initiative.objects.get(code=f"{PREFIX}0000001")
    field_id = (
        Field.objects.filter(parent__isnull=True, slug__startswith="bench-")
        .annotate(n=Count("children__initiatives"))
        .order_by("-n")
        .values_list("pk", flat=True)
        .first()
    )
    user = get_user_model().objects.get(username=BENCH_OFFICIAL)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    fill = {"slug": showcase.slug, "field": field_id, "year": 2024, "pk": showcase.pk}

    resolved = {}
    for page in PAGES:
        path = page.path.format(**fill)
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            continue  # not on this build
        c = client if page.login else Client()
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(path)
        if response.status_code == 200:
            resolved[page.name] = {"path": path, "queries": len(ctx.captured_queries)}
        else:
            resolved[page.name] = {"path": path, "error": f"HTTP {response.status_code}"}
    with CaptureQueriesContext(connection) as ctx:
        Client().get("/bench/fortunes/")
    resolved["floor"] = {"path": "/bench/fortunes/", "queries": len(ctx.captured_queries)}
    counts = {
        "initiatives": Initiative.objects.count(),
        "public": Initiative.objects.public().count(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM campaigns_donation")
        counts["donations"] = cursor.fetchone()[0]
    counts["showcase_milestones"] = showcase.milestones.count()
    counts["showcase_feedback"] = showcase.feedback.count()
    counts["feedback"] = Feedback.objects.count()
    return {"session": session, "pages": resolved, "counts": counts,
            "cookie_name": settings.SESSION_COOKIE_NAME}  # fmt: skip


# --- gunicorn and wrk ---


class Gunicorn:
    def __init__(self, env, port, workers, log):
        self.env, self.port, self.workers, self.log = env, port, workers, log

    def __enter__(self):
        self.logfile = open(self.log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wardmodels.wsgi",
                f"--bind={HOST}:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
                "--timeout=120",
                "--graceful-timeout=5",
                "--backlog=2048",
                f"--chdir={ROOT}",
            ],  # fmt: skip
            env=self.env,
            stdout=self.logfile,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"gunicorn exited early; see {self.log}")
            try:
                with urllib.request.urlopen(
                    f"http://{HOST}:{self.port}/bench/fortunes/", timeout=5
                ):
                    return self
            except OSError:
                time.sleep(0.3)
        sys.exit(f"gunicorn did not answer; see {self.log}")

    def workers_rss(self) -> dict:
        """RSS and peak RSS (VmHWM) of the workers, in MB, from /proc."""
        rss, hwm = [], []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"PPid:\t{self.proc.pid}\n" not in status:
                continue
            rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
            hwm.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)
        return {"workers": len(rss), "rss_mb_max": max(rss, default=0),
                "rss_mb_sum": sum(rss), "peak_mb_max": max(hwm, default=0)}  # fmt: skip

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.logfile.close()


def parse_latency(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(wrk_bin, url, seconds, connections, threads, headers=()) -> Run:
    cmd = [wrk_bin, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
           "--timeout", "10s"]  # fmt: skip
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = parse_latency(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = parse_latency(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return Run(rps, p50, p99, int(non.group(1)) if non else 0, total)


SINGLE_REQUESTS = 5


def timed_get(url: str, headers: dict) -> float:
    """One GET, read to the end: seconds."""
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as r:
        r.read()
    return time.perf_counter() - start


def drain(base: str, limit: float = 180.0) -> None:
    """Wait until the server has worked off the previous run's backlog (a slow page leaves
    requests queued after wrk stops): the floor must answer in under 50 ms again, so that the
    next measurement starts from an idle server."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            if timed_get(base + "/bench/fortunes/", {}) < 0.05:
                return
        except OSError:
            pass
        time.sleep(0.2)


def measure_mode(args, mode, env, rows, prepared, wrk_bin, port):
    base = f"http://{HOST}:{port}"
    cookie = f"Cookie: {prepared['cookie_name']}={prepared['session']}"
    log = RESULTS / f"gunicorn-{mode}.log"
    with Gunicorn(env, port, args.workers, log) as server:
        # Warm-up: every page once (and fills the cache in cached mode).
        for row in rows:
            wrk(wrk_bin, base + row.path, 1, 2, 1, [cookie] if row.login else [])
        wrk(wrk_bin, base + "/bench/fortunes/", 1, 2, 1)
        if mode == "cached":
            # The cached rows report 0 queries: true only if the page really is a hit.
            for row in rows:
                with urllib.request.urlopen(base + row.path, timeout=120) as response:
                    response.read()
                    state = response.headers.get("X-Page-Cache")
                if state != "hit":
                    raise SystemExit(f"{row.page} is not served from the cache: {state}")
        # One request at a time first: what a visitor waits on an idle server.
        for row in rows:
            headers = {"Cookie": cookie.split(": ", 1)[1]} if row.login else {}
            drain(base)
            row.single_ms = 1000 * statistics.median(
                timed_get(base + row.path, headers) for _ in range(SINGLE_REQUESTS)
            )
        for rep in range(args.repetitions):
            for row in rows:
                headers = [cookie] if row.login else []
                row.floor_runs.append(
                    wrk(
                        wrk_bin,
                        base + "/bench/fortunes/",
                        args.duration,
                        args.connections,
                        args.threads,
                    )  # fmt: skip
                )
                row.runs.append(
                    wrk(
                        wrk_bin,
                        base + row.path,
                        args.duration,
                        args.connections,
                        args.threads,
                        headers,
                    )  # fmt: skip
                )
                drain(base)
                print(
                    f"  [{mode} {rep + 1}/{args.repetitions}] {row.page:<14} "
                    f"{row.runs[-1].rps:8.1f} req/s (floor {row.floor_runs[-1].rps:8.1f})",
                    flush=True,
                )
        return server.workers_rss()


def measure_export(args, env, row, prepared, port) -> dict:
    """One request to the export, alone on a one-worker server: time and peak memory."""
    log = RESULTS / "gunicorn-export.log"
    with Gunicorn(env, port, 1, log) as server:
        before = server.workers_rss()
        request = urllib.request.Request(
            f"http://{HOST}:{port}{row.path}",
            headers={"Cookie": f"{prepared['cookie_name']}={prepared['session']}"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as response:
            size = len(response.read())
            status = response.status
        seconds = time.perf_counter() - start
        after = server.workers_rss()
    return {"status": status, "seconds": seconds, "bytes": size,
            "rss_before_mb": before["rss_mb_max"], "peak_mb": after["peak_mb_max"]}  # fmt: skip


# --- report ---


def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text()).group(1)
    mem = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(int(mem) / 1024 / 1024, 1),
            "python": platform.python_version(), "kernel": platform.release()}  # fmt: skip


def fmt(value, pattern):
    return "—" if value is None else format(value, pattern)


def table(rows, export) -> str:
    lines = [
        "| page | mode | 1 request ms | req/s | p50 ms | p99 ms | floor req/s | ratio | queries "
        "| non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if not row.available:
            lines.append(f"| {row.page} | — | {row.note} | | | | | | | |")
            continue
        d = row.as_dict()
        lines.append(
            f"| {row.page} | {row.mode} | {fmt(d['single_ms'], '.1f')} | "
            f"{fmt(d['rps'], '.0f')} | {fmt(d['p50_ms'], '.1f')} | "
            f"{fmt(d['p99_ms'], '.1f')} | {fmt(d['floor_rps'], '.0f')} | "
            f"{fmt(d['ratio'], '.2f')} | {fmt(d['queries'], 'd')} | {d['non_2xx']} |"
        )
    if export:
        if export.get("available"):
            lines.append(
                f"| xlsx export | one request | {export['seconds']:.2f} s | | | | | | "
                f"peak {export['peak_mb']:.0f} MB | HTTP {export['status']} |"
            )
        else:
            lines.append(f"| xlsx export | — | {export['note']} | | | | | | | |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/bench_province")
    parser.add_argument("--scale", default="province", help="seed_bench scale if the DB is empty")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8041)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--media-root", default=str(Path(tempfile.gettempdir()) / "bench-media"))
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--skip-cached", action="store_true")
    parser.add_argument(
        "--skip-uncached", action="store_true", help="measure only the cached public pages"
    )
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    wrk_bin = ensure_wrk()
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = base_env(args, static_root)
    os.environ.update({k: v for k, v in env.items() if k not in os.environ or k != "PATH"})
    sys.path.insert(0, str(ROOT))

    print(f"== database {args.database_url}")
    manage(env, "migrate", "--noinput", "-v0")
    probe = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from registry.models import Initiative; "
         "print(Initiative.objects.filter(code__startswith='BENCH-').exists())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    if probe.stdout.strip() != "True":
        print(f"== seeding ({args.scale}, seed {args.seed})")
        manage(env, "seed_bench", "--scale", args.scale, "--seed", str(args.seed))
    probe = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from participation.models import Feedback; "
         "print(Feedback.objects.filter(code__startswith='BENCH-').exists())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    if probe.stdout.strip() != "True":
        # Databases seeded before the timeline and feedback existed get them added.
        print(f"== seeding milestones and feedback (seed {args.seed})")
        manage(env, "seed_bench_participation", "--seed", str(args.seed))
    print(f"== collectstatic into {static_root}")
    manage(env, "collectstatic", "--noinput", "-v0")

    prepared = prepare_in_process(args)
    print(f"== data: {prepared['counts']}")
    only = set(args.only.split(",")) if args.only else None
    rows, cached_rows, export = [], [], None
    for page in PAGES:
        if only and page.name not in only:
            continue
        info = prepared["pages"].get(page.name)
        if page.kind == "export":
            export = {"available": False, "note": "not available on this build"}
            if info and "queries" in info:
                export = {"available": True, "path": info["path"]}
            continue
        if info is None or "queries" not in info:
            note = "not available on this build" if info is None else info["error"]
            print(f"  {page.name}: {note}")
            rows.append(Row(page.name, "—", available=False, note=note))
            continue
        row = Row(page.name, "uncached", info["path"], queries=info["queries"])
        row.login = page.login
        rows.append(row)
        if page.public and not args.skip_cached:
            cached = Row(page.name, "cached", info["path"], queries=0)
            cached.login = False
            cached_rows.append(cached)

    measured = [r for r in rows if r.available]
    memory = {}
    if args.skip_uncached:
        rows = [r for r in rows if not r.available]
    else:
        print(f"== uncached: {len(measured)} pages × {args.repetitions} × {args.duration}s")
        memory["uncached"] = measure_mode(
            args, "uncached", env, measured, prepared, wrk_bin, args.port
        )
    if cached_rows:
        cached_env = {**env, "CACHE_URL": args.redis, "PAGE_CACHE_SECONDS": "600"}
        subprocess.run(["redis-cli", "-u", args.redis, "flushdb"], capture_output=True)
        print(f"== cached (Redis {args.redis}): {len(cached_rows)} public pages")
        memory["cached"] = measure_mode(
            args, "cached", cached_env, cached_rows, prepared, wrk_bin, args.port + 1
        )
    if export and export.get("available"):
        print("== xlsx export: one request")
        export.update(measure_export(args, env, Row("xlsx", "export", export["path"]),
                                     prepared, args.port + 2))  # fmt: skip

    all_rows = rows + cached_rows
    result = {
        "label": args.label,
        "when": datetime.now().isoformat(timespec="seconds"),
        "database": args.database_url.rsplit("/", 1)[-1],
        "data": prepared["counts"],
        "machine": machine(),
        "settings": {
            "duration_s": args.duration,
            "repetitions": args.repetitions,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "gunicorn_workers": args.workers,
            "worker_class": "sync",
        },  # fmt: skip
        "floor_queries": prepared["pages"]["floor"]["queries"],
        "pages": [r.as_dict() for r in all_rows],
        "export": export,
        "memory": memory,
    }
    text = table(all_rows, export)
    print()
    print(text)
    print()
    print("worker memory (MB):", json.dumps(memory))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{stamp}-{result['database']}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(f"written: {out}")
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
