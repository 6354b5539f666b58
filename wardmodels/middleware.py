import functools
import logging
import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers


def chosen_language(request) -> str:
    """The language of the response: the visitor's choice (language cookie) or Vietnamese.

    Also what the public-page cache keys a page on (wardmodels/pagecache.py), before this
    middleware runs: both must decide the same way.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the visitor chose English with the language switch.

    Django's LocaleMiddleware also follows the browser's Accept-Language; many residents'
    phones are set to English while they read Vietnamese, so only an explicit choice (the
    language cookie set by /i18n/setlang/) changes the language here.
    """

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # No "Vary: Accept-Language": the header no longer decides the language (the
        # cookie does, and pages that read cookies already vary on Cookie).
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


# NUL: PostgreSQL refuses it in any text value (SQLite stores it), so a query with it fails
# there. A lone surrogate: no UTF-8 page or database can hold one, yet a request that
# declares a charset such as UTF-7 decodes into them.
_UNREADABLE = re.compile("[\x00\ud800-\udfff]")

logger = logging.getLogger(__name__)


def _has_unreadable(values) -> bool:
    return any(_UNREADABLE.search(value) for value in values)


def _request_texts(request):
    """Every text the client chose: the path, the query string, the form, the cookies.

    (Django already cleans uploaded files' names.)"""
    yield request.path_info
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            yield key
            yield from values
    yield from request.COOKIES
    yield from request.COOKIES.values()


class UnreadableInputMiddleware:
    """Refuse, for every view at once, a request holding a character no page can store.

    Forms already refuse NUL in text fields, but not every input goes through a text field:
    a URL's <str:> part, a filter in the admin, an id in a query string reach the database
    as they are, and PostgreSQL answers NUL with an error (a 500). Answered here with the
    400 page, before anything reads the request; placed first after the security middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_unreadable(_request_texts(request)):
            logger.warning(
                "Bad request (unreadable character): %s",
                request.path_info.encode("unicode_escape", "backslashreplace").decode("ascii"),
                extra={"status_code": 400, "request": request},
            )
            return HttpResponseBadRequest(
                render_to_string("400.html", {"unreadable_characters": True})
            )
        return self.get_response(request)


class WorkspaceNoStoreMiddleware:
    """Every response under the workspace (/quan-ly/) says ``Cache-Control: no-store``.

    Its pages and exports carry contributors' phones and addresses and residents' contacts:
    no browser, shared computer or proxy may keep a copy (the admin already says so for its
    own pages). Set on every response of the prefix, refusals, redirects and downloads
    included, rather than view by view, so a new workspace page cannot forget it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(_workspace_prefix()):
            add_never_cache_headers(response)
        return response


@functools.cache
def _workspace_prefix() -> str:
    return reverse("workspace:dashboard")
