"""Contributors' private data never reach a public response: pages, headers or downloads.

Every public URL is found by walking the URL configuration (tests/urls_walk.py, so pages
added later are covered too), each of its parameters filled with every real object that
fits it (public ones and hidden ones); from there the walk follows every link and every GET
form that public pages offer (filters, search, years, later pages, exports). It is done
anonymously in Vietnamese and in English (the language switch), and with the Redis page
cache on, each page fetched twice so that the second answer comes from the cache.
"""

import io
import itertools
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import Resolver404, resolve, reverse

from campaigns.models import ContributorKind
from campaigns.review_choices import CommendationStatus, RecognitionStatus
from participation import workflow as feedback_workflow
from participation.models import Feedback
from registry.choices import InitiativeStatus
from registry.models import Initiative, MilestonePhoto, Photo
from registry.short_links import initiative_short_code
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge
from tests.campaigns.factories_reviews import make_commendation, make_recognition
from tests.urls_walk import PRIVATE_PREFIXES, project_routes
from wardmodels.opendata.datasets import DATASETS, FORMATS

pytestmark = pytest.mark.django_db

PHONE = "0912-PHONE-MARKER-4f7c2a"
ADDRESS = "ADDRESS-MARKER-9b1e Số 17 ngõ Bí Mật"
HIDDEN_NAME = "HIDDEN-NAME-MARKER-c3d8"
NOTE = "NOTE-MARKER-77aa ghi chú nội bộ"
NAMED_ONLY = "Hộ bà Chỉ Nêu Tên"  # consented to her name, not to her amount
WITHHELD_AMOUNT = 1_234_567  # hers: in the totals, never on its own
HIDDEN_AMOUNT = 2_345_678  # the hidden contributor's, each time
MARKERS = (
    PHONE,
    ADDRESS,
    HIDDEN_NAME,
    NOTE,
    "PHONE-MARKER",
    "ADDRESS-MARKER",
    "HIDDEN-NAME-MARKER",
    "NOTE-MARKER",
    *(f"{n:,}".replace(",", sep) for n in (WITHHELD_AMOUNT, HIDDEN_AMOUNT) for sep in ",. "),
    *(str(n) for n in (WITHHELD_AMOUNT, HIDDEN_AMOUNT)),
)

# What fills each URL parameter of a public route: every value that makes sense, public or
# not (a draft's slug must answer 404 without a word about its contributors).
PARAMETER_VALUES = {
    "slug": lambda: list(Initiative.objects.values_list("slug", flat=True)),
    # the posters' short links: every model's (public or not), and one that does not exist
    "code": lambda: [
        *Initiative.objects.exclude(short_code=None).values_list("short_code", flat=True),
        "ZZZZZZ",
        # the residents' feedback codes (tracking pages: without the token, a 404)
        *Feedback.objects.values_list("code", flat=True),
    ],
    # the QR downloads and the open-data files: every format of either, and unknown ones
    "fmt": lambda: ["svg", "png", "pdf", *FORMATS, "xlsx"],
    # the monthly notices: a month with the ledger's entries, one before, one impossible
    "year": lambda: [2023],
    "month": lambda: [4, 12, 13],
    "path": lambda: [
        name.removeprefix("photos/")
        for name in [
            *Photo.objects.values_list("image", flat=True),
            *MilestonePhoto.objects.values_list("image", flat=True),
        ]
        if name.startswith("photos/")
    ],
    # the open-data files: every one, and names that do not exist
    "name": lambda: [*DATASETS, "khong-co", "contributors"],
}
# What the walk types into a search box: the private data's own words (never a marker
# itself: the page rightly repeats what was searched for).
SEARCH_PROBES = ("dong y", "ngo bi mat", "0912", "hidden name marker c3d8", "chi neu ten")
# Addresses that no page links to but anyone may type.
TYPED_URLS = (
    "/mo-hinh/?page=99",
    "/mo-hinh/?status=nonsense",
    "/mo-hinh/khong-co-mo-hinh-nay/",
    f"/mo-hinh/{PHONE.lower()}/",
    "/bao-cao/?year=1999",
    "/du-lieu-mo/v1/models.csv?page=2",
    "/khong-co-trang-nay/",
)
assert not any(marker in probe for marker in MARKERS for probe in SEARCH_PROBES)
# Residents' private tracking pages (code and token), filled by the fixture.
TRACKING_URLS: list[str] = []
PUBLISHED_FEEDBACK = "Đề nghị thêm thùng rác ở đầu đường hoa (đã che thông tin)."
MAX_URLS = 800  # the walk must end: far more than this ward's pages


@pytest.fixture
def ward_with_a_private_contributor():
    field = factories.make_field("Bảo vệ môi trường")
    area = factories.make_area("Khu phố Trung Sơn")
    # 14 public models: the list has a second page; filters by area and year have choices.
    public = [
        factories.make_initiative(field=field, started_on=date(2022 + n % 2, 3, 1))
        for n in range(14)
    ]
    for initiative in public:
        initiative.residential_areas.add(area)
    factories.make_photo(public[0])
    # A published milestone with a before and an after photo: the timeline page and its photos.
    factories.make_published_milestone(public[0], photos=("before", "after"))
    # Decisions: badges on the model page, the "recognised" filter, the report's lists.
    make_recognition(public[0], status=RecognitionStatus.PUBLISHED)
    make_commendation(public[1], status=CommendationStatus.ISSUED, issued_on=date(2023, 12, 25))
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    # Posters' short links: one that redirects, one to a model residents cannot see.
    initiative_short_code(public[0])
    initiative_short_code(draft)
    consenting = make_contributor(
        "Hộ ông Đồng Ý",
        publish_name=True,
        publish_amount=True,
        phone=PHONE,
        address=ADDRESS,
        note=NOTE,
    )
    named_only = make_contributor(
        NAMED_ONLY, publish_name=True, phone=PHONE + "-3", address=ADDRESS + "-3", note=NOTE
    )
    hidden = make_contributor(
        HIDDEN_NAME, kind=ContributorKind.BUSINESS, phone=PHONE + "-2", address=ADDRESS + "-2"
    )
    for initiative in [*public, draft]:
        make_donation(initiative=initiative, contributor=consenting, amount=1_000_000)
        make_donation(initiative=initiative, contributor=named_only, amount=WITHHELD_AMOUNT)
        make_donation(initiative=initiative, contributor=hidden, amount=HIDDEN_AMOUNT)
        make_pledge(initiative=initiative, contributor=consenting, description="Cam kết")
        make_expense(initiative=initiative)
    # A month in which only the hidden contributor gave: the open data's monthly ledger would
    # give her amount away if it wrote that cell.
    make_donation(
        initiative=public[2], contributor=hidden, amount=HIDDEN_AMOUNT, received_on=date(2023, 6, 9)
    )
    # Residents' feedback: published with its answer, the sender's phone and name kept but the
    # name not shown; another one never published. Their tracking pages are walked too.
    official = factories.make_official()
    TRACKING_URLS.clear()
    for initiative, publish in ((public[0], True), (public[1], False)):
        feedback, token = feedback_workflow.feedback_submit(
            initiative=initiative,
            kind="suggestion",
            text="Đề nghị thêm thùng rác ở đầu đường hoa, gần nhà tôi.",
            name=HIDDEN_NAME,
            show_name=False,
            phone=PHONE[:20],  # the column's length; it still holds "PHONE-MARKER"
            contact_consent=True,
            client_hash="CLIENT-HASH-" + HIDDEN_NAME,
        )
        feedback_workflow.feedback_receive(feedback=feedback, by=official)
        feedback_workflow.feedback_answer(feedback=feedback, by=official, text="Phường đã lắp.")
        if publish:
            feedback_workflow.feedback_publish(
                feedback=feedback, by=official, public_text=PUBLISHED_FEEDBACK
            )
        TRACKING_URLS.append(reverse("public:feedback-track", args=[feedback.code]) + f"?t={token}")
    return public


# --- the walk --------------------------------------------------------------------------------


def _route_urls() -> list[str]:
    """Every public route, with EVERY parameter filled with every value that fits it."""
    urls = []
    for route in project_routes():
        if not route.public:
            continue
        unknown = [p for p in route.params if p not in PARAMETER_VALUES]
        assert not unknown, f"{route.name}: add {unknown} to PARAMETER_VALUES in test_privacy.py"
        choices = [PARAMETER_VALUES[p]() for p in route.params]
        for values in itertools.product(*choices):
            urls.append(
                reverse(route.name, kwargs=dict(zip(route.params, values, strict=True)) or None)
            )
    return urls


class _Offers(HTMLParser):
    """The links and the GET forms of a page: what a visitor can click or submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"method": method, "action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("text", "search"):
                self._form["fields"].append((a["name"], "text", []))
            elif kind not in ("submit", "button", "file", "password"):
                self._form["fields"].append((a["name"], "fixed", [a.get("value") or ""]))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], "select", [])
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select[2].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _form_variants(page_url: str, form: dict) -> list[str]:
    """One URL per choice of the form, each choice alone (a search box: every probe)."""
    if form["method"] != "get":
        return []
    action = urljoin(page_url, form["action"]).split("?")[0]
    empty = {name: (values[0] if kind == "fixed" else "") for name, kind, values in form["fields"]}
    urls = [f"{action}?{urlencode(empty)}"]
    for name, kind, values in form["fields"]:
        for value in SEARCH_PROBES if kind == "text" else values if kind == "select" else ():
            urls.append(f"{action}?{urlencode({**empty, name: value})}")
    return urls


def _public_path(url: str) -> str | None:
    """The URL as a path and query on this site if a visitor may fetch it, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.lstrip("/").startswith(PRIVATE_PREFIXES):
        return None
    if _view_name(parts.path) is None:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _text(response) -> str:
    """Everything the response tells the visitor: headers, cookies and body, as text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        text = "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    else:
        text = body.decode(errors="replace")
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    cookies = "\n".join(morsel.OutputString() for morsel in response.cookies.values())
    return f"{headers}\n{cookies}\n{text}"


def _assert_private_data_absent(response, url):
    """Checks the whole answer; keeps its text on it (a download can be read only once)."""
    response.walk_text = _text(response)
    for marker in MARKERS:
        assert marker not in response.walk_text, (
            f"{marker!r} leaked on {url} ({response.status_code})"
        )


def walk(client, *, language: str, twice: bool = False) -> dict:
    """Fetch every public URL reachable from the routes; check each answer on the way."""
    # The private links first: each moves its token into a cookie and redirects to the page
    # without it, which the walk then reads (not before, without the cookie, from the routes).
    tracking_pages = {url.split("?")[0] for url in TRACKING_URLS}
    queue = [
        *TRACKING_URLS,
        *(url for url in [*_route_urls(), *TYPED_URLS] if url not in tracking_pages),
    ]
    seen = set(queue)
    pages = {}
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        _assert_private_data_absent(response, url)
        found = []
        if response.status_code in (301, 302):
            found.append(urljoin(url, response["Location"]))
        if response.get("Content-Type", "").startswith("text/html"):
            assert response["Content-Language"] == language, url
            offers = _Offers()
            offers.feed(response.walk_text)
            found += [urljoin(url, link) for link in offers.links]
            found += [u for form in offers.forms for u in _form_variants(url, form)]
        if twice:
            again = client.get(url)
            _assert_private_data_absent(again, url)
            response = (response, again)
        pages[url] = response
        for link in found:
            path = _public_path(link)
            if path is not None and path not in seen:
                seen.add(path)
                queue.append(path)
        assert len(seen) < MAX_URLS, "the walk does not end: a page links to ever new URLs"
    return pages


def _choose_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _first(page):
    return page[0] if isinstance(page, tuple) else page


def _assert_the_walk_saw_the_site(pages, public_initiatives):
    """The walk reached what it should: models, filters, search, pages, the report."""
    statuses = {(p[0] if isinstance(p, tuple) else p).status_code for p in pages.values()}
    assert {200, 404} <= statuses
    for initiative in public_initiatives:
        assert initiative.get_absolute_url() in pages
    sample = public_initiatives[0]
    for expected in (
        *("/", "/mo-hinh/", "/bao-cao/", "page=2", "q=ngo+bi+mat", "year=2023", "recognised=1"),
        *(f"field={sample.field_id}&", f"area={sample.residential_areas.get().pk}&"),
        *("/bao-cao/?year=2023", "/bao-cao/?year=all"),
        *("/du-lieu-mo/", "/du-lieu-mo/feed.atom", "/du-lieu-mo/catalog.jsonld"),
        *(f"/du-lieu-mo/v1/{name}.{fmt}" for name in DATASETS for fmt in FORMATS),
        "/du-lieu-mo/v1/datapackage.json",
    ):
        assert any(expected in url for url in pages), f"the walk never fetched {expected!r}"
    assert any(url.startswith("/media/photos/") for url in pages)
    ledger = _first(pages["/du-lieu-mo/v1/ledger-monthly.csv"]).walk_text
    # The three donors of a month together: a sum that names no one.
    assert f"{public_initiatives[0].code},2023-04,cash,3,4580245,false" in ledger
    assert f"{public_initiatives[2].code},2023-06,cash,1,,true" in ledger
    assert f"{sample.get_absolute_url()}tien-do/" in pages
    assert any(url.startswith("/media/photos/milestones/") for url in pages)
    # Feedback: the public list, its filters, and the published item on its model's page.
    assert any(url.startswith("/gop-y/?") for url in pages)

    def first(url):
        return pages[url][0] if isinstance(pages[url], tuple) else pages[url]

    assert PUBLISHED_FEEDBACK in first(public_initiatives[0].get_absolute_url()).walk_text
    # That month's public notice, reached through the notices' links: its figures withheld.
    notice = reverse("public:initiative-notice", args=[public_initiatives[2].slug, 2023, 6])
    assert "(*)" in first(notice).walk_text
    for url in TRACKING_URLS:
        # The private link moves its token into a cookie and drops it from the address.
        assert first(url).status_code == 302, url
        assert first(urljoin(url, first(url)["Location"])).status_code == 200, url
    named = [
        url
        for url, p in pages.items()
        if NAMED_ONLY in (p[0] if isinstance(p, tuple) else p).walk_text
    ]
    assert named, "a contributor who consented to her name should be named on her model pages"


# --- the tests -------------------------------------------------------------------------------


def test_the_url_walk_fills_every_parameter_of_every_public_route(
    ward_with_a_private_contributor,
):
    urls = _route_urls()
    assert "/" in urls and "/mo-hinh/" in urls and "/bao-cao/" in urls
    for initiative in Initiative.objects.all():  # the draft too
        assert initiative.get_absolute_url() in urls
    photo = Photo.objects.get()
    assert (
        reverse("public-media", kwargs={"path": photo.image.name.removeprefix("photos/")}) in urls
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_public_url_shows_a_contributors_phone_address_or_withheld_name_or_amount(
    client, ward_with_a_private_contributor, language
):
    """In either language: nowhere in any answer's body, headers or download."""
    if language == "en":
        _choose_english(client)
    pages = walk(client, language=language)
    _assert_the_walk_saw_the_site(pages, ward_with_a_private_contributor)
    if language == "en":
        assert "Home" in pages["/"].walk_text


# A Redis database of its own per engine, so that the SQLite and PostgreSQL passes may run
# at the same time.
REDIS_URL = f"redis://127.0.0.1:6379/{6 if connection.vendor == 'postgresql' else 5}"


@pytest.fixture
def redis_page_cache(settings):
    """The public-page cache on, in the machine's Redis (as in production)."""
    client = redis.Redis.from_url(REDIS_URL)
    client.ping()  # the machine's Redis must run: fail, never skip
    client.flushdb()
    settings.CACHES = {"default": {"BACKEND": "wardmodels.cache.RedisCache", "LOCATION": REDIS_URL}}
    settings.PAGE_CACHE_SECONDS = 60
    yield client
    client.flushdb()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_cached_public_page_shows_a_contributors_private_data(
    client, ward_with_a_private_contributor, redis_page_cache, language
):
    """Every page twice: the second answer comes from Redis, and it leaks nothing either."""
    if language == "en":
        _choose_english(client)
    pages = walk(client, language=language, twice=True)
    _assert_the_walk_saw_the_site(pages, ward_with_a_private_contributor)
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    cached = 0
    for url, (first, second) in pages.items():
        if _view_name(url) in settings.PUBLIC_PAGE_CACHE_VIEWS and first.status_code == 200:
            assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit"), url
            assert second["Content-Language"] == language, url
            cached += 1
    assert cached >= len(ward_with_a_private_contributor) + 3
    # The pages are in Redis itself, under this language's keys.
    stored = redis_page_cache.keys(f"*pagecache:p2:*:{language}:*")
    assert len(stored) == cached
