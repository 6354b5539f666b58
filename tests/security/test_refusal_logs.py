"""A refused request is one line in the log, without a traceback; a server error keeps it."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path

from tests import factories
from wardmodels.urls import urlpatterns as project_urlpatterns


def _forbidden(request):
    raise PermissionDenied("chỉ cán bộ phường")


def _boom(request):
    raise ZeroDivisionError("lỗi thật")


urlpatterns = [
    path("thu-loi/403/", _forbidden),
    path("thu-loi/500/", _boom),
    *project_urlpatterns,
]

pytestmark = pytest.mark.django_db


def _lines(caplog) -> list[str]:
    """What the log's handler writes: every record formatted, tracebacks included."""
    formatter = logging.Formatter("%(levelname)s %(name)s %(message)s")
    return [line for record in caplog.records for line in formatter.format(record).splitlines()]


@pytest.mark.urls(__name__)
def test_a_permission_denied_logs_one_line_without_a_traceback(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/thu-loi/403/")
    assert response.status_code == 403
    assert _lines(caplog) == ["WARNING django.request Forbidden (Permission denied): /thu-loi/403/"]


def test_a_workspace_page_refused_to_a_resident_logs_one_line(client, caplog):
    client.force_login(factories.make_user("nguoidan"))
    caplog.clear()  # the sign-in's own INFO line is not the refusal's
    with caplog.at_level(logging.WARNING):
        response = client.get("/quan-ly/")
    assert response.status_code == 403
    assert _lines(caplog) == ["WARNING django.request Forbidden (Permission denied): /quan-ly/"]


def test_a_csrf_failure_logs_one_line_without_a_traceback(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    [line] = _lines(caplog)
    assert line.startswith("WARNING django.security.csrf Forbidden (CSRF cookie not set.)")


def test_a_bad_request_logs_one_line(client, caplog):
    with caplog.at_level(logging.WARNING):
        response = client.get("/", HTTP_HOST="ke-gia-mao.example")
    assert response.status_code == 400
    [line] = _lines(caplog)
    assert line.startswith("ERROR django.security.DisallowedHost Invalid HTTP_HOST header")


@pytest.mark.urls(__name__)
def test_a_server_error_still_logs_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        response = client.get("/thu-loi/500/")
    assert response.status_code == 500
    text = "\n".join(_lines(caplog))
    assert "Traceback (most recent call last)" in text and "ZeroDivisionError: lỗi thật" in text
