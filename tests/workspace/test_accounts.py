"""Login and logout look like the site and say what happened."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_login_page_explains_why_and_returns_to_the_workspace(client, official):
    response = client.get(reverse("workspace:dashboard"), follow=True)
    html = response.content.decode()
    assert "Hãy đăng nhập để tiếp tục." in html
    assert 'for="id_username"' in html and 'for="id_password"' in html
    response = client.post(
        reverse("login"),
        {"username": "canbo", "password": "pw", "next": reverse("workspace:dashboard")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("workspace:dashboard")
    assert "Việc cần làm" in response.content.decode()


def test_a_wrong_password_is_explained_in_vietnamese(client, official):
    response = client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    assert "mật khẩu chính xác" in response.content.decode()


def test_logging_out_says_so(official_client):
    response = official_client.post(reverse("logout"), follow=True)
    assert "Bạn đã đăng xuất" in response.content.decode()
    assert official_client.get(reverse("workspace:dashboard")).status_code == 302
