"""The public side of feedback: the model's page (cached: the form still works), the tracking
page, the rating, the public list and its filters, and what each page costs in queries."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from participation import workflow
from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback
from tests.queries import assert_constant_queries
from wardmodels import formclock
from wardmodels.public.views.feedback import MODEL_PAGE_FEEDBACK, feedback_list_url

pytestmark = pytest.mark.django_db
STAMP = re.compile(r'name="form_started" value="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_model_page_shows_published_feedback_with_answers_and_nothing_else(client, official):
    initiative = factories.make_initiative(title="Đường hoa Lê Lợi")
    answered = make_answered(initiative, by=official, answer="Phường đã lắp thêm đèn.")
    workflow.feedback_publish(
        feedback=answered, by=official, public_text="Đề nghị lắp đèn (đã che số điện thoại)."
    )
    unpublished = make_feedback(initiative, text="Góp ý chưa công khai về vỉa hè tổ dân phố 5.")
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert "Đề nghị lắp đèn (đã che số điện thoại)." in body
    assert "Phường đã lắp thêm đèn." in body
    assert answered.text not in body  # the resident's unredacted words stay inside
    assert unpublished.text not in body and unpublished.code not in body
    assert "Gửi góp ý cho mô hình này" in body and 'name="website"' in body


def test_a_cached_model_page_hands_out_a_fresh_stamp_and_a_working_token(settings):
    """The model's page is served from the page cache; its form's stamp is the time of this
    visit and its CSRF token this visitor's, so the 3-second rule still holds and the form
    still posts."""
    settings.PAGE_CACHE_SECONDS = 60
    settings.FEEDBACK_MIN_SECONDS = 3
    cache.clear()
    initiative = factories.make_initiative(title="Đường hoa Lê Lợi")
    first = Client().get(initiative.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    stored_stamp = STAMP.search(first.content.decode()).group(1)
    time.sleep(1.1)
    visitor = Client(enforce_csrf_checks=True)
    hit = visitor.get(initiative.get_absolute_url())
    body = hit.content.decode()
    assert hit["X-Page-Cache"] == "hit"
    assert "__PAGECACHE" not in body
    stamp = STAMP.search(body).group(1)
    assert stamp != stored_stamp
    assert 0 <= formclock.seconds_since(stamp) < 1  # handed out now, not when stored
    data = {
        "kind": "praise",
        "text": "Đường hoa rất đẹp, cảm ơn bà con và các doanh nghiệp đã đóng góp.",
        "form_started": stamp,
        "csrfmiddlewaretoken": TOKEN.search(body).group(1),
    }
    url = reverse("public:feedback-submit", args=[initiative.slug])
    too_fast = visitor.post(url, data)
    assert too_fast.status_code == 400 and "Bạn gửi quá nhanh" in too_fast.content.decode()
    # The same visit, three seconds later, goes through with the cached page's token.
    data["form_started"] = signing.dumps(int((time.time() - 4) * 1000), salt=formclock.SALT)
    assert visitor.post(url, data).status_code == 302
    assert Feedback.objects.count() == 1
    cache.clear()


def test_the_tracking_page_needs_the_right_token(client):
    feedback = make_feedback()
    url = reverse("public:feedback-track", args=[feedback.code])
    assert client.get(url).status_code == 404
    assert client.get(url, {"t": "x" * 32}).status_code == 404
    assert (
        client.get(
            reverse("public:feedback-track", args=["GY-2026-999999"]), {"t": feedback.token}
        ).status_code
        == 404
    )
    page = client.get(url, {"t": feedback.token}, follow=True)
    assert page.status_code == 200 and feedback.text in page.content.decode()
    assert 'name="robots" content="noindex"' in page.content.decode()


def test_the_resident_sees_the_answer_and_rates_it_once(client, official):
    feedback = make_answered(by=official, publish=False, answer="Đã sửa xong đèn đường.")
    url = reverse("public:feedback-track", args=[feedback.code])
    body = client.get(url, {"t": feedback.token}, follow=True).content.decode()
    assert "Đã sửa xong đèn đường." in body and "Gửi đánh giá" in body
    rate = reverse("public:feedback-rate", args=[feedback.code])
    assert client.get(rate).status_code == 405
    assert client.post(rate, {"t": "wrong", "rating": 5}).status_code == 404
    bad = client.post(rate, {"t": feedback.token, "rating": 9})
    assert bad.status_code == 400 and Feedback.objects.get(pk=feedback.pk).rating is None
    done = client.post(rate, {"t": feedback.token, "rating": 5})
    assert done.status_code == 302
    assert Feedback.objects.get(pk=feedback.pk).rating == 5
    again = client.post(rate, {"t": feedback.token, "rating": 1})
    assert again.status_code == 400 and "Bạn đã đánh giá" in again.content.decode()
    assert Feedback.objects.get(pk=feedback.pk).rating == 5
    assert "Bạn đã đánh giá: 5/5" in client.get(url).content.decode()  # from the cookie


def test_the_public_list_filters_by_model_kind_status_and_answer(client, official):
    lights = factories.make_initiative(title="Đường điện thắp sáng khu dân cư")
    market = factories.make_initiative(title="Chợ an toàn thực phẩm")
    answered = make_answered(lights, by=official, kind="question")
    waiting = make_feedback(market, kind="complaint")
    workflow.feedback_receive(feedback=waiting, by=official)
    workflow.feedback_publish(
        feedback=waiting, by=official, public_text="Phản ánh về giá ở chợ, đã che tên."
    )
    hidden = make_feedback(market, kind="praise")
    url = reverse("public:feedback-list")

    def codes(**params):
        body = client.get(url, params).content.decode()
        return {f.code for f in (answered, waiting, hidden) if f.code in body}

    assert codes() == {answered.code, waiting.code}
    assert codes(model=lights.slug) == {answered.code}
    assert codes(kind="complaint") == {waiting.code}
    assert codes(status="answered") == {answered.code}
    assert codes(answered="1") == {answered.code}
    assert codes(answered="0") == {waiting.code}
    assert client.get(url, {"kind": "khac"}).status_code == 404
    assert client.get(url, {"page": "99"}).status_code == 404


def test_the_public_list_costs_the_same_for_one_item_or_many(client, official):
    initiative = factories.make_initiative()
    make_answered(initiative, by=official)
    assert_constant_queries(
        lambda: client.get(reverse("public:feedback-list")),
        lambda: [make_answered(factories.make_initiative(), by=official) for _ in range(3)],
    )


def test_the_model_page_costs_the_same_for_one_feedback_item_or_many(client, official):
    initiative = factories.make_initiative()
    make_answered(initiative, by=official)
    assert_constant_queries(
        lambda: client.get(initiative.get_absolute_url()),
        lambda: [make_answered(initiative, by=official) for _ in range(3)],
    )


def test_a_busy_model_page_shows_the_newest_items_and_links_to_the_others(client, official):
    """A model with hundreds of published items must not render them all: the newest
    MODEL_PAGE_FEEDBACK, then a link to the public list filtered on this model."""
    initiative = factories.make_initiative(title="Đường hoa Lê Lợi")
    other = factories.make_initiative(title="Chợ an toàn thực phẩm")
    items = [make_answered(initiative, by=official) for _ in range(MODEL_PAGE_FEEDBACK + 2)]
    elsewhere = make_answered(other, by=official)
    newest, oldest = items[2:], items[:2]
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert all(f'id="{item.code}"' in body for item in newest)
    assert not any(item.code in body for item in oldest)
    assert f"Đây là {MODEL_PAGE_FEEDBACK} góp ý mới nhất." in body
    link = feedback_list_url(initiative)
    assert f'href="{link.replace("&", "&amp;")}"' in body
    # The link lists this model's items, the older ones included, and no other model's.
    listed = client.get(link).content.decode()
    assert all(item.code in listed for item in items)
    assert elsewhere.code not in listed
    assert Feedback.objects.public().filter(initiative=initiative).count() == len(items)


def test_a_model_page_with_few_items_shows_them_all_without_the_note(client, official):
    initiative = factories.make_initiative()
    items = [make_answered(initiative, by=official) for _ in range(MODEL_PAGE_FEEDBACK)]
    body = client.get(initiative.get_absolute_url()).content.decode()
    assert all(f'id="{item.code}"' in body for item in items)
    assert "góp ý mới nhất" not in body
    assert f'href="{feedback_list_url(initiative)}"' in body  # "see all published feedback"


def test_the_model_page_costs_the_same_below_and_above_the_bound(client, official):
    initiative = factories.make_initiative()
    make_answered(initiative, by=official)
    assert_constant_queries(
        lambda: client.get(initiative.get_absolute_url()),
        lambda: [make_answered(initiative, by=official) for _ in range(MODEL_PAGE_FEEDBACK + 1)],
    )


def test_publishing_shows_the_item_at_once_on_a_cached_page(
    settings, official, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    initiative = factories.make_initiative()
    feedback = make_answered(initiative, by=official, publish=False)
    visitor = Client()
    visitor.get(initiative.get_absolute_url())
    assert visitor.get(initiative.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.feedback_publish(
            feedback=feedback, by=official, public_text="Nội dung công khai đã che."
        )
    after = visitor.get(initiative.get_absolute_url())
    assert (
        after["X-Page-Cache"] == "miss" and "Nội dung công khai đã che." in after.content.decode()
    )
    cache.clear()
