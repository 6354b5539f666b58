"""Error pages in production: the site's own, in Vietnamese, without debug information."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from wardmodels.urls import urlpatterns as project_urlpatterns


def _boom(request):
    raise ZeroDivisionError("bí mật: chi tiết nội bộ")


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("dữ liệu lạ")


# A test-only URLconf: the project's URLs never include views that fail on purpose.
urlpatterns = [
    path("thu-loi/500/", _boom),
    path("thu-loi/403/", _forbidden),
    path("thu-loi/400/", _suspicious),
    *project_urlpatterns,
]

DEBUG_MARKERS = ("Traceback", "ZeroDivisionError", "bí mật", "DEBUG = True", "settings.py")

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture
def quiet_client(client):
    client.raise_request_exception = False
    return client


def _assert_no_debug_information(response):
    page = response.content.decode()
    for marker in DEBUG_MARKERS:
        assert marker not in page, marker


def test_debug_is_off_when_running_the_suite(settings):
    assert settings.DEBUG is False


def test_a_server_error_shows_the_sites_500_page(quiet_client):
    response = quiet_client.get("/thu-loi/500/")
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in response.content.decode()
    assert "css/site.css" in response.content.decode()
    _assert_no_debug_information(response)


def test_a_missing_page_shows_the_sites_404_page(quiet_client):
    response = quiet_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert 'class="site-header"' in page
    _assert_no_debug_information(response)


def test_a_refusal_shows_the_sites_403_page(quiet_client):
    response = quiet_client.get("/thu-loi/403/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
    _assert_no_debug_information(response)


def test_a_suspicious_request_shows_the_sites_400_page(quiet_client):
    response = quiet_client.get("/thu-loi/400/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert "dữ liệu lạ" not in response.content.decode()


def test_an_unknown_host_gets_the_400_page(quiet_client):
    response = quiet_client.get("/", HTTP_HOST="ke-gia-mao.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert "ALLOWED_HOSTS" not in response.content.decode()


def test_a_form_without_csrf_token_shows_the_sites_csrf_page():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "a", "password": "b"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Phiên làm việc đã hết hạn" in page
    assert "tải lại trang" in page
    assert "CSRF_TRUSTED_ORIGINS" not in page
