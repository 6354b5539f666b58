"""The anonymous public-page cache: whole pages, for visitors without a session.

What is cached: the views named in ``settings.PUBLIC_PAGE_CACHE_VIEWS`` (home, registry list,
model page, …), for GET/HEAD requests of visitors who carry neither a session cookie nor a
messages cookie: nothing on such a page can be personal. Logged-in users always have a
session cookie, so they are never served from (nor do they fill) this cache.

Invalidation: one version number in the cache. Every cached page is stored with the version
read at the start of the request that rendered it; a hit needs the entry's version to equal
the current one. ``public_pages_changed()`` bumps the version, so every write is visible on
the next request on every app server sharing the cache (Redis). It is called:

- after every POST by a logged-in user (the admin, the workspace, every action form: all
  writes of the site go through such a POST; a GET never changes state), by this middleware;
- on commit by the workflow functions (``registry/workflow.py``, ``campaigns/workflow/``,
  ``registry/transitions.py``) so that writes from commands or the shell invalidate too;
- by ``load_demo`` / ``seed_bench``.

Anonymous POSTs (login, language switch) do not bump it: a stranger cannot flush the cache.

Each process also keeps copies of the pages it read or stored (``_LocalCopies``, an LRU), so
that a hit brings only the version number over the network, not the page. The version is
still read from the shared cache on every request, and a copy is used only if it was stored
under that very version and before the shared entry's expiry: a write is visible at once
there too.

The CSRF token. The public header holds the language switch, a POST form with a CSRF token
that must match the visitor's own CSRF cookie. A cached page therefore never keeps a token:
on store, the token is replaced by a placeholder; on a hit, the placeholder is replaced by a
fresh token for this visitor (``get_token``; the CSRF middleware's response step then sets
the cookie), exactly what an uncached render does. No visitor ever receives another's token
and no form loses its CSRF protection. A page that handed out a token without a form field
to replace it in (a token elsewhere in the page) is not stored. A public form's signed
"handed out at" stamp (``wardmodels/formclock.py``, the feedback form on a model's page) is
treated the same way: a placeholder on store, a fresh stamp on every hit.

Where it sits. The middleware comes early in ``settings.MIDDLEWARE``: right after the
security middleware, before the CSP, static-file, session, language, CSRF, authentication
and message middleware, so that a hit costs one cache round trip and not the whole stack
(the floor of the benchmark passes through all of it). A hit therefore does itself what the
skipped middleware would have done for this visitor, and nothing else:

- the language is the one ``wardmodels.middleware.chosen_language`` decides from the
  language cookie, as ``ChosenLanguageMiddleware`` does; it is part of the key;
- the headers the inner middleware and the view put on the page (Content-Security-Policy,
  Content-Language, Vary, X-Frame-Options, Content-Type) are stored with it and given back;
  the security middleware adds its own to the hit as to any response. A page whose policy
  carries a CSP nonce is never stored (the nonce must be new for every response);
- CSRF: Django's own ``CsrfViewMiddleware.process_request`` reads the visitor's cookie,
  ``get_token`` fills the form, ``process_response`` sets the cookie when Django would.

The lookup is for the views named in ``PUBLIC_PAGE_CACHE_VIEWS`` only (the middleware
resolves the path itself; other pages never pay a cache round trip), keyed on the language,
scheme, host, path and the query parameters the view knows (``PAGE_CACHE_QUERY_PARAMS``,
sorted); only their responses are stored, after the handler's own resolution, on a miss. A
request carrying any other parameter (``?x=<random>``, a tracking tag) is rendered afresh and
never stored: otherwise each new value would be a new entry, and a few thousand requests
filled the cache. The cache itself is its own alias, ``CACHES["pages"]`` (apart from the
feedback limits in the default cache, with a memory cap: README, docs/deploy.md); a
configuration without that alias (some tests) uses the default cache.

When the shared cache is unreachable (Redis down), pages are rendered afresh and not
stored, and a change a process could not announce is announced at the start of its next
request once the cache answers again: the site is slower during the outage, not down, and
the pages cached before it are not served after a change made during it
(``wardmodels/cache.py``).

The cache is a no-op unless ``PAGE_CACHE_SECONDS`` > 0. By default it is on only when
``CACHE_URL`` is Redis: with the local-memory cache each gunicorn worker would hold its own
version number and a write seen by one worker would not invalidate the others' copies.
"""

import functools
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_vary_headers
from django.utils.connection import ConnectionProxy

from wardmodels import formclock
from wardmodels.cache import UNAVAILABLE
from wardmodels.middleware import chosen_language

logger = logging.getLogger(__name__)

PAGES = "pages"


class _PagesCache(ConnectionProxy):
    """``caches["pages"]``, or the default cache where the settings name no such alias."""

    @property
    def _alias(self):
        return PAGES if PAGES in settings.CACHES else DEFAULT_CACHE_ALIAS


cache = _PagesCache(caches, PAGES)

VERSION_KEY = "pagecache:version"
PLACEHOLDER = b"__PAGECACHE_CSRF_TOKEN__"
STAMP_PLACEHOLDER = b"__PAGECACHE_FORM_STARTED__"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
# Headers not stored with a page: recomputed on every hit.
_NOT_STORED = {"content-length", "x-page-cache", "set-cookie"}


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def public_pages_changed() -> None:
    """Make every cached public page stale, on every server sharing the cache.

    With the shared cache unreachable the change cannot be announced: this process keeps it
    owed and announces it at the start of its next request (``_owed``), so that the pages
    cached before the outage are not served again once the cache is back."""
    if not enabled():
        return
    try:
        _bump_version()
    except UNAVAILABLE as exc:
        _owed.set()
        logger.warning("page cache: shared cache unavailable, invalidation owed: %s", exc)
    else:
        _owed.clear()


def _bump_version() -> None:
    # Start from the clock, so that a flushed cache never brings back an old version number.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


# Set when this process could not announce a change (the shared cache was down).
_owed = threading.Event()


def public_pages_changed_on_commit() -> None:
    """For the workflow functions: invalidate once the write is committed."""
    transaction.on_commit(public_pages_changed)


# What makes up a release, for its digest (``release``).
RELEASE_FOLDERS = ("wardmodels", "registry", "participation", "campaigns", "templates", "locale")
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".svg"}


@functools.cache
def release() -> str:
    """The release this process serves: ``PAGE_CACHE_RELEASE``, or a digest of the files that
    shape a page (code, templates, translations, the static manifest's hashed names).

    Part of every key, so that pages cached by the previous deploy are never served by the
    new one, even before the next write or their expiry. Computed once per process (about
    300 files; a few milliseconds).
    """
    if settings.PAGE_CACHE_RELEASE:
        return settings.PAGE_CACHE_RELEASE
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    files = [
        path
        for folder in RELEASE_FOLDERS
        for path in (base / folder).rglob("*")
        if path.suffix in RELEASE_SUFFIXES and path.is_file()
    ]
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    for path in sorted(files):
        if path.is_file():
            digest.update(
                str(path.relative_to(base) if path.is_relative_to(base) else path).encode()
            )
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _page_key(request, params: list[tuple[str, str]]) -> str:
    query = urlencode(params)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    # "p2": entries hold (version, expiry time, headers, body bytes); older ones are never read.
    return f"pagecache:p2:{release()}:{chosen_language(request)}:{digest}"


def _is_anonymous_without_state(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        # With the CSRF secret in the session, every form would need a session.
        and not settings.CSRF_USE_SESSIONS
        and len(request.get_full_path()) <= 512
    )


def _cacheable_params(request) -> list[tuple[str, str]] | None:
    """The query parameters that key this page, sorted; None if the page is not cached.

    None when the path resolves to no view of PUBLIC_PAGE_CACHE_VIEWS (other pages, the
    benchmark's floor among them, never pay a cache round trip), or when the query holds a
    parameter the view does not know (PAGE_CACHE_QUERY_PARAMS)."""
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    name = _view_name(urlconf, request.path_info)
    if name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
        return None
    known = settings.PAGE_CACHE_QUERY_PARAMS.get(name, ())
    params = [(key, value) for key, values in request.GET.lists() for value in values]
    if any(key not in known for key, _value in params):
        return None
    return sorted(params, key=lambda param: param[0])  # stable: repeated values keep order


@functools.lru_cache(maxsize=4096)
def _view_name(urlconf: str, path_info: str) -> str | None:
    # Memoised: resolving is a sizeable share of a hit (see bench/README.md), and the handler
    # resolves again anyway.
    try:
        return resolve(path_info, urlconf).view_name
    except Resolver404:
        return None


class _LocalCopies:
    """This process's copies of pages it already read from the shared cache (LRU).

    A hit must read the version number from the shared cache (that is what makes a write
    visible at once on every server), but it need not bring the whole page (10–35 KB) over
    the network every time: a copy is used when its version is the one just read, and only
    until the shared entry itself expires. Same guarantees as the shared entry, less work per
    hit (see bench/README.md).
    """

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: tuple) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_local = _LocalCopies(size=128)


def _fresh(entry, version) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 4
        and entry[0] == version
        and entry[1] > time.time()
    )


def _lookup(key: str) -> tuple:
    """(current version, the page's entry if it is fresh for that version, else None)."""
    local = _local.get(key)
    if local is None:
        # One round trip for both, as this process has no copy of the page.
        found = cache.get_many([VERSION_KEY, key])
        version, entry = found.get(VERSION_KEY), found.get(key)
    else:
        version = cache.get(VERSION_KEY)
        entry = local if _fresh(local, version) else cache.get(key)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    if not _fresh(entry, version):
        return version, None
    if entry is not local:
        _local.put(key, entry)
    return version, entry


def _authenticated(request) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


class PublicPageCacheMiddleware:
    """Place right after SecurityMiddleware, before CSPMiddleware and the others."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Django's CSRF middleware, for its request and response steps on a hit (the real one,
        # further down the stack, does not run then).
        self.csrf = CsrfViewMiddleware(get_response)
        if enabled():
            release()  # at start-up, not in the first visitor's request

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        if _owed.is_set():
            public_pages_changed()
        lookup = None
        params = _cacheable_params(request) if _is_anonymous_without_state(request) else None
        if params is not None:
            key = _page_key(request, params)
            try:
                version, entry = _lookup(key)
            except UNAVAILABLE as exc:
                # Rendered afresh and not stored: the page is right, only slower.
                logger.warning("page cache: shared cache unavailable: %s", exc)
            else:
                if entry is not None:
                    return self._hit(request, entry[2], entry[3])
                lookup = (key, version)

        response = self.get_response(request)

        if lookup is not None:
            match = request.resolver_match
            if (
                match is not None
                and match.view_name in settings.PUBLIC_PAGE_CACHE_VIEWS
                and not _authenticated(request)  # no session cookie: never, but be sure
            ):
                self._store(request, response, *lookup)
        elif request.method == "POST" and response.status_code < 500 and _authenticated(request):
            public_pages_changed()
        return response

    def _hit(self, request, headers, body):
        # What CsrfViewMiddleware does before the view: take this visitor's secret from
        # their cookie (or note that a new one is needed)…
        self.csrf.process_request(request)
        if PLACEHOLDER in body:
            # … what {% csrf_token %} does while rendering …
            body = body.replace(PLACEHOLDER, get_token(request).encode("ascii"))
        if STAMP_PLACEHOLDER in body:
            # A public form's "handed out at" stamp (wardmodels/formclock.py): now, not when
            # the page was stored, or the "sent too fast" check would pass for any bot.
            body = body.replace(STAMP_PLACEHOLDER, formclock.stamp().encode("ascii"))
        response = HttpResponse(body, headers=headers)
        response["Content-Length"] = str(len(body))
        response["X-Page-Cache"] = "hit"
        patch_vary_headers(response, ("Cookie",))
        # … and after it: set the CSRF cookie if get_token (or a malformed cookie) asked for it.
        return self.csrf.process_response(request, response)

    def _store(self, request, response, key, version):
        if (
            response.status_code != 200
            or response.streaming
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
            or any(name != settings.CSRF_COOKIE_NAME for name in response.cookies)
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return
        if isinstance(getattr(request, "_csp_nonce", None), str):
            return  # the policy (stored with the page) names a nonce meant for one response
        body, tokens = _TOKEN.subn(rb"\g<1>" + PLACEHOLDER + rb"\g<2>", response.content)
        body = formclock.FIELD_PATTERN.sub(rb"\g<1>" + STAMP_PLACEHOLDER + rb"\g<2>", body)
        if settings.CSRF_COOKIE_NAME in response.cookies and not tokens:
            # A token was handed out somewhere this cannot see: never store it for others.
            return
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in _NOT_STORED
        }
        seconds = settings.PAGE_CACHE_SECONDS
        entry = (version, time.time() + seconds, headers, body)
        try:
            cache.set(key, entry, seconds)
        except UNAVAILABLE as exc:
            logger.warning("page cache: shared cache unavailable, page not stored: %s", exc)
            return
        _local.put(key, entry)
        response["X-Page-Cache"] = "miss"
