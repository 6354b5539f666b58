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


def _fail_as_many_users(client, count, ip="203.0.113.7"):
    return [_login(client, f"khong-co-{n}", "sai-mat-khau", ip) for n in range(count)]


def test_many_user_names_from_one_address_lock_that_address(client, canbo, settings):
    """One failure each for many user names is throttled per address, at its own limit."""
    limit = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    responses = _fail_as_many_users(client, limit)
    assert all(r.status_code == 200 for r in responses[:-1])
    locked = responses[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_TEXT in page
    assert "từ địa chỉ của bạn" in page
    assert f"{limit} lần" in page
    # Even a real user with the right password is refused from that address…
    again = _login(client, "canbo", "mat-khau-dung-1")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    # …but not from another one.
    elsewhere = _login(client, "canbo", "mat-khau-dung-1", ip="198.51.100.20")
    assert elsewhere.status_code == 302


def test_failures_below_the_address_limit_lock_no_one_else(client, canbo, settings):
    _fail_as_many_users(client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS - 1)
    response = _login(client, "canbo", "mat-khau-dung-1")
    assert response.status_code == 302


def test_the_address_limit_is_higher_than_the_user_limit(settings):
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS > settings.AXES_FAILURE_LIMIT


def test_the_reset_ip_command_unlocks_an_address(client, canbo, settings):
    _fail_as_many_users(client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS)
    call_command("axes_reset_ip", "203.0.113.7")
    assert _login(client, "canbo", "mat-khau-dung-1").status_code == 302


def test_ipv6_clients_are_counted_by_their_64_network(client, canbo):
    """Every address of one /64 is one client: a phone or home network holds the whole /64."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "canbo", "sai-mat-khau", ip=f"2001:db8:1:2::{n + 1:x}")
    attempt = AccessAttempt.objects.get(username="canbo")
    assert attempt.ip_address == "2001:db8:1:2::"
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    locked = _login(client, "canbo", "mat-khau-dung-1", ip="2001:db8:1:2:abcd:ef01:2345:6789")
    assert locked.status_code == 429
    # The next /64 is another client.
    assert _login(client, "canbo", "mat-khau-dung-1", ip="2001:db8:1:3::1").status_code == 302


def test_the_client_address_keeps_ipv4_and_folds_ipv6_to_its_64(rf, settings):
    from wardmodels.security import client_ip

    cases = {
        "203.0.113.7": "203.0.113.7",
        "::ffff:203.0.113.7": "203.0.113.7",
        "2001:db8:1:2:3:4:5:6": "2001:db8:1:2::",
        "2001:DB8:0:0::1": "2001:db8::",
    }
    for remote, expected in cases.items():
        assert client_ip(rf.get("/", REMOTE_ADDR=remote)) == expected
