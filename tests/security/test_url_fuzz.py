"""Bad input on every URL pattern of the project, the admin's included: never a 500.

The URL patterns come from walking the resolver (tests/urls_walk.py), the sample objects and
form data from the access table (tests/security/test_url_access.py). For each pattern, as an
administrator (who reaches every page and form):

- each URL part (a slug, a code, an id, the admin's object id) is replaced by each bad value;
- the page is fetched with every query parameter it knows set to each bad value: those read by
  the views (found in their source), those of its GET forms and links, the page cache's;
- if it takes a POST, every field it knows (its forms' fields, the table's data) is sent set
  to each bad value.

The bad values: NUL (PostgreSQL refuses it in text), a lone surrogate (sent as UTF-7, the
charset the request declares), non-ASCII digits ("²".isdigit() is true but int() refuses
it; "٣" is a digit int() accepts), 10,000 characters (of digits: int() refuses more than
4,300), a negative and a huge number. Every answer is below 500; NUL and the surrogate get
the 400 page; no table changes unless a POST answered with a redirect (a valid value, e.g.
"-1" as a reason, may be accepted). Failed logins are recorded by design (axes) and are not
counted.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from tests import factories
from tests.security.test_url_access import EXPECTED
from tests.urls_walk import project_routes

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800"
BAD_VALUES = {
    "nul": "\x00",
    "surrogate": SURROGATE,
    "superscript-two": "²",
    "arabic-indic-three": "٣",
    "ten-thousand-digits": "9" * 10_000,
    "negative": "-1",
    "huge": "9" * 30,
}
REFUSED_EVERYWHERE = {"nul", "surrogate"}  # by one middleware, whatever the view

ROUTES = [route for route in project_routes(admin=True) if route.name != "admin"]
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")

# What the views read from request.GET, found in their source: every such name is sent to
# every page (the views ignore those they do not know).
_SOURCES = ("wardmodels", "registry", "participation", "campaigns")
_GET_READ = re.compile(
    r"""GET(?:\.get|\.getlist|\.__getitem__)?\(\s*["']([^"']+)["']|GET\[\s*["']([^"']+)["']\s*\]"""
)


def _query_names_read_by_views() -> set[str]:
    base = Path(settings.BASE_DIR)
    names = set()
    for folder in _SOURCES:
        for path in (base / folder).rglob("*.py"):
            for match in _GET_READ.finditer(path.read_text(encoding="utf-8")):
                names.add(match.group(1) or match.group(2))
    return names


VIEW_QUERY_NAMES = _query_names_read_by_views()
PAGE_CACHE_NAMES = set().union(*settings.PAGE_CACHE_QUERY_PARAMS.values())
NOT_COUNTED = {"axes", "sessions"}  # failed logins are recorded by design; the session is ours


class _Inputs(HTMLParser):
    """The names a page's forms and links send: query parameters and POST fields."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path
        self.query: set[str] = set()
        self.fields: set[str] = set()
        self._form: str | None = None  # "get" or "post" while inside a form of this page

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.path
            mine = urlsplit(action).path in ("", self.path)
            self._form = (attrs.get("method") or "get").lower() if mine else None
        elif tag in ("input", "select", "textarea", "button") and self._form and attrs.get("name"):
            (self.fields if self._form == "post" else self.query).add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            parts = urlsplit(attrs["href"])
            if parts.path in ("", self.path):
                self.query.update(name for name, _value in parse_qsl(parts.query, True))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_COUNTED
    }


def _sample_kwargs(route) -> dict[str, str]:
    """URL parts that exist: the table's sample objects; for the admin, id 1 (none)."""
    expect = EXPECTED.get(route.name)
    kwargs = {key: str(value) for key, value in (expect.kwargs() if expect else {}).items()}
    return {parameter: kwargs.get(parameter, "1") for parameter in route.params}


def _path(route, kwargs: dict[str, str]) -> str:
    def part(match):
        return quote(kwargs[match["parameter"]].encode("utf-8", "surrogatepass"), safe="")

    return "/" + _CONVERTER.sub(part, route.route)


def _send(client, method: str, path: str, names, value: str):
    """``names`` all set to ``value``; a surrogate goes as UTF-7, the declared charset."""
    if value != SURROGATE:
        data = dict.fromkeys(names, value)
        return client.get(path, data) if method == "GET" else client.post(path, data)
    utf7 = value.encode("utf-7")
    if method == "GET":
        query = urlencode(dict.fromkeys(names, utf7))
        return client.get(f"{path}?{query}", CONTENT_TYPE="text/plain; charset=utf-7")
    body = b"".join(
        b'--B\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (name.encode("utf-7"), utf7)
        for name in names
    )
    return client.generic(
        "POST",
        path,
        body + b"--B--\r\n",
        content_type="multipart/form-data; boundary=B; charset=utf-7",
    )


def _check(response, label: str, where: str, *, in_path: bool = False) -> None:
    assert response.status_code < 500, (where, label, response.status_code)
    # In a path a surrogate's bytes are not UTF-8: Django reads U+FFFD, a 404 or a redirect.
    if label in REFUSED_EVERYWHERE and not (in_path and label == "surrogate"):
        assert response.status_code == 400, (where, label, response.status_code)
        assert "ký tự không đọc được" in response.content.decode()


def _accepts_post(route, page_fields: set[str]) -> bool:
    expect = EXPECTED.get(route.name)
    if expect is not None:
        return expect.post_only or expect.accepts_post
    return bool(page_fields)  # the admin: a page with a form of its own


def _post_fields(route, kwargs, page_fields: set[str]) -> set[str]:
    expect = EXPECTED.get(route.name)
    known = (
        set(expect.post_data(kwargs))
        if expect and (expect.post_only or expect.accepts_post)
        else set()
    )
    return (known | page_fields) - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.route or "/")
def test_no_bad_value_in_any_input_is_a_server_error_or_a_write(route):
    client = Client(raise_request_exception=False)
    client.force_login(factories.make_user("quantri", is_staff=True, is_superuser=True))
    kwargs = _sample_kwargs(route)
    path = _path(route, kwargs)
    expect = EXPECTED.get(route.name)
    page = client.get(path) if not (expect and expect.post_only) else None
    inputs = _Inputs(path)
    if page is not None and page.get("Content-Type", "").startswith("text/html"):
        inputs.feed(page.content.decode())
    query = VIEW_QUERY_NAMES | PAGE_CACHE_NAMES | inputs.query
    fields = _post_fields(route, kwargs, inputs.fields)
    before = _row_counts()
    redirected_post = False

    for label, value in BAD_VALUES.items():
        # Each URL part, the others as they were.
        for parameter in route.params:
            bad = _path(route, {**kwargs, parameter: value})
            _check(client.get(bad), label, f"GET {route.route} {parameter}", in_path=True)
        # Every query parameter it knows.
        if not (expect and expect.post_only):
            _check(_send(client, "GET", path, sorted(query), value), label, f"GET {path} ?…")
        # Every form field it knows.
        if fields and _accepts_post(route, inputs.fields):
            response = _send(client, "POST", path, sorted(fields), value)
            _check(response, label, f"POST {path}")
            redirected_post |= response.status_code in (301, 302, 303)

    if not redirected_post:
        assert _row_counts() == before


def test_the_fuzz_knows_the_query_parameters_of_the_views():
    """The source scan finds what the views read, so a new parameter is fuzzed at once."""
    assert {"q", "contributor", "pledge", "status", "page", "t"} <= VIEW_QUERY_NAMES


def test_the_fuzz_walks_every_kind_of_url():
    names = {route.name for route in ROUTES}
    assert {"public:feedback-track", "workspace:ledger", "admin:campaigns_donation_add"} <= names
    assert "admin:registry_initiative_changelist" in names
