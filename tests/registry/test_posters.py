"""The A4 QR poster of a model and its QR code downloads."""

import datetime as dt
import io
import re

import pytest
import segno
import zxingcpp
from django.urls import reverse
from django.utils import formats, timezone, translation
from PIL import Image

from registry import workflow
from registry.choices import InitiativeStatus
from registry.models import Indicator, Initiative, Milestone
from tests import factories
from tests.queries import assert_constant_queries
from wardmodels.public import qr

pytestmark = pytest.mark.django_db


def _poster(slug):
    return reverse("public:initiative-poster", kwargs={"slug": slug})


def _lelo(**kwargs):
    initiative = factories.make_initiative(
        "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi",
        summary="Trồng 310 chậu hoa giấy dọc 2 km đường Lê Lợi. Hộ dân cam kết giữ vỉa hè.",
        **kwargs,
    )
    for n, (label, target, actual, unit) in enumerate(
        [
            ("Chậu hoa giấy", 310, 310, "chậu"),
            ("Chiều dài tuyến", 2, 2, "km"),
            ("Hộ cam kết", 120, 118, "hộ"),
            ("Chỉ tiêu thứ tư", 1, 1, "lần"),
        ]
    ):
        Indicator.objects.create(
            initiative=initiative, label=label, target=target, actual=actual, unit=unit, order=n
        )
    return initiative


def test_the_poster_shows_the_ward_title_purpose_three_indicators_and_the_qr(client):
    initiative = _lelo()
    response = client.get(_poster(initiative.slug))
    assert response.status_code == 200
    text = response.content.decode()
    initiative.refresh_from_db()
    assert "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi" in text
    assert "PHƯỜNG SẦM SƠN" in text
    # One sentence of purpose: the first of the summary.
    assert "Trồng 310 chậu hoa giấy dọc 2 km đường Lê Lợi." in text
    assert "Hộ dân cam kết" not in text
    assert "Chậu hoa giấy" in text and "Hộ cam kết" in text
    assert "Chỉ tiêu thứ tư" not in text  # at most three
    assert "Quét để xem tiến độ, gửi góp ý" in text
    assert f"testserver/q/{initiative.short_code}" in text
    assert "Chưa có ảnh" in text  # the placeholder
    assert "chưa có mốc tiến độ" in text  # no milestone published yet: said, not dated
    assert "BẢN NHÁP" not in text
    assert '<svg role="img"' in text and 'class="qr"' in text


def test_the_poster_shows_the_first_public_photo(client):
    initiative = _lelo()
    photo = factories.make_photo(initiative, alt_text="Hàng hoa giấy trước cổng chợ")
    text = client.get(_poster(initiative.slug)).content.decode()
    assert photo.image.url in text and "Hàng hoa giấy trước cổng chợ" in text
    assert "Chưa có ảnh" not in text


def test_a_long_title_is_clipped_for_two_lines():
    initiative = factories.make_initiative("Mô hình " + "rất dài " * 30, slug="mo-hinh-rat-dai")
    from django.test import Client

    text = Client().get(_poster(initiative.slug)).content.decode()
    heading = re.search(r'<h1 class="poster-title" id="poster-title">(.*?)</h1>', text).group(1)
    assert len(heading) <= 110 and heading.endswith("…")


def test_the_qr_on_the_poster_is_the_short_link_with_error_correction_q(client):
    initiative = _lelo()
    text = client.get(_poster(initiative.slug)).content.decode()
    initiative.refresh_from_db()
    url = f"http://testserver/q/{initiative.short_code}"
    code = qr.make(url)
    assert code.error == "Q"
    expected = segno.make(url, error="q", boost_error=False).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None
    )
    # The same symbol, module for module: its path data is on the page.
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert path in text


def test_the_png_download_is_at_least_2000_pixels_and_the_svg_is_an_svg(client):
    initiative = _lelo()
    png = client.get(
        reverse("public:initiative-qr", kwargs={"slug": initiative.slug, "fmt": "png"})
    )
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert "attachment" in png["Content-Disposition"]
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] >= 2000 and image.size[0] == image.size[1]
    # Read back by an independent decoder (ZXing), as a phone's camera would read the print.
    initiative.refresh_from_db()
    (decoded,) = zxingcpp.read_barcodes(image.convert("L"))
    assert decoded.format == zxingcpp.BarcodeFormat.QRCode
    assert decoded.text == f"http://testserver/q/{initiative.short_code}"
    assert decoded.ec_level == "Q"
    svg = client.get(
        reverse("public:initiative-qr", kwargs={"slug": initiative.slug, "fmt": "svg"})
    )
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    body = svg.content.decode()
    initiative.refresh_from_db()
    assert body.startswith("<?xml") and "<svg" in body
    assert f"/q/{initiative.short_code}" in body


@pytest.mark.parametrize("fmt", ["jpg", "SVG", "pdf", "svg.exe"])
def test_an_unknown_qr_format_is_a_clear_404(client, fmt):
    initiative = _lelo()
    response = client.get(f"/mo-hinh/{initiative.slug}/qr.{fmt}")
    assert response.status_code == 404
    assert ".svg và .png" in response.content.decode()


def test_a_draft_poster_is_404_for_residents_and_marked_for_officials(client, official):
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    assert client.get(_poster(draft.slug)).status_code == 404
    qr_url = reverse("public:initiative-qr", kwargs={"slug": draft.slug, "fmt": "png"})
    assert client.get(qr_url).status_code == 404
    assert Initiative.objects.get(pk=draft.pk).short_code is None  # nothing given to a stranger
    client.force_login(official)
    response = client.get(_poster(draft.slug))
    assert response.status_code == 200
    assert "BẢN NHÁP" in response.content.decode()
    assert Initiative.objects.get(pk=draft.pk).short_code


def test_a_logged_in_user_without_the_permission_gets_no_draft_poster(client):
    draft = factories.make_initiative(status=InitiativeStatus.DRAFT, published=False)
    client.force_login(factories.make_user("nguoidan"))
    assert client.get(_poster(draft.slug)).status_code == 404


def test_an_unknown_slug_is_404(client):
    assert client.get(_poster("khong-co-mo-hinh-nay")).status_code == 404


def test_the_poster_costs_the_same_queries_with_one_or_many_indicators_and_photos(client):
    initiative = _lelo()

    def grow():
        for n in range(3):
            factories.make_photo(initiative)
            Indicator.objects.create(initiative=initiative, label=f"Thêm {n}", order=10 + n)

    assert_constant_queries(lambda: client.get(_poster(initiative.slug)), grow)


def test_the_model_page_links_its_poster_and_the_notice_of_its_month_with_money(client):
    """The notice linked is the month's with a ledger entry, not an empty current month
    (tests/campaigns/test_notice_months.py has the rest)."""
    from datetime import date

    from tests.campaigns.factories import make_donation

    initiative = _lelo()
    make_donation(initiative=initiative, received_on=date(2023, 4, 2))
    text = client.get(initiative.get_absolute_url()).content.decode()
    assert _poster(initiative.slug) in text
    notice = reverse(
        "public:initiative-notice", kwargs={"slug": initiative.slug, "year": 2023, "month": 4}
    )
    assert notice in text
    assert "Thu, chi kinh phí Nhân dân đóng góp tháng 4/2023" in client.get(notice).content.decode()


# --- the progress bar -------------------------------------------------------------------------


def _short_date(day) -> str:
    with translation.override("vi"):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_the_poster_shows_the_progress_and_the_day_of_the_last_published_milestone(client):
    initiative = _lelo()
    editor = factories.make_user("bientap-poster", is_superuser=True)
    factories.make_published_milestone(initiative, occurred_on=dt.date(2023, 3, 1))
    # The figure entered by an official; the automatic milestone it drafts is then published.
    workflow.initiative_results_update(initiative=initiative, by=editor, progress_entered=62)
    auto = Milestone.objects.get(initiative=initiative, status="draft")
    workflow.milestone_publish(milestone=auto, by=editor)
    # A later draft and a withdrawn milestone do not count as the last update.
    factories.make_milestone(initiative, occurred_on=timezone.localdate())
    initiative.refresh_from_db()
    assert (initiative.progress, initiative.progress_updated_on) == (62, auto.occurred_on)

    text = client.get(_poster(initiative.slug)).content.decode()
    bar = re.search(r'<div class="poster-progress">(.*?)</div>\s*</div>', text, re.S).group(1)
    assert '<progress class="progress-bar" max="100" value="62"' in bar
    assert "Tiến độ 62%" in bar  # the percent as text: a photocopy loses no figure
    assert f"cập nhật {_short_date(auto.occurred_on)}" in bar
    assert "Chưa có số liệu tiến độ" not in text


def test_the_poster_dates_the_progress_by_the_milestone_not_by_the_last_edit(client):
    initiative = _lelo()
    factories.make_published_milestone(initiative, occurred_on=dt.date(2023, 4, 10))
    Initiative.objects.filter(pk=initiative.pk).update(progress=40)
    initiative.refresh_from_db()
    initiative.title = "Đảm bảo mỹ quan đô thị đường hoa Lê Lợi (sửa)"
    initiative.save()  # an edit today: the poster still dates the progress by its milestone
    text = client.get(_poster(initiative.slug)).content.decode()
    assert "Tiến độ 40%" in text
    assert f"cập nhật {_short_date(dt.date(2023, 4, 10))}" in text
    assert f"cập nhật {_short_date(timezone.localdate())}" not in text


def test_a_model_without_a_progress_figure_says_so_plainly_on_its_poster(client):
    initiative = factories.make_initiative("Mô hình chưa có chỉ tiêu", slug="chua-co-chi-tieu")
    assert initiative.progress is None
    text = client.get(_poster(initiative.slug)).content.decode()
    assert "Chưa có số liệu tiến độ" in text
    assert "chưa có mốc tiến độ" in text
    assert "<progress" not in text
    assert not re.search(r"Tiến độ \d+%", text)  # no figure, not even 0 %


def test_a_withdrawn_milestone_no_longer_dates_the_poster(client):
    initiative = _lelo()
    milestone = factories.make_published_milestone(initiative, occurred_on=dt.date(2023, 4, 10))
    workflow.milestone_withdraw(
        milestone=milestone,
        by=factories.make_user("rutlai", is_superuser=True),
        reason="Ghi nhầm mô hình",
    )
    text = client.get(_poster(initiative.slug)).content.decode()
    assert f"cập nhật {_short_date(dt.date(2023, 4, 10))}" not in text
    assert "chưa có mốc tiến độ" in text
