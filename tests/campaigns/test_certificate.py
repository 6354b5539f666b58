import re

import pytest
from django.urls import reverse

from campaigns.review_choices import CommendationForm
from campaigns.review_choices import CommendationStatus as C
from tests import factories
from tests.campaigns import factories_reviews as f

pytestmark = pytest.mark.django_db


def _url(commendation):
    return reverse("workspace:certificate", args=[commendation.pk])


@pytest.mark.parametrize("status", [C.DECIDED, C.ISSUED])
def test_the_certificate_has_the_administrative_layout(official_client, status, settings):
    settings.WARD_NAME = "Phường Sầm Sơn"
    commendation = f.make_commendation(
        status=status,
        recipient_name="Nhân dân và doanh nghiệp tuyến đường Lê Lợi",
        decision_number="215/QĐ-UBND",
        signer_name="Nguyễn Văn A",
    )
    response = official_client.get(_url(commendation))
    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG SẦM SƠN",
        "GIẤY KHEN",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG SẦM SƠN",
        "Nhân dân và doanh nghiệp tuyến đường Lê Lợi",
        "Đã có thành tích xuất sắc trong phong trào thi đua",
        "Số: 215/QĐ-UBND",
        "Quyết định số 215/QĐ-UBND ngày 20/12/2023",
        "Sầm Sơn, ngày 20 tháng 12 năm 2023",
        "CHỦ TỊCH",
        "Nguyễn Văn A",
        "css/print-certificate.css",
    ]:
        assert text in body, text


def test_the_certificate_has_no_inline_style_or_script(official_client):
    body = official_client.get(_url(f.make_commendation(status=C.DECIDED))).content.decode()
    assert "style=" not in body
    assert "<style" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)


def test_a_party_certificate_has_the_party_heading(official_client):
    commendation = f.make_commendation(
        status=C.DECIDED, form=CommendationForm.WARD_PARTY_CERTIFICATE
    )
    body = official_client.get(_url(commendation)).content.decode()
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in body
    assert "T/M ĐẢNG ỦY" in body
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in body


@pytest.mark.parametrize("status", [C.DRAFT, C.SUBMITTED, C.REJECTED, C.REVOKED])
def test_there_is_no_certificate_before_a_decision_or_after_revocation(official_client, status):
    assert official_client.get(_url(f.make_commendation(status=status))).status_code == 404


def test_public_praise_has_no_certificate(official_client):
    commendation = f.make_commendation(status=C.ISSUED, form=CommendationForm.PUBLIC_PRAISE)
    assert official_client.get(_url(commendation)).status_code == 404


def test_the_certificate_is_for_staff_only(client):
    commendation = f.make_commendation(status=C.ISSUED)
    response = client.get(_url(commendation))
    assert response.status_code == 302
    client.force_login(factories.make_user())
    assert client.get(_url(commendation)).status_code == 403
