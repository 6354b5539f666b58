"""The public pages' shortcuts give what Django's own way gives, and follow the data.

Cards rendered by one include, the filters' options read as rows and their query compiled once
per process, the year choices and the home figures as statements built by the ORM once.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse, set_script_prefix

from registry.models import Field, ResidentialArea
from registry.widgets import option_rows
from tests.factories import make_area, make_field, make_initiative, make_photo
from wardmodels.public.filters import _public_years

pytestmark = pytest.mark.django_db

LIST = reverse("public:initiative-list")


def test_option_rows_are_the_values_list_rows_and_follow_the_data():
    make_area("Khu phố B")
    make_area("Khu phố A")
    make_field("Văn hoá", parent=make_field("Xã hội"))
    declared = [
        (ResidentialArea.objects.select_related("admin_unit"), ("pk", "kind", "name")),
        (Field.objects.select_related("parent"), ("pk", "name", "parent__name")),
    ]
    for queryset, columns in declared:
        assert list(option_rows(queryset, columns)) == list(queryset.values_list(*columns))
    with CaptureQueriesContext(connection) as ctx:
        option_rows(*declared[0])
    assert len(ctx.captured_queries) == 1

    # The statement is kept, never the rows: a new area is offered at once.
    new = make_area("Khu phố C")
    assert new.pk in [row[0] for row in option_rows(*declared[0])]

    # A queryset narrowed after its declaration goes through the ORM as before.
    narrowed = ResidentialArea.objects.filter(name__endswith="A")
    assert list(option_rows(narrowed, ("pk", "name"))) == [
        (a.pk, "Khu phố A") for a in ResidentialArea.objects.filter(name="Khu phố A")
    ]
    ordered = ResidentialArea.objects.order_by("-name")
    assert [row[1] for row in option_rows(ordered, ("pk", "name"))] == [
        "Khu phố C",
        "Khu phố B",
        "Khu phố A",
    ]


def test_the_year_choices_follow_the_public_models():
    assert _public_years() == []
    make_initiative(started_on=dt.date(2023, 5, 1))
    make_initiative(started_on=dt.date(2021, 1, 9))
    make_initiative(started_on=dt.date(2019, 3, 3), published=False)
    assert _public_years() == [("2023", "2023"), ("2022", "2022"), ("2021", "2021")]
    make_initiative(started_on=dt.date(2025, 12, 31))
    assert _public_years()[0] == ("2025", "2025")
    assert _public_years()[-1] == ("2021", "2021")


@pytest.mark.parametrize("slug", ["dam-bao-my-quan-do-thi-1", "A_b-9", "x"])
def test_get_absolute_url_is_what_reverse_gives(slug):
    initiative = make_initiative(slug=slug)
    assert initiative.get_absolute_url() == reverse(
        "public:initiative-detail", kwargs={"slug": slug}
    )
    set_script_prefix("/phuong/")
    try:
        assert initiative.get_absolute_url() == f"/phuong/mo-hinh/{slug}/"
    finally:
        set_script_prefix("/")
    assert initiative.get_absolute_url() == f"/mo-hinh/{slug}/"


def test_a_slug_reverse_refuses_is_refused_the_same_way():
    initiative = make_initiative()
    initiative.slug = "đường-hoa"  # not what a SlugField accepts, as reverse() says
    with pytest.raises(NoReverseMatch):
        initiative.get_absolute_url()


def test_cards_carry_the_heading_level_of_their_page_and_the_first_public_photo(client):
    shown = make_initiative("Có ảnh", slug="co-anh", featured=True)
    hidden = make_photo(shown, alt_text="Người chưa đồng ý", shows_identifiable_people=True)
    photo = make_photo(shown, alt_text="Chậu hoa")
    make_initiative("Không ảnh", slug="khong-anh")

    for url, level in (("/", 3), (LIST, 2)):
        html = client.get(url).content.decode()
        assert f'<h{level} class="card-title"><a href="/mo-hinh/co-anh/">Có ảnh</a></h{level}>' in (
            html
        )
        assert f'<h{level} class="card-title"><a href="/mo-hinh/khong-anh/">' in html
        images = re.findall(r'<img class="card-image" src="([^"]*)" alt="([^"]*)"', html)
        assert images == [(photo.thumbnail_url, "Chậu hoa")]
        assert hidden.alt_text not in html


def test_the_home_figures_follow_the_data_with_one_statement_each_time():
    from campaigns.review_choices import RecognitionStatus
    from tests.campaigns.factories_reviews import make_recognition
    from wardmodels.public.queries import public_overview

    assert public_overview() == {"models": 0, "exemplars": 0, "fields": 0, "recognised": 0}
    first = make_initiative(field=make_field("Du lịch", parent=make_field("Kinh tế")))
    make_initiative(kind="exemplar", field=make_field("Giáo dục"))
    make_initiative(published=False)
    for _ in range(2):  # the ORM's statements the first time, the kept ones after
        with CaptureQueriesContext(connection) as ctx:
            figures = public_overview()
        assert figures == {"models": 1, "exemplars": 1, "fields": 2, "recognised": 0}
        assert len(ctx.captured_queries) == 3
    make_recognition(first, status=RecognitionStatus.PUBLISHED)
    assert public_overview()["recognised"] == 1


def test_a_read_of_more_than_one_statement_is_never_kept():
    from registry.constant_sql import _STATEMENTS, constant_rows

    make_area("Khu phố A")

    def two_statements():
        return [(ResidentialArea.objects.count(), Field.objects.count())]

    assert constant_rows("test-two", "default", two_statements) == [(1, 0)]
    assert ("test-two", "default") not in _STATEMENTS
    make_field()
    assert constant_rows("test-two", "default", two_statements) == [(1, 1)]
