"""The public timeline (/mo-hinh/<slug>/tien-do/), the progress on the cards and the model
page, and the public list's filters by progress band and by "no update for 90 days"."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from registry import workflow
from registry.choices import InitiativeStatus as S
from registry.models import Initiative
from tests.factories import (
    make_initiative,
    make_milestone,
    make_official,
    make_published_milestone,
)
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


def _timeline_url(initiative) -> str:
    return reverse("public:initiative-timeline", kwargs={"slug": initiative.slug})


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _progress(initiative, value, *, updated_on=None):
    Initiative.objects.filter(pk=initiative.pk).update(
        progress=value, progress_updated_on=updated_on
    )


def test_the_timeline_shows_published_milestones_newest_first(client):
    initiative = make_initiative("Đường hoa Lê Lợi")
    make_published_milestone(
        initiative, title="Khởi công tuyến đường hoa", occurred_on=dt.date(2023, 1, 15)
    )
    make_published_milestone(
        initiative,
        title="Trồng xong 310 chậu hoa giấy",
        occurred_on=dt.date(2023, 4, 1),
        progress_before=60,
        progress_after=100,
        body="Các hộ dân dọc tuyến cùng chăm sóc.",
    )
    make_milestone(initiative, title="Dự thảo chưa công bố")
    html = _html(client, _timeline_url(initiative))
    assert html.index("Trồng xong 310 chậu hoa giấy") < html.index("Khởi công tuyến đường hoa")
    assert "60% → 100%" in html
    assert "Các hộ dân dọc tuyến cùng chăm sóc." in html
    assert "Dự thảo chưa công bố" not in html
    assert "Tiến độ: Đường hoa Lê Lợi" in html


def test_before_and_after_photos_show_side_by_side_with_their_role_and_alt_text(client):
    initiative = make_initiative()
    milestone = make_published_milestone(initiative, photos=("after", "before"))
    html = _html(client, _timeline_url(initiative))
    photos = html.split('class="milestone-photos"', 1)[1].split("</ul>", 1)[0]
    assert photos.index("Trước") < photos.index("Sau"), "before comes first"
    for photo in milestone.photos.all():
        assert f'alt="{photo.alt_text}"' in photos
        assert photo.thumbnail.url in photos


def test_a_photo_of_identifiable_people_without_consent_is_not_shown(client, official):
    initiative = make_initiative()
    milestone = make_published_milestone(initiative, photos=("before",))
    milestone.photos.update(shows_identifiable_people=True, people_consented=False)
    html = _html(client, _timeline_url(initiative))
    assert "milestone-photos" not in html


def test_a_withdrawn_milestone_leaves_a_line_with_its_reason(client, official):
    initiative = make_initiative()
    milestone = make_published_milestone(initiative, title="Số liệu nhầm", body="Nội dung sai")
    workflow.milestone_withdraw(milestone=milestone, by=official, reason="Ghi nhầm mô hình")
    html = _html(client, _timeline_url(initiative))
    assert "Số liệu nhầm" in html
    assert "Lý do: Ghi nhầm mô hình" in html
    assert "Nội dung sai" not in html


def test_a_withdrawn_draft_never_shows(client, official):
    initiative = make_initiative()
    draft = make_milestone(initiative, title="Dự thảo bỏ đi")
    workflow.milestone_withdraw(milestone=draft, by=official, reason="Trùng")
    assert "Dự thảo bỏ đi" not in _html(client, _timeline_url(initiative))


def test_a_corrected_milestone_is_marked_and_links_to_its_correction(client, official):
    initiative = make_initiative()
    wrong = make_published_milestone(initiative, title="Trồng 300 chậu")
    correction = workflow.milestone_supersede(milestone=wrong, by=official, title="Trồng 310 chậu")
    html = _html(client, _timeline_url(initiative))
    assert "Mốc này đã được đính chính" not in html, "not before the correction is published"
    workflow.milestone_publish(milestone=correction, by=official)
    html = _html(client, _timeline_url(initiative))
    assert "Mốc này đã được đính chính" in html
    assert f'href="#moc-{correction.pk}"' in html
    assert f'href="#moc-{wrong.pk}"' in html  # "Đính chính cho …"
    assert "Trồng 300 chậu" in html  # the old one stays readable


def test_the_timeline_of_a_model_residents_cannot_see_is_404(client):
    draft = make_initiative(status=S.DRAFT, published=False)
    hidden = make_initiative(published=False)
    assert client.get(_timeline_url(draft)).status_code == 404
    assert client.get(_timeline_url(hidden)).status_code == 404
    assert client.get("/mo-hinh/khong-co/tien-do/").status_code == 404


def test_the_timeline_is_printable_and_says_when_empty(client):
    initiative = make_initiative()
    html = _html(client, _timeline_url(initiative))
    assert "Chưa có mốc tiến độ nào được công bố." in html
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text(encoding="utf-8")
    assert ".milestone { break-inside: avoid;" in css


def test_the_model_page_shows_the_progress_and_links_to_the_timeline(client):
    initiative = make_initiative()
    _progress(initiative, 65, updated_on=dt.date(2023, 4, 1))
    html = _html(client, initiative.get_absolute_url())
    assert 'value="65"' in html and "Tiến độ 65%" in html
    assert "cập nhật 01/04/2023" in html
    assert f'href="{_timeline_url(initiative)}"' in html


def test_the_timeline_costs_the_same_queries_with_one_or_many_milestones(client):
    initiative = make_initiative()
    make_published_milestone(initiative, photos=("before",))

    def grow():
        for n in range(3):
            milestone = make_published_milestone(initiative, photos=("before", "after"))
            workflow.milestone_supersede(milestone=milestone, by=make_official(f"sua{n}"))
        make_published_milestone(initiative)

    html = assert_constant_queries(lambda: _html(client, _timeline_url(initiative)), grow)
    assert html.count('class="milestone') >= 5


# --- the public list ---------------------------------------------------------------------------


def test_cards_show_the_progress_bar_and_the_last_update(client):
    initiative = make_initiative("Ngôi nhà trí tuệ")
    _progress(initiative, 40, updated_on=dt.date(2023, 3, 5))
    make_initiative("Chợ an toàn thực phẩm")
    html = _html(client, reverse("public:initiative-list"))
    card = html.split("Ngôi nhà trí tuệ", 1)[1].split("</article>", 1)[0]
    assert 'value="40"' in card and "cập nhật 05/03/2023" in card
    other = html.split("Chợ an toàn thực phẩm", 1)[1].split("</article>", 1)[0]
    assert "Chưa có số liệu tiến độ" in other


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("0-24", {"mười"}),
        ("25-49", {"bốn mươi"}),
        ("50-74", set()),
        ("75-99", {"chín mươi chín"}),
        ("100", {"một trăm"}),
        ("none", {"chưa có"}),
    ],
)
def test_the_list_filters_by_progress_band(client, band, expected):
    for title, value in [
        ("mười", 10),
        ("bốn mươi", 40),
        ("chín mươi chín", 99),
        ("một trăm", 100),
        ("chưa có", None),
    ]:
        _progress(make_initiative(f"Mô hình {title}"), value)
    response = client.get(reverse("public:initiative-list"), {"progress": band})
    titles = {i.title.removeprefix("Mô hình ") for i in response.context["initiatives"]}
    assert titles == expected
    assert f'value="{band}" selected' in response.content.decode()


def test_the_list_filters_models_without_an_update_for_90_days(client):
    today = timezone.localdate()
    _progress(make_initiative("Mô hình mới cập nhật"), 50, updated_on=today)
    _progress(
        make_initiative("Mô hình cập nhật 89 ngày trước"),
        50,
        updated_on=today - dt.timedelta(days=89),
    )
    _progress(
        make_initiative("Mô hình cập nhật 91 ngày trước"),
        50,
        updated_on=today - dt.timedelta(days=91),
    )
    make_initiative("Mô hình chưa có mốc nào")
    response = client.get(reverse("public:initiative-list"), {"stale": "1"})
    titles = {i.title for i in response.context["initiatives"]}
    assert titles == {"Mô hình cập nhật 91 ngày trước", "Mô hình chưa có mốc nào"}


def test_a_bad_progress_filter_shows_the_form_error_not_a_server_error(client):
    make_initiative()
    response = client.get(reverse("public:initiative-list"), {"progress": "200", "stale": "x"})
    assert response.status_code == 200
    assert list(response.context["initiatives"]) == []
    assert 'class="field-error"' in response.content.decode()


def test_publishing_a_milestone_updates_the_date_on_the_card(client, official):
    initiative = make_initiative("Cụm dân cư kiểu mẫu")
    make_published_milestone(initiative, occurred_on=dt.date(2023, 4, 2))
    html = _html(client, reverse("public:initiative-list"))
    card = html.split("Cụm dân cư kiểu mẫu", 1)[1].split("</article>", 1)[0]
    assert "cập nhật 02/04/2023" in card


def test_the_filtered_list_costs_the_same_queries_with_more_models(client):
    _progress(make_initiative(), 30, updated_on=dt.date(2023, 1, 1))

    def grow():
        for n in range(3):
            _progress(make_initiative(), 30 + n, updated_on=dt.date(2023, 1, 1))

    url = reverse("public:initiative-list") + "?progress=25-49&stale=1"
    html = assert_constant_queries(lambda: _html(client, url), grow)
    assert html.count('class="card"') == 4


def test_the_timeline_is_served_from_the_page_cache_and_a_new_milestone_shows_at_once(
    settings, django_capture_on_commit_callbacks
):
    """A busy model's timeline (hundreds of milestones) is a heavy page: anonymous visitors
    get it from the page cache, and publishing or withdrawing a milestone shows at once."""
    from django.core.cache import cache
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    initiative = make_initiative()
    make_published_milestone(initiative, title="Họp dân thống nhất chủ trương")
    draft = make_milestone(initiative, title="Lắp đặt 12 bóng đèn chiếu sáng")
    visitor = Client()
    url = _timeline_url(initiative)
    assert visitor.get(url)["X-Page-Cache"] == "miss"
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    from tests.factories import make_user

    official = make_user("congbo-cache", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.milestone_publish(milestone=draft, by=official)
    after = visitor.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "Lắp đặt 12 bóng đèn chiếu sáng" in after.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.milestone_withdraw(milestone=draft, by=official, reason="Đăng nhầm mô hình.")
    assert "Đăng nhầm mô hình." in visitor.get(url).content.decode()
    cache.clear()
