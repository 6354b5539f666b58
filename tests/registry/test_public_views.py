"""What residents see on /, /mo-hinh/ and /mo-hinh/<slug>/, and what they must not."""

import datetime as dt
import re
import unicodedata
from html import unescape

import pytest
from django.core.paginator import EmptyPage
from django.urls import reverse

from registry.choices import InitiativeStatus as S
from registry.models import Commitment, Indicator
from tests.factories import make_area, make_field, make_initiative, make_photo
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("public:initiative-list")


def titles(response):
    return [i.title for i in response.context["initiatives"]]


@pytest.fixture
def le_loi():
    parent = make_field("Văn hoá – xã hội")
    field = make_field("Xây dựng đô thị văn minh", parent=parent)
    return make_initiative(
        "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
        slug="dam-bao-my-quan-do-thi-duong-hoa-le-loi",
        field=field,
        location="Từ đường Hồ Xuân Hương đến đường Lý Tự Trọng, cầu Bình Hòa",
        summary="310 chậu hoa giấy trên 2 km đường.",
    )


def test_home_shows_the_figures_and_the_featured_models(client, le_loi):
    make_initiative("Ngôi nhà trí tuệ", kind="exemplar")
    make_initiative("Bản nháp chưa gửi", status=S.DRAFT, published=False)
    response = client.get("/")
    assert response.context["overview"] == {
        "models": 1,
        "exemplars": 1,
        "fields": 2,
        "recognised": 0,
    }
    html = response.content.decode()
    assert "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi" in html
    assert "Bản nháp chưa gửi" not in html


def test_the_list_shows_only_published_models_in_a_public_status(client, le_loi):
    make_initiative("Mô hình đã hoàn thành", status=S.COMPLETED)
    make_initiative("Mô hình đã dừng", status=S.DISCONTINUED)
    make_initiative("Bản nháp", status=S.DRAFT, published=False)
    make_initiative("Đã đăng ký, chờ duyệt", status=S.REGISTERED, published=True)
    make_initiative("Đang làm nhưng chưa công khai", published=False)
    response = client.get(LIST)
    assert sorted(titles(response)) == sorted(
        ["Đảm bảo mỹ quan đô thị đường hoa Lê Lợi", "Mô hình đã hoàn thành", "Mô hình đã dừng"]
    )
    html = response.content.decode()
    for hidden in ("Bản nháp", "chờ duyệt", "chưa công khai"):
        assert hidden not in html


@pytest.mark.parametrize(
    "query",
    [
        "le loi",
        "LÊ LỢI",
        "Le Loi",
        "lê lợi",
        unicodedata.normalize("NFD", "Lê Lợi"),
        "duong hoa le loi",
        "ĐƯỜNG HOA",
        "ho xuan huong",
    ],
)
def test_search_ignores_diacritics_case_and_unicode_spelling(client, le_loi, query):
    make_initiative("Đường điện thắp sáng khu dân cư")
    response = client.get(LIST, {"q": query})
    assert titles(response) == ["Đảm bảo mỹ quan đô thị đường hoa Lê Lợi"]


def test_a_search_that_matches_nothing_says_so(client, le_loi):
    response = client.get(LIST, {"q": "khong co gi"})
    assert titles(response) == []
    assert "Không có mô hình nào khớp" in response.content.decode()


def test_field_filter_includes_sub_fields(client, le_loi):
    other = make_initiative("Tổ tiết kiệm", field=make_field("Kinh tế"))
    parent = le_loi.field.parent
    assert titles(client.get(LIST, {"field": parent.pk})) == [le_loi.title]
    assert titles(client.get(LIST, {"field": le_loi.field.pk})) == [le_loi.title]
    assert titles(client.get(LIST, {"field": other.field.pk})) == ["Tổ tiết kiệm"]


def test_area_ward_status_kind_and_year_filters(client, le_loi):
    area = make_area("Khu phố Lê Lợi")
    le_loi.residential_areas.add(area)
    le_loi.started_on = dt.date(2023, 3, 1)
    le_loi.save()
    from tests.factories import make_admin_unit

    elsewhere = make_initiative(
        "Cụm dân cư kiểu mẫu",
        kind="exemplar",
        status=S.COMPLETED,
        admin_unit=make_admin_unit("Quảng Tiến"),
        started_on=dt.date(2024, 1, 5),
    )
    assert titles(client.get(LIST, {"area": area.pk})) == [le_loi.title]
    assert titles(client.get(LIST, {"ward": elsewhere.admin_unit.pk})) == [elsewhere.title]
    assert titles(client.get(LIST, {"status": "completed"})) == [elsewhere.title]
    assert titles(client.get(LIST, {"kind": "exemplar"})) == [elsewhere.title]
    assert titles(client.get(LIST, {"year": "2023"})) == [le_loi.title]
    assert titles(client.get(LIST, {"year": "2024", "kind": "model"})) == []


def _options(html: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of every option of the select called ``name``."""
    select = re.search(rf'<select [^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, unescape(label), bool(selected))
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select
        )
    ]


def test_the_area_ward_and_field_filters_offer_every_one_labelled_as_elsewhere(client, le_loi):
    from registry.models import AdminUnit, Field, ResidentialArea
    from tests.factories import make_admin_unit

    commune = AdminUnit.objects.create(name="Quảng Hùng & <Đông>", kind="commune")
    make_area("Tổ 3", admin_unit=commune, kind="group")
    make_area("Cụm Bắc", admin_unit=make_admin_unit(), kind="cluster")
    chosen = make_area("Khu phố Lê Lợi")

    html = client.get(LIST, {"area": chosen.pk, "field": le_loi.field.pk}).content.decode()

    areas = ResidentialArea.objects.select_related("admin_unit")
    assert _options(html, "area") == [("", "Tất cả khu dân cư", False)] + [
        (str(a.pk), str(a), a == chosen) for a in areas
    ]
    assert _options(html, "ward") == [("", "Tất cả phường", True)] + [
        (str(u.pk), str(u), False) for u in AdminUnit.objects.all()
    ]
    assert "Xã Quảng Hùng &amp; &lt;Đông&gt;" in html
    assert _options(html, "field") == [("", "Tất cả lĩnh vực", False)] + [
        (str(f.pk), str(f), f == le_loi.field) for f in Field.objects.select_related("parent")
    ]
    assert "Văn hoá – xã hội › Xây dựng đô thị văn minh" in html


@pytest.mark.parametrize("deep_offset", [0, 120], ids=["keys first", "plain offset"])
def test_every_page_of_the_list_shows_its_models_in_order(client, monkeypatch, deep_offset):
    from registry.models import Initiative
    from wardmodels.public.views.registry import KeysFirstPaginator

    monkeypatch.setattr(KeysFirstPaginator, "deep_offset", deep_offset)
    started = dt.date(2020, 1, 1)
    fields = [make_field("Kinh tế"), make_field("Văn hoá")]
    for n in range(27):
        make_initiative(
            f"Mô hình {n % 5}-{n:02d}",
            started_on=started + dt.timedelta(days=n // 3),
            field=fields[n % 2],
        )
    make_initiative("Bản nháp", status=S.DRAFT, published=False)
    ordered = Initiative.objects.public().order_by("-started_on", "title", "pk")
    expected = list(ordered.values_list("title", flat=True))
    shown = [titles(client.get(LIST, {"page": page})) for page in (1, 2, 3)]
    assert shown == [expected[:12], expected[12:24], expected[24:]]
    in_field = list(ordered.filter(field=fields[0]).values_list("title", flat=True))
    assert len(in_field) == 14
    shown = [titles(client.get(LIST, {"field": fields[0].pk, "page": page})) for page in (1, 2)]
    assert shown == [in_field[:12], in_field[12:]]


def _ordered_titles(**filters):
    from registry.models import Initiative

    ordered = Initiative.objects.public().filter(**filters).order_by("-started_on", "title", "pk")
    return list(ordered.values_list("title", flat=True))


def _result_count(response) -> str:
    html = response.content.decode()
    text = re.search(r'<p class="result-count"[^>]*>(.*?)</p>', html, re.S).group(1)
    return " ".join(text.split())


def _page_label(response) -> str:
    html = response.content.decode()
    return re.search(r'<span aria-current="page">([^<]*)</span>', html).group(1)


@pytest.fixture
def twenty_seven(db):
    """27 public models over 9 days (3 a day, so the title breaks the ties) in two fields."""
    started = dt.date(2020, 1, 1)
    fields = [make_field("Kinh tế"), make_field("Văn hoá")]
    for n in range(27):
        make_initiative(
            f"Tuyến đường hoa {n % 5}-{n:02d}",
            started_on=started + dt.timedelta(days=n // 3),
            field=fields[n % 2],
        )
    make_initiative("Bản nháp", status=S.DRAFT, published=False)
    return fields


@pytest.mark.parametrize("deep_offset", [0, 120], ids=["keys first", "plain offset"])
def test_above_the_cap_the_list_says_more_than_and_pages_up_to_the_cap(
    client, monkeypatch, twenty_seven, deep_offset
):
    from wardmodels.public.views.registry import KeysFirstPaginator

    monkeypatch.setattr(KeysFirstPaginator, "deep_offset", deep_offset)
    monkeypatch.setattr(KeysFirstPaginator, "count_cap", 20)
    expected = _ordered_titles()
    assert len(expected) == 27

    first = client.get(LIST)
    assert _result_count(first) == "Hơn 20 mô hình, điển hình"
    assert titles(first) == expected[:12]
    assert _page_label(first) == "Trang 1"
    assert 'href="?page=2"' in first.content.decode()
    assert "result-limit" not in first.content.decode()

    # The last page stops at the cap (rows 13-20), has no "next" link and says why.
    last = client.get(LIST, {"page": 2})
    assert titles(last) == expected[12:20]
    assert _page_label(last) == "Trang 2"
    html = last.content.decode()
    assert 'href="?page=1"' in html
    assert 'rel="next"' not in html
    assert "Danh sách chỉ hiển thị 20 kết quả đầu tiên" in html
    assert client.get(LIST, {"page": 3}).status_code == 404


def test_a_cap_in_thousands_is_written_the_vietnamese_way_and_its_last_page_works(
    client, monkeypatch
):
    from registry.models import Initiative
    from wardmodels.public.views.registry import KeysFirstPaginator

    monkeypatch.setattr(KeysFirstPaginator, "count_cap", 1_000)
    model = make_initiative("Mô hình mẫu", started_on=dt.date(2020, 1, 1))
    Initiative.objects.bulk_create(
        Initiative(
            title=f"Mô hình {n:04d}",
            slug=f"mo-hinh-{n}",
            code=f"B-{n:04d}",
            field=model.field,
            admin_unit=model.admin_unit,
            started_on=dt.date(2020, 1, 1),
            status=S.IMPLEMENTING,
            published=True,
            first_published_at=model.first_published_at,
        )
        for n in range(1_000)
    )
    response = client.get(LIST)
    assert _result_count(response) == "Hơn 1.000 mô hình, điển hình"
    expected = _ordered_titles()
    # 1,000 rows make 84 pages; the 84th holds rows 997-1,000 (chosen by their keys first).
    last = client.get(LIST, {"page": 84})
    assert titles(last) == expected[996:1000]
    assert "Danh sách chỉ hiển thị 1.000 kết quả đầu tiên" in last.content.decode()
    assert titles(client.get(LIST, {"page": 50})) == expected[588:600]
    assert client.get(LIST, {"page": 85}).status_code == 404


def test_at_the_cap_the_count_is_exact_and_every_page_is_there(client, monkeypatch, twenty_seven):
    from wardmodels.public.views.registry import KeysFirstPaginator

    monkeypatch.setattr(KeysFirstPaginator, "count_cap", 27)
    expected = _ordered_titles()
    first = client.get(LIST)
    assert _result_count(first) == "27 mô hình, điển hình"
    assert _page_label(first) == "Trang 1 / 3"
    last = client.get(LIST, {"page": 3})
    assert titles(last) == expected[24:]
    assert _page_label(last) == "Trang 3 / 3"
    assert "result-limit" not in last.content.decode()
    assert client.get(LIST, {"page": 4}).status_code == 404


def test_a_search_with_a_filter_above_the_cap_pages_up_to_the_cap(
    client, monkeypatch, twenty_seven
):
    from wardmodels.public.views.registry import KeysFirstPaginator

    monkeypatch.setattr(KeysFirstPaginator, "count_cap", 13)
    economy = twenty_seven[0]
    expected = _ordered_titles(field=economy)
    assert len(expected) == 14
    params = {"q": "duong hoa", "field": economy.pk}
    first = client.get(LIST, params)
    assert _result_count(first) == "Hơn 13 mô hình, điển hình"
    assert titles(first) == expected[:12]
    assert f"?q=duong+hoa&amp;field={economy.pk}&amp;page=2" in first.content.decode()
    second = client.get(LIST, {**params, "page": 2})
    assert titles(second) == expected[12:13]
    assert client.get(LIST, {**params, "page": 3}).status_code == 404
    # Below the cap nothing changes: the exact count and "page n / total".
    monkeypatch.setattr(KeysFirstPaginator, "count_cap", 14)
    first = client.get(LIST, params)
    assert _result_count(first) == "14 mô hình, điển hình"
    assert _page_label(first) == "Trang 1 / 2"
    assert titles(client.get(LIST, {**params, "page": 2})) == expected[12:]


@pytest.mark.parametrize("cap", [10_000, 20])
def test_a_search_counted_in_one_pass_pages_like_the_count_and_page_queries(twenty_seven, cap):
    """The one-pass keys (text searches) and the separate count and page queries agree on
    every page, the count and the cap, with and without a DISTINCT (area filter)."""
    from registry.models import Initiative
    from registry.queries import search_initiatives
    from wardmodels.public.views.registry import KeysFirstPaginator

    area, other = make_area("Khu phố 4"), make_area("Khu phố 5")
    for initiative in Initiative.objects.filter(title__contains="-1"):
        initiative.residential_areas.add(area, other)
    public = Initiative.objects.public().order_by("-started_on", "title", "pk")
    searches = [
        search_initiatives(public, "duong hoa"),
        search_initiatives(public.filter(field=twenty_seven[0]), "hoa 1"),
        search_initiatives(public.filter(residential_areas__in=[area, other]).distinct(), "tuyen"),
        search_initiatives(public, "khong co gi"),
    ]
    for queryset in searches:
        pages = {}
        for one_pass in (False, True):
            paginator = KeysFirstPaginator(queryset, 12, one_pass=one_pass)
            paginator.count_cap = cap
            shown = []
            for number in range(1, 5):
                try:
                    page = paginator.page(number)
                except EmptyPage:
                    break
                shown.append([i.title for i in page.object_list])
            pages[one_pass] = (shown, paginator.count, paginator.capped, paginator.num_pages)
        assert pages[True] == pages[False]
        expected = list(queryset.values_list("title", flat=True))[:cap]
        assert sum(pages[True][0], []) == expected
    assert [len(p) for p in pages[True][0]] == [0]  # "khong co gi": an empty first page


def test_a_search_page_beyond_the_end_or_not_a_number_is_a_404(client, twenty_seven):
    params = {"q": "duong hoa"}
    assert titles(client.get(LIST, {**params, "page": 3})) == _ordered_titles()[24:]
    assert titles(client.get(LIST, {**params, "page": "last"})) == _ordered_titles()[24:]
    for page in (4, 0, -1, "abc", 99):
        assert client.get(LIST, {**params, "page": page}).status_code == 404
    nothing = client.get(LIST, {"q": "khong co gi"})
    assert nothing.status_code == 200
    assert _result_count(nothing) == "0 mô hình, điển hình"
    assert client.get(LIST, {"q": "khong co gi", "page": 2}).status_code == 404


def test_a_status_filter_cannot_reveal_drafts(client):
    make_initiative("Bản nháp", status=S.DRAFT, published=True)
    response = client.get(LIST, {"status": "draft"})
    assert titles(response) == []
    assert "không hợp lệ" in response.content.decode()


def test_an_invalid_filter_value_shows_an_error_not_a_crash(client, le_loi):
    response = client.get(LIST, {"field": "abc", "year": "<script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "field-error" in html
    assert "<script>" not in html.split("<main")[1]


def test_pagination_keeps_the_filters(client):
    field = make_field("Kinh tế")
    for n in range(14):
        make_initiative(f"Tổ tiết kiệm số {n:02d}", field=field)
    make_initiative("Khác lĩnh vực")
    first = client.get(LIST, {"field": field.pk, "q": "tiet kiem"})
    assert len(titles(first)) == 12
    html = first.content.decode()
    assert f"?field={field.pk}&amp;q=tiet+kiem&amp;page=2" in html
    second = client.get(LIST, {"field": field.pk, "q": "tiet kiem", "page": 2})
    assert len(titles(second)) == 2
    assert "Khác lĩnh vực" not in second.content.decode()


def test_a_page_beyond_the_end_is_a_404(client, le_loi):
    assert client.get(LIST, {"page": 99}).status_code == 404
    assert client.get(LIST, {"page": "abc"}).status_code == 404


def test_the_model_page_shows_everything_residents_need(client, le_loi):
    from registry.models import LegalDocument, Organization

    lead = Organization.objects.create(
        name="Khối dân vận phường Trường Sơn", kind="mass_mobilisation"
    )
    partner = Organization.objects.create(name="Hội Nông dân phường", kind="farmers")
    le_loi.lead_organization = lead
    le_loi.save()
    le_loi.partner_organizations.add(partner)
    le_loi.legal_basis.add(
        LegalDocument.objects.create(
            number="239-KH/TU", issuer="Ban Thường vụ Thành ủy", title="Xây dựng mô hình"
        )
    )
    Indicator.objects.create(initiative=le_loi, label="Chậu hoa giấy", unit="chậu", actual=310)
    Indicator.objects.create(
        initiative=le_loi, label="Chiều dài", unit="km", target="2.5", actual=2
    )
    Commitment.objects.create(initiative=le_loi, text="Không lấn chiếm hành lang vỉa hè")
    make_photo(le_loi, alt_text="Hàng chậu hoa giấy dọc vỉa hè", caption="Đường hoa")
    make_photo(le_loi, alt_text="Ảnh có người chưa đồng ý", shows_identifiable_people=True)

    html = client.get(le_loi.get_absolute_url()).content.decode()
    for expected in [
        "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
        "Mô hình",
        "Đang thực hiện",
        "Xây dựng đô thị văn minh",
        "Khối dân vận phường Trường Sơn",
        "Hội Nông dân phường",
        "Từ đường Hồ Xuân Hương đến đường Lý Tự Trọng, cầu Bình Hòa",
        "239-KH/TU",
        "Chậu hoa giấy",
        ">310<",
        ">2,5<",
        "Không lấn chiếm hành lang vỉa hè",
        'alt="Hàng chậu hoa giấy dọc vỉa hè"',
        "Đường hoa",
        '<link rel="canonical" href="http://testserver/mo-hinh/dam-bao-my-quan-do-thi-duong-hoa-le-loi/">',
        '<meta name="description" content="310 chậu hoa giấy trên 2 km đường.">',
    ]:
        assert expected in html, expected
    assert "Ảnh có người chưa đồng ý" not in html


@pytest.mark.parametrize(
    "state",
    [
        {"status": S.DRAFT, "published": True},
        {"status": S.REGISTERED, "published": True},
        {"status": S.IMPLEMENTING, "published": False},
    ],
)
def test_a_draft_or_unpublished_model_is_a_404_for_the_public(client, state):
    initiative = make_initiative("Chưa công khai", **state)
    response = client.get(initiative.get_absolute_url())
    assert response.status_code == 404
    assert "Chưa công khai" not in response.content.decode()


def _populate(n):
    field = make_field()
    area = make_area()
    for i in range(n):
        initiative = make_initiative(f"Mô hình {i}", field=field)
        initiative.residential_areas.add(area)
        make_photo(initiative)
        Indicator.objects.create(initiative=initiative, label="Chỉ tiêu", actual=1)


@pytest.mark.parametrize("url", ["/", LIST, LIST + "?q=mo+hinh"])
def test_list_pages_use_the_same_number_of_queries_for_1_and_3_models(client, url):
    _populate(1)
    response = assert_constant_queries(lambda: client.get(url), lambda: _populate(2))
    shown = response.context.get("initiatives") or response.context.get("featured")
    assert len(shown) == 3


def test_the_model_page_uses_the_same_number_of_queries_for_1_and_3_photos(client, le_loi):
    make_photo(le_loi)
    Indicator.objects.create(initiative=le_loi, label="A", actual=1)

    def grow():
        make_photo(le_loi)
        make_photo(le_loi)
        Indicator.objects.create(initiative=le_loi, label="B", actual=2)
        Commitment.objects.create(initiative=le_loi, text="C")

    response = assert_constant_queries(lambda: client.get(le_loi.get_absolute_url()), grow)
    assert response.content.decode().count("<figure>") == 3


def test_pages_switch_to_english_and_back(client, le_loi):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LIST}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Models and exemplars" in html
    response = client.post("/i18n/setlang/", {"language": "vi", "next": LIST}, follow=True)
    assert "Mô hình, điển hình" in response.content.decode()


def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client):
    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": LIST})
    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="vi")
    assert '<html lang="en">' in response.content.decode()


def test_on_the_list_the_search_comes_first_and_the_filters_fold_away(client, le_loi):
    """The search box, then a line naming the filters in use, then the results; the other
    filters sit in a disclosure that says how many are in use (no JavaScript needed)."""
    body = client.get(LIST, {"q": "hoa le loi", "field": le_loi.field.pk, "status": "implementing"})
    html = body.content.decode()
    details = html.index('<details class="filter-more">')
    assert html.index('name="q"') < details  # the search box is not folded away
    assert "<summary>Lọc (2)</summary>" in html
    assert html.index('name="field"') > details and html.index('name="status"') > details
    summary = re.search(r'<p class="filter-summary">(.*?)</p>', html, re.S).group(1)
    assert "Lĩnh vực: Văn hoá – xã hội › Xây dựng đô thị văn minh" in unescape(summary)
    assert "Trạng thái: Đang thực hiện" in summary
    assert 'href="/mo-hinh/?q=hoa+le+loi">Bỏ lọc</a>' in summary  # the search stays
    assert html.index('class="filter-summary"') < html.index('class="cards"')
    assert titles(body) == [le_loi.title]


def test_without_filters_the_disclosure_says_filters_and_no_summary_line(client, le_loi):
    html = client.get(LIST, {"q": "hoa le loi"}).content.decode()
    assert "<summary>Lọc</summary>" in html and 'class="filter-summary"' not in html


def test_an_invalid_filter_opens_the_disclosure(client, le_loi):
    html = client.get(LIST, {"field": "999999"}).content.decode()
    assert '<details class="filter-more" open>' in html


def test_the_folded_filters_read_in_english(client, le_loi):
    client.cookies["django_language"] = "en"
    html = client.get(LIST, {"status": "implementing"}).content.decode()
    assert "<summary>Filters (1)</summary>" in html and "Filtered by:" in html
