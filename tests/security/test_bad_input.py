"""Whatever a query string holds, the public list answers 200, 400 or 404: never a 500."""

from urllib.parse import quote_from_bytes

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from registry.choices import InitiativeKind, InitiativeStatus
from tests import factories

pytestmark = pytest.mark.django_db

LIST_URL = "/mo-hinh/"
ALLOWED = {200, 400, 404}

bounded = hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run and both databases: no flaky CI
    database=None,  # nothing written to .hypothesis/
)

# Any text a browser can send (surrogates cannot be UTF-8 encoded), NUL and controls included.
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200)
long_text = st.builds(
    lambda chunk, times: chunk * times,
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=6),
    st.integers(min_value=200, max_value=2000),
)
odd_text = st.sampled_from(
    [
        "\x00",
        "le\x00loi",
        "Lê Lợi",
        "Le\u0302 Lo\u031b\u0323i",  # decomposed
        "ĐƯỜNG HOA",
        "🌸" * 50,
        "\u202e\u200b\ufeff",
        "' OR 1=1 --",
        "%",
        "_",
        "\\",
        "<script>alert(1)</script>",
        " " * 500,
    ]
)
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
id_like = st.one_of(numbers, any_text, st.sampled_from(["1", "0", "-1", "1.5", "1e3", "0x1"]))
page_values = st.one_of(
    numbers, any_text, st.sampled_from(["last", "first", "0", "-1", "1", "2", "9" * 40, ""])
)


def _values(strategy):
    """One value, or the parameter repeated (?status=a&status=b)."""
    return st.one_of(strategy, st.lists(strategy, min_size=2, max_size=3))


query_params = st.fixed_dictionaries(
    {},
    optional={
        "q": _values(st.one_of(any_text, long_text, odd_text)),
        "field": _values(id_like),
        "area": _values(id_like),
        "ward": _values(id_like),
        "status": _values(st.one_of(st.sampled_from(InitiativeStatus.values), any_text, numbers)),
        "kind": _values(st.one_of(st.sampled_from(InitiativeKind.values), any_text)),
        "year": _values(st.one_of(st.sampled_from(["2023", "2019", "0", "-5"]), numbers)),
        "page": _values(page_values),
    },
)
unknown_params = st.dictionaries(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12),
    any_text,
    max_size=3,
)


@pytest.fixture
def registry():
    """A few public initiatives, so filters, search and pagination have something to do."""
    field = factories.make_field("Văn hoá – xã hội")
    area = factories.make_area("Khu phố Trường Sơn")
    for n in range(3):
        initiative = factories.make_initiative(f"Đường hoa Lê Lợi {n}", field=field)
        initiative.residential_areas.add(area)
    return {"field": field, "area": area}


def _assert_answered(response):
    assert response.status_code in ALLOWED, response.status_code
    if response.status_code == 200:
        assert "Mô hình, điển hình" in response.content.decode()


@bounded
@given(params=query_params, extra=unknown_params)
@example(params={"q": "le\x00loi"}, extra={})
@example(params={"page": "9" * 40}, extra={})
@example(params={"field": "9" * 30, "area": "-" + "9" * 30, "ward": "1e400"}, extra={})
@example(params={"year": "99999999999999999999"}, extra={})
def test_the_public_list_never_fails_on_odd_query_strings(client, registry, params, extra):
    response = client.get(LIST_URL, {**extra, **params})
    _assert_answered(response)


@bounded
@given(raw=st.binary(max_size=300))
@example(raw=b"q=%ff%fe&page=%00")
@example(raw=b"q=" + b"a" * 5000)
@example(raw=b"&&&==&q&page")
def test_raw_undecodable_query_strings_never_fail(client, registry, raw):
    # Percent-encode everything but the separators, so invalid UTF-8 reaches Django as is.
    query = quote_from_bytes(raw, safe=b"=&")
    response = client.get(f"{LIST_URL}?{query}")
    _assert_answered(response)


def test_a_nul_byte_in_the_search_is_refused_with_the_400_page(client, registry):
    response = client.get(LIST_URL, {"q": "duong\x00hoa"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "ký tự không đọc được" in page
    assert "Đường hoa Lê Lợi 0" not in page


def test_a_valid_search_still_finds_its_models(client, registry):
    response = client.get(LIST_URL, {"q": "DUONG HOA le loi", "page": "1"})
    assert response.status_code == 200
    assert "Đường hoa Lê Lợi 2" in response.content.decode()


def test_a_page_past_the_end_is_404_with_the_sites_page(client, registry):
    response = client.get(reverse("public:initiative-list"), {"page": "99"})
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
