"""The anonymous public-page cache (issue 7): whole pages, for visitors without a session.

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
- on commit by the workflow functions (``registry/workflow.py``, ``campaigns/workflow.py``)
  so that writes from management commands or the shell invalidate too;
- by ``load_demo`` / ``seed_bench``.

Anonymous POSTs (login, language switch) do not bump it: a stranger cannot flush the cache.

The CSRF token. The public header holds the language switch, a POST form with a CSRF token
that must match the visitor's own CSRF cookie. A cached page therefore never keeps a token:
on store, the token is replaced by a placeholder; on a hit, the placeholder is replaced by a
fresh token for this visitor (``get_token``, which also makes CsrfViewMiddleware set the
cookie), exactly what an uncached render does. No visitor ever receives another's token and
no form loses its CSRF protection.

The cache is a no-op unless ``PAGE_CACHE_SECONDS`` > 0. By default it is on only when
``CACHE_URL`` is Redis: with the local-memory cache each gunicorn worker would hold its own
version number and a write seen by one worker would not invalidate the others' copies.
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

VERSION_KEY = "pagecache:version"
PLACEHOLDER = "__PAGECACHE_CSRF_TOKEN__"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')


def enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0


def public_pages_changed() -> None:
    """Make every cached public page stale, on every server sharing the cache."""
    if not enabled():
        return
    # Start from the clock, so that a flushed cache never brings back an old version number.
    cache.add(VERSION_KEY, time.time_ns(), timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted between add and incr
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def public_pages_changed_on_commit() -> None:
    """For the workflow functions: invalidate once the write is committed."""
    transaction.on_commit(public_pages_changed)


def _page_key(request) -> str:
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"pagecache:page:{request.LANGUAGE_CODE}:{digest}"


def _is_anonymous_without_state(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
        and len(request.get_full_path()) <= 512
    )


class PublicPageCacheMiddleware:
    """Place after the session, CSRF, authentication and message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not enabled():
            return response
        pending = getattr(request, "_pagecache", None)
        if pending is not None:
            self._store(request, response, *pending)
        elif (
            request.method == "POST"
            and response.status_code < 500
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            public_pages_changed()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not enabled() or not _is_anonymous_without_state(request):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in settings.PUBLIC_PAGE_CACHE_VIEWS:
            return None
        key = _page_key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            _version, content_type, body = entry
            if PLACEHOLDER in body:
                body = body.replace(PLACEHOLDER, get_token(request))
            response = HttpResponse(body, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            patch_vary_headers(response, ("Cookie",))
            return response
        request._pagecache = (key, version)
        return None

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
        body = _TOKEN.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode(response.charset))
        cache.set(key, (version, response["Content-Type"], body), settings.PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
