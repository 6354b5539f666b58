"""The private tracking token leaves the address after the first visit: it moves into a
cookie scoped to the item's page, so that it stays out of history, Referer and access logs."""

import pytest
from django.urls import reverse

from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback
from wardmodels import formclock

pytestmark = pytest.mark.django_db


def _cookie(feedback):
    return f"feedback_token_{feedback.code}"


def _link(feedback, token=None):
    return reverse("public:feedback-track", args=[feedback.code]) + f"?t={token or feedback.token}"


def test_the_first_visit_moves_the_token_into_a_cookie_and_drops_it_from_the_address(client):
    feedback = make_feedback()
    path = reverse("public:feedback-track", args=[feedback.code])
    response = client.get(_link(feedback))
    assert response.status_code == 302
    assert response["Location"] == path
    cookie = response.cookies[_cookie(feedback)]
    assert cookie.value == feedback.token
    assert cookie["path"] == path
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain http here; see the HTTPS test
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert feedback.code in body and feedback.text in body


def test_over_https_the_cookie_is_secure(client):
    feedback = make_feedback()
    response = client.get(_link(feedback), secure=True)
    assert response.cookies[_cookie(feedback)]["secure"]


def test_a_wrong_token_sets_no_cookie_and_is_a_404(client):
    feedback = make_feedback()
    response = client.get(_link(feedback, token="sai-ma"))
    assert response.status_code == 404
    assert _cookie(feedback) not in response.cookies


def test_without_the_cookie_or_with_another_items_cookie_the_page_is_a_404(client):
    mine, other = make_feedback(), make_feedback()
    path = reverse("public:feedback-track", args=[mine.code])
    assert client.get(path).status_code == 404
    client.cookies[_cookie(mine)] = other.token
    assert client.get(path).status_code == 404


def test_other_parameters_survive_the_redirect_but_not_the_old_sent_flag(client):
    feedback = make_feedback()
    response = client.get(_link(feedback) + "&gui=1&utm_source=zalo")
    page = reverse("public:feedback-track", args=[feedback.code])
    assert response["Location"] == page + "?utm_source=zalo"


def test_after_sending_the_resident_lands_on_the_page_without_the_token_and_sees_the_link(client):
    initiative = factories.make_initiative()
    response = client.post(
        reverse("public:feedback-submit", args=[initiative.slug]),
        {
            "kind": "question",
            "text": "Xin hỏi phường khi nào trồng thêm chậu hoa giấy gần cầu Bình Hòa?",
            "website": "",
            "form_started": formclock.stamp(),
        },
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gop-y/{feedback.code}/"
    token = response.cookies[_cookie(feedback)].value
    page = client.get(response["Location"]).content.decode()
    # The private link, to open the page elsewhere, is shown (in the page, not the address).
    assert f"http://testserver/gop-y/{feedback.code}/?t={token}" in page
    assert "Hãy lưu đường dẫn này" in page


def test_the_rating_works_from_the_cookie(client, official):
    feedback = make_answered(by=official)
    client.get(_link(feedback))
    rate = reverse("public:feedback-rate", args=[feedback.code])
    response = client.post(rate, {"rating": "4"})
    assert response.status_code == 302
    assert "t=" not in response["Location"]
    feedback.refresh_from_db()
    assert feedback.rating == 4
