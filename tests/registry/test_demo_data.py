"""The demo data is the article: its figures, and none that it does not give."""

import pytest
from django.core.management import call_command

from registry.models import AdminUnit, Field, Initiative, LegalDocument, Organization

pytestmark = pytest.mark.django_db

# The facts below are quoted from the source of the demo data, the news article "Phong trào thi
# đua “Dân vận khéo” tại phường Trường Sơn" (April 2023). The article is not part of this
# repository, so the test keeps what the demo must match as expected values.
SIX_MODELS = [
    "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
    "Tổ tiết kiệm hỗ trợ hội viên nông dân khó khăn",
    "Vận động Nhân dân xây dựng chợ đảm bảo an toàn thực phẩm",
    "Đường điện thắp sáng khu dân cư",
    "Ngôi nhà trí tuệ",
    "Cụm dân cư kiểu mẫu",
]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _counts():
    return [m.objects.count() for m in (AdminUnit, Field, Organization, LegalDocument, Initiative)]


def test_loading_twice_duplicates_nothing(demo):
    before = _counts()
    call_command("load_demo", verbosity=0)
    assert _counts() == before


def test_the_six_models_named_by_the_article_are_public(demo):
    assert sorted(Initiative.objects.public().values_list("title", flat=True)) == sorted(SIX_MODELS)


def test_the_demo_holds_only_the_models_the_article_names(demo):
    assert sorted(Initiative.objects.values_list("title", flat=True)) == sorted(SIX_MODELS)


def test_the_le_loi_contributions_are_the_article_310_million_dong(demo, client):
    le_loi = Initiative.objects.get(slug="dam-bao-my-quan-do-thi-duong-hoa-le-loi")
    assert list(le_loi.donations.values_list("amount", flat=True)) == [310_000_000]
    assert not le_loi.expenses.exists() and not le_loi.pledges.exists()
    assert "310.000.000\u00a0₫" in client.get(le_loi.get_absolute_url()).content.decode()


def test_the_le_loi_street_carries_the_article_figures(demo, client):
    le_loi = Initiative.objects.get(slug="dam-bao-my-quan-do-thi-duong-hoa-le-loi")
    figures = {i.unit: i.actual for i in le_loi.indicators.all()}
    assert figures == {"chậu": 310, "km": 2}
    assert all(i.target is None for i in le_loi.indicators.all()), "the article gives no targets"
    assert (
        "Hồ Xuân Hương" in le_loi.location
        and "Lý Tự Trọng" in le_loi.location
        and "Bình Hòa" in le_loi.location
    )
    assert [c.text for c in le_loi.commitments.all()] == [
        "Chấp hành tốt mỹ quan đô thị đường phố",
        "Không lấn chiếm hành lang vỉa hè",
        "Đổ rác đúng giờ, đúng nơi quy định",
    ]
    assert le_loi.legal_basis.get().number == "239-KH/TU"
    html = client.get(le_loi.get_absolute_url()).content.decode()
    assert ">310<" in html and "Phường Trường Sơn (nay thuộc Phường Sầm Sơn)" in html


def test_no_invented_dates_or_targets(demo):
    assert not Initiative.objects.exclude(started_on=None).exists()
    assert not Initiative.objects.exclude(funding_target=None).exists()


def test_no_invented_milestones_or_progress(demo):
    """The article dates no step of any model and gives no percentage: no timeline, no bar."""
    from registry.models import Milestone

    assert not Milestone.objects.exists()
    assert not Initiative.objects.exclude(progress=None).exists()


def test_truong_son_is_succeeded_by_sam_son_on_1_july_2025(demo):
    truong_son = AdminUnit.objects.get(name="Trường Sơn")
    assert truong_son.successor.name == "Sầm Sơn"
    assert str(truong_son.valid_to) == "2025-06-30"
    assert str(truong_son.successor.valid_from) == "2025-07-01"


def test_the_search_finds_demo_models_without_diacritics(demo, client):
    response = client.get("/mo-hinh/", {"q": "duong hoa le loi"})
    assert [i.title for i in response.context["initiatives"]] == [SIX_MODELS[0]]
