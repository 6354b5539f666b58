"""A small, bounded load harness: gunicorn on a free loopback port, threads as users.

Reusable for any load test:

    with AppServer(tmp_path) as server:                  # gunicorn against the test database
        report = run_load(server.url, [reader(PATHS)] * 8, seconds=5)
    print(report.format())
    assert report.server_errors == 0

An *actor* is a callable ``actor(session, rng) -> None`` that makes one or more requests with
``session.get``/``session.post``; ``run_load`` calls each actor in its own thread, in a loop,
until the time or request budget is spent. Writers (officials recording donations through the
workspace) are actors too: log in once with ``session.login(...)``, then ``session.post(...)``
fills in the CSRF token. Every request is recorded (status, latency, error) in the report.

Traffic goes to 127.0.0.1 only, and every loop is bounded in time and count.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def database_url_for_subprocess(tmp_path: Path) -> str:
    """A DATABASE_URL another process can open and that holds this test's committed rows.

    PostgreSQL: the test database itself. SQLite: pytest-django's test database lives in
    memory, so it is copied (online backup API) to a file the server opens.
    """
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s.get("USER") or ""
        if s.get("PASSWORD"):
            auth += ":" + urllib.parse.quote(s["PASSWORD"], safe="")
        host = f"{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}"
        return f"postgres://{auth}@{host}/{s['NAME']}"
    if connection.vendor == "sqlite":
        copy = tmp_path / "load.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(copy)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return f"sqlite:///{copy}"
    raise RuntimeError(f"no load harness for {connection.vendor}")


class AppServer:
    """gunicorn serving the project on a free loopback port, stopped on exit."""

    def __init__(self, tmp_path: Path, *, workers: int = 2, threads: int = 4, env=None):
        self.tmp_path = tmp_path
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.workers = workers
        self.threads = threads
        self.extra_env = env or {}
        self.log_path = tmp_path / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> AppServer:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.load.settings",
            "DJANGO_SECRET_KEY": "load-test-only-" + "x" * 40,
            "DJANGO_DEBUG": "off",
            "DJANGO_HTTPS": "off",
            "DJANGO_ALLOWED_HOSTS": f"{LOOPBACK},localhost",
            "DATABASE_URL": database_url_for_subprocess(self.tmp_path),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            **self.extra_env,
        }
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wardmodels.wsgi",
                f"--bind={LOOPBACK}:{self.port}",
                f"--workers={self.workers}",
                f"--threads={self.threads}",
                "--worker-class=gthread",
                "--timeout=30",
                "--graceful-timeout=5",
                f"--chdir={settings.BASE_DIR}",
            ],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout}s:\n{self.log()}")

    def worker_pids(self) -> set[int]:
        """The gunicorn workers: the processes whose parent is the master."""
        master = self.process.pid
        pids = set()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # the process ended meanwhile
            # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[1]) == master:
                pids.add(int(entry.name))
        return pids

    def wait_for_workers(self, count: int, *, exclude=(), timeout: float = 20) -> set[int]:
        """Wait until ``count`` workers (none of ``exclude``) are alive; return their pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids() - set(exclude)
            if len(pids) >= count:
                return pids
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn has not {count} workers after {timeout}s:\n{self.log()}")

    def pull_database(self) -> None:
        """Make the server's writes visible to this test's connection.

        PostgreSQL: nothing to do (one database). SQLite: the server wrote to a file copy;
        copy it back over the test's in-memory database.
        """
        if connection.vendor != "sqlite":
            return
        connection.ensure_connection()
        source = sqlite3.connect(self.tmp_path / "load.sqlite3")
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()


@dataclass
class Result:
    method: str
    path: str
    status: int | None  # None: no HTTP answer (connection refused, reset, timeout)
    seconds: float
    error: str = ""
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    # time.monotonic() when the request was sent and when its answer (or error) came back:
    # tells whether a request was in flight while a fault was injected.
    started: float = 0.0
    finished: float = 0.0

    def in_flight_during(self, start: float, end: float) -> bool:
        return self.started <= end and self.finished >= start


class Session:
    """One user's browser: cookies kept, CSRF token sent with every POST, results recorded."""

    def __init__(self, base_url: str, record: Callable[[Result], None], timeout: float = 10):
        self.base_url = base_url
        self.record = record
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def csrf_token(self) -> str | None:
        name = settings.CSRF_COOKIE_NAME
        return next((c.value for c in self.cookies if c.name == name), None)

    def request(self, method: str, path: str, data: dict | None = None) -> Result:
        body = None
        headers = {"Referer": self.base_url + path}
        if method == "POST":
            data = dict(data or {})
            token = self.csrf_token()
            if token:
                data.setdefault("csrfmiddlewaretoken", token)
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers
        )
        start = time.perf_counter()
        started = time.monotonic()
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                result = Result(
                    method,
                    path,
                    response.status,
                    0,
                    body=response.read(),
                    headers=dict(response.headers),
                )
        except urllib.error.HTTPError as exc:
            result = Result(method, path, exc.code, 0, body=exc.read(), headers=dict(exc.headers))
        except (
            urllib.error.URLError,
            http.client.HTTPException,  # e.g. IncompleteRead: the worker died mid-body
            ConnectionError,
            TimeoutError,
            OSError,
        ) as exc:
            result = Result(method, path, None, 0, error=f"{type(exc).__name__}: {exc}")
        result.seconds = time.perf_counter() - start
        result.started, result.finished = started, time.monotonic()
        self.record(result)
        return result

    def get(self, path: str) -> Result:
        return self.request("GET", path)

    def post(self, path: str, data: dict | None = None) -> Result:
        return self.request("POST", path, data)

    def login(self, username: str, password: str) -> Result:
        self.get("/accounts/login/")  # sets the CSRF cookie
        return self.post("/accounts/login/", {"username": username, "password": password})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Record a redirect as the answer it is (302 after a POST is success, not a new GET)."""

    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class LoadReport:
    seconds: float
    results: list[Result] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.results)

    @property
    def statuses(self) -> Counter:
        return Counter(r.status for r in self.results)

    @property
    def server_errors(self) -> int:
        return sum(1 for r in self.results if r.status is not None and r.status >= 500)

    @property
    def failures(self) -> list[Result]:
        """No HTTP answer at all: connection refused or reset, timeout."""
        return [r for r in self.results if r.status is None]

    def latency(self, quantile: float) -> float:
        times = sorted(r.seconds for r in self.results)
        if not times:
            return 0.0
        return times[min(len(times) - 1, int(quantile * len(times)))]

    def format(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items(), key=str))
        return (
            f"load: {self.requests} requests in {self.seconds:.1f}s "
            f"({self.requests / max(self.seconds, 1e-9):.0f}/s); statuses {{{statuses}}}; "
            f"5xx {self.server_errors}; no answer {len(self.failures)}; latency "
            f"p50 {self.latency(0.5) * 1000:.0f} ms, p95 {self.latency(0.95) * 1000:.0f} ms, "
            f"max {self.latency(1.0) * 1000:.0f} ms"
        )


Actor = Callable[[Session, random.Random], None]


def reader(paths: Sequence[str]) -> Actor:
    """A resident reading public pages, one random page per step."""

    def act(session: Session, rng: random.Random) -> None:
        session.get(rng.choice(paths))

    return act


UNTIL_CAP = 120


def run_load(
    base_url: str,
    actors: Sequence[Actor],
    *,
    seconds: float = 5,
    max_requests: int = 5000,
    seed: int = 1,
    until: Callable[[], float | None] | None = None,
) -> LoadReport:
    """Run every actor in its own thread until ``seconds`` or ``max_requests`` are spent.

    ``until``, if given, returns a later moment (``time.monotonic()``) the load must also
    reach, or None while that moment is not known yet: a fault whose length the test cannot
    know in advance (a database restart) is followed by load however long it takes, up to
    ``UNTIL_CAP`` seconds more.
    """
    lock = threading.Lock()
    results: list[Result] = []
    stop = threading.Event()

    def record(result: Result) -> None:
        with lock:
            results.append(result)
            if len(results) >= max_requests:
                stop.set()

    deadline = time.monotonic() + seconds
    cap = deadline + UNTIL_CAP

    def running() -> bool:
        now = time.monotonic()
        if stop.is_set() or now >= cap:
            return False
        if now < deadline:
            return True
        later = until() if until is not None else deadline
        return later is None or now < later

    def loop(index: int, actor: Actor) -> None:
        session = Session(base_url, record)
        rng = random.Random(seed * 1000 + index)
        while running():
            actor(session, rng)

    threads = [
        threading.Thread(target=loop, args=(i, actor), daemon=True)
        for i, actor in enumerate(actors)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + UNTIL_CAP + 30)
    stop.set()
    return LoadReport(seconds=time.monotonic() - started, results=results)
