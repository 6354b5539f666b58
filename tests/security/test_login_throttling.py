"""Login throttling (django-axes): per user name and address, a clear page, an admin unlock."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Tạm khóa đăng nhập"


@pytest.fixture
def canbo(db):
    return factories.make_user("canbo", password="mat-khau-dung-1")


def _login(client, username, password, ip="203.0.113.7", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _fail_until_locked(client, username, ip="203.0.113.7"):
    responses = [
        _login(client, username, "sai-mat-khau", ip) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return responses


def test_a_few_wrong_passwords_show_the_login_form_again(client, canbo):
    response = _login(client, "canbo", "sai-mat-khau")
    assert response.status_code == 200
    assert LOCKED_TEXT not in response.content.decode()
    assert AccessAttempt.objects.get(username="canbo").failures_since_start == 1


def test_repeated_failures_lock_the_user_at_that_address_with_a_clear_page(client, canbo):
    responses = _fail_until_locked(client, "canbo")
    assert all(r.status_code == 200 for r in responses[:-1])
    locked = responses[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_TEXT in page
    assert f"sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần" in page
    assert "quản trị viên" in page
    # Even the right password is refused while locked, and no session is opened.
    again = _login(client, "canbo", "mat-khau-dung-1")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_user_at_the_same_address_is_not_locked(client, canbo):
    factories.make_user("danguy", password="mat-khau-khac-2")
    _fail_until_locked(client, "canbo")
    response = _login(client, "danguy", "mat-khau-khac-2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="danguy").pk)


def test_the_same_user_from_another_address_is_not_locked(client, canbo):
    _fail_until_locked(client, "canbo", ip="203.0.113.7")
    response = _login(client, "canbo", "mat-khau-dung-1", ip="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(canbo.pk)


def test_the_reset_command_unlocks_the_user(client, canbo):
    _fail_until_locked(client, "canbo")
    call_command("axes_reset_username", "canbo")
    response = _login(client, "canbo", "mat-khau-dung-1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(canbo.pk)
    assert not AccessAttempt.objects.filter(username="canbo").exists()


def test_an_administrator_sees_and_deletes_the_lockout_in_the_admin(client, canbo, admin_client):
    _fail_until_locked(client, "canbo")
    attempt = AccessAttempt.objects.get(username="canbo")
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "canbo" in listing.content.decode()
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _login(client, "canbo", "mat-khau-dung-1").status_code == 302


def test_the_admin_login_is_throttled_too(client, canbo):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "canbo", "sai-mat-khau", url=url)
    response = _login(client, "canbo", "sai-mat-khau", url=url)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()


def test_a_successful_login_clears_earlier_failures(client, canbo):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "canbo", "sai-mat-khau")
    assert _login(client, "canbo", "mat-khau-dung-1").status_code == 302
    assert not AccessAttempt.objects.filter(username="canbo").exists()


def test_client_login_in_tests_still_works_without_a_request(client, canbo):
    """Code that calls authenticate() without a request is not throttled nor broken."""
    assert client.login(username="canbo", password="mat-khau-dung-1")
    assert not client.login(username="canbo", password="sai-mat-khau")


def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(client, canbo, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "canbo", "password": "sai"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
        )
    attempt = AccessAttempt.objects.get(username="canbo")
    assert attempt.ip_address == "203.0.113.7"
    # Another resident behind the same proxy is not locked out with them.
    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": "mat-khau-dung-1"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302
