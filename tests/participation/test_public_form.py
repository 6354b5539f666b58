"""The residents' form: every kind of bad input gives the form back with a message and the
input kept, and nothing is written; the abuse limits say so in Vietnamese, never a 500."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from participation.choices import FeedbackStatus as S
from participation.models import Feedback, FeedbackPhoto
from tests import factories
from wardmodels import formclock

pytestmark = pytest.mark.django_db

TEXT = "Xin hỏi phường khi nào trồng thêm chậu hoa giấy ở đoạn gần cầu Bình Hòa?"


def _data(**overrides):
    data = {
        "kind": "question",
        "text": TEXT,
        "name": "",
        "phone": "",
        "website": "",
        "form_started": formclock.stamp(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _post(client, initiative, **overrides):
    return client.post(
        reverse("public:feedback-submit", args=[initiative.slug]), _data(**overrides)
    )


@pytest.fixture
def initiative():
    return factories.make_initiative(title="Đường hoa Lê Lợi")


def test_a_resident_sends_feedback_and_gets_a_private_tracking_link(client, initiative):
    response = _post(
        client, initiative, name="Lê Thị Hoa", phone="0912 345 678", contact_consent="on"
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    # POST, redirect, GET: the token in a cookie, no flag in the address to bookmark.
    assert response["Location"] == f"/gop-y/{feedback.code}/"
    assert feedback.text == TEXT and feedback.status == S.NEW
    assert feedback.phone == "0912345678" and feedback.contact_consent
    assert feedback.name == "Lê Thị Hoa" and not feedback.show_name
    assert len(feedback.client_hash) == 64 and "127.0.0.1" not in feedback.client_hash
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert feedback.code in body and "Mới gửi" in body and "Hãy lưu đường dẫn này" in body
    assert f"Cảm ơn bạn. Góp ý đã được gửi với mã {feedback.code}." in body
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "Quá ngắn"}, "Nội dung quá ngắn"),
        ({"text": "a" * 2001}, "Nội dung quá dài"),
        ({"text": TEXT + " https://a.vn và https://b.vn"}, "tối đa một đường liên kết"),
        ({"text": "<b></b><script></script>" + "<i>x</i>" * 5}, "Nội dung quá ngắn"),
        ({"kind": "khac"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"kind": None}, "Trường này là bắt buộc"),
        ({"phone": "12345"}, "Số điện thoại chưa đúng"),
        ({"phone": "0912 345 6789"}, "Số điện thoại chưa đúng"),
        ({"contact_consent": "on"}, "Cần số điện thoại"),
        ({"show_name": "on", "name": "  "}, "Cần họ tên"),
        ({"website": "http://spam.example"}, "Xin để trống ô cuối cùng"),
        ({"form_started": "forged"}, "Trang đã mở quá lâu"),
        ({"form_started": None}, "Trang đã mở quá lâu"),
    ],
)
def test_bad_input_gives_the_form_back_with_a_message_and_nothing_is_written(
    client, initiative, overrides, message
):
    data = {"name": "Lê Thị Hoa", **overrides}
    response = _post(client, initiative, **data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    # The input is kept.
    assert escape(data.get("text", TEXT)) in body
    if data["name"].strip():
        assert "Lê Thị Hoa" in body
    assert Feedback.objects.count() == 0
    # A fresh stamp, so that the corrected form is not refused as stale.
    assert 'name="form_started" value="' in body and 'value="forged"' not in body


def test_html_is_stripped_and_the_plain_text_kept(client, initiative):
    _post(client, initiative, text="<p>Đề nghị <b>sửa</b> đèn đường &amp; vỉa hè tổ 3 sớm.</p>")
    assert Feedback.objects.get().text == "Đề nghị sửa đèn đường & vỉa hè tổ 3 sớm."


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("0912345678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
    ],
)
def test_vietnamese_phone_numbers_are_normalised(client, initiative, given, kept):
    _post(client, initiative, phone=given)
    assert Feedback.objects.get().phone == kept


def test_a_form_sent_within_the_minimum_time_is_refused(client, initiative, settings):
    settings.FEEDBACK_MIN_SECONDS = 3
    response = _post(client, initiative)
    assert response.status_code == 400
    assert "Bạn gửi quá nhanh" in response.content.decode()
    assert TEXT in response.content.decode()
    assert Feedback.objects.count() == 0


def test_a_form_sent_after_the_minimum_time_is_accepted(client, initiative, settings):
    import time

    from django.core import signing

    settings.FEEDBACK_MIN_SECONDS = 3
    earlier = signing.dumps(int((time.time() - 5) * 1000), salt=formclock.SALT)
    assert _post(client, initiative, form_started=earlier).status_code == 302
    assert Feedback.objects.count() == 1


def test_photos_are_cleaned_and_kept_private(client, initiative, settings):
    url = reverse("public:feedback-submit", args=[initiative.slug])
    photos = [factories.uploaded_image(f"anh{i}.jpg") for i in range(2)]
    response = client.post(url, {**_data(), "photos": photos})
    assert response.status_code == 302
    stored = list(FeedbackPhoto.objects.all())
    assert len(stored) == 2
    for photo in stored:
        assert str(settings.PRIVATE_MEDIA_ROOT) in photo.image.path
        assert "anh" not in photo.image.name  # the resident's file name is not kept


def test_more_than_three_photos_or_a_broken_one_is_refused(client, initiative):
    url = reverse("public:feedback-submit", args=[initiative.slug])
    photos = [factories.uploaded_image(f"anh{i}.jpg") for i in range(4)]
    response = client.post(url, {**_data(), "photos": photos})
    assert response.status_code == 400
    assert "tối đa 3 ảnh" in response.content.decode()
    broken = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(url, {**_data(), "photos": [broken]})
    assert response.status_code == 400
    assert "không phải là ảnh" in response.content.decode()
    assert Feedback.objects.count() == 0 and FeedbackPhoto.objects.count() == 0


def test_at_most_three_an_hour_per_client(client, initiative, settings):
    settings.FEEDBACK_LIMIT_PER_HOUR = 3
    for i in range(3):
        assert _post(client, initiative, text=f"{TEXT} lần {i}").status_code == 302
    response = _post(client, initiative, text=f"{TEXT} lần 4")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Bạn đã gửi 3 góp ý trong một giờ" in body and "lần 4" in body
    # When the oldest of the three leaves the hour, one more may go: the resident is told.
    oldest = Feedback.objects.order_by("created_at").first().created_at
    again = timezone.localtime(oldest + dt.timedelta(hours=1))
    assert f"Bạn có thể gửi lại sau {again:%H:%M}" in body
    assert Feedback.objects.count() == 3
    # Another address is counted on its own.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _post(other, initiative, text=f"{TEXT} máy khác").status_code == 302


def test_at_most_ten_a_day_per_client(client, initiative, settings):
    settings.FEEDBACK_LIMIT_PER_HOUR = 100
    settings.FEEDBACK_LIMIT_PER_DAY = 2
    for i in range(2):
        assert _post(client, initiative, text=f"{TEXT} lần {i}").status_code == 302
    response = _post(client, initiative, text=f"{TEXT} lần 3")
    assert response.status_code == 429
    body = response.content.decode()
    oldest = Feedback.objects.order_by("created_at").first().created_at
    again = timezone.localtime(oldest + dt.timedelta(days=1))
    assert "Bạn đã gửi 2 góp ý trong một ngày" in body
    assert f"Bạn có thể gửi lại sau {again:%H:%M %d/%m/%Y}" in body


def test_the_phone_number_is_limited_across_addresses(initiative, settings):
    settings.FEEDBACK_LIMIT_PER_HOUR = 2
    for i in range(2):
        c = Client(REMOTE_ADDR=f"10.0.1.{i}")
        assert _post(c, initiative, text=f"{TEXT} {i}", phone="0912345678").status_code == 302
    c = Client(REMOTE_ADDR="10.0.1.99")
    response = _post(c, initiative, text=f"{TEXT} 3", phone="0912 345 678")
    assert response.status_code == 429
    assert Feedback.objects.count() == 2


def test_the_client_hash_is_keyed_and_changes_with_the_month(rf, settings):
    from participation import limits

    request = rf.get("/", REMOTE_ADDR="203.0.113.7")
    now = limits.client_hash(request)
    assert now == limits.client_hash(rf.get("/", REMOTE_ADDR="203.0.113.7"))
    assert now != limits.client_hash(rf.get("/", REMOTE_ADDR="203.0.113.8"))
    import hashlib

    assert now != hashlib.sha256(b"203.0.113.7").hexdigest()
    real_now = timezone.now

    def next_month():
        return real_now() + dt.timedelta(days=32)

    timezone.now = next_month
    try:
        assert limits.client_hash(request) != now
    finally:
        timezone.now = real_now
    settings.SECRET_KEY = "another"
    assert limits.client_hash(request) != now


def test_a_post_without_a_csrf_token_is_refused(initiative):
    enforcing = Client(enforce_csrf_checks=True)
    response = _post(enforcing, initiative)
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_feedback_on_a_draft_model_is_a_404(client):
    draft = factories.make_initiative(status="draft", published=False)
    assert _post(client, draft).status_code == 404
    assert Feedback.objects.count() == 0


def test_the_form_page_alone_shows_the_form_and_the_privacy_notice(client, initiative):
    response = client.get(reverse("public:feedback-submit", args=[initiative.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Phường lưu gì và vì sao" in body and 'name="form_started"' in body
    assert Feedback.objects.count() == 0


def test_an_unused_byte_stream_is_never_a_server_error(client, initiative):
    url = reverse("public:feedback-submit", args=[initiative.slug])
    response = client.post(url, data=io.BytesIO(b"\x00\xff").read(), content_type="text/plain")
    assert response.status_code == 400


class SharedCacheStandIn(LocMemCache):
    """A cache the limits treat as shared by every app server (as Redis is): only Django's
    per-process backends (local memory, dummy) are counted in the database instead."""


def test_without_a_shared_cache_the_limits_hold_across_workers(client, initiative, settings):
    """The local-memory cache is one per gunicorn worker: the next request may land on a
    worker whose cache has counted nothing. The limits count saved feedback instead."""
    settings.FEEDBACK_LIMIT_PER_HOUR = 2
    for i in range(2):
        assert _post(client, initiative, text=f"{TEXT} lần {i}").status_code == 302
    cache.clear()  # another worker: its own, empty, local memory
    response = _post(client, initiative, text=f"{TEXT} lần 3")
    assert response.status_code == 429
    assert "Bạn đã gửi 2 góp ý trong một giờ" in response.content.decode()
    assert Feedback.objects.count() == 2


def test_with_the_dummy_cache_the_limits_still_hold(client, initiative, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.FEEDBACK_LIMIT_PER_HOUR = 2
    for i in range(2):
        assert _post(client, initiative, text=f"{TEXT} lần {i}").status_code == 302
    assert _post(client, initiative, text=f"{TEXT} lần 3").status_code == 429
    assert Feedback.objects.count() == 2


def test_requests_sent_at_once_at_the_limit_do_not_all_get_through(settings):
    """The count is taken before the check: of eight submissions racing for the last slots,
    exactly the hour's limit get through, and the refused ones leave no count behind."""
    import threading

    from participation import limits

    settings.CACHES = {"default": {"BACKEND": f"{__name__}.SharedCacheStandIn"}}
    settings.FEEDBACK_LIMIT_PER_HOUR = 3
    settings.FEEDBACK_LIMIT_PER_DAY = 10
    client = "race-" + "a" * 20
    start = threading.Barrier(8)
    results = []

    def send():
        start.wait()
        results.append(limits.reserve_submission(client=client))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result is None for result in results) == 3
    assert all("3 góp ý trong một giờ" in str(r) for r in results if r is not None)
    assert cache.get(limits.HOUR.key(f"c:{client}")) == 3
    assert cache.get(limits.DAY.key(f"c:{client}")) == 3


def test_a_form_handed_out_more_than_a_few_hours_ago_is_refused(
    client, initiative, settings, monkeypatch
):
    import time

    real_time = time.time
    handed_out = real_time() - settings.FEEDBACK_FORM_MAX_HOURS * 3600 - 60
    monkeypatch.setattr(time, "time", lambda: handed_out)
    old_stamp = formclock.stamp()
    monkeypatch.setattr(time, "time", real_time)
    response = _post(client, initiative, form_started=old_stamp)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Trang đã mở quá lâu" in body and escape(TEXT) in body
    assert not Feedback.objects.exists()
    assert settings.FEEDBACK_FORM_MAX_HOURS <= 6


def test_a_stamp_that_already_sent_feedback_is_refused(client, initiative):
    """Replaying one handed-out form (a bot posting the same page again and again) sends at
    most one item; the resident's text comes back with a fresh stamp."""
    stamp = formclock.stamp()
    assert _post(client, initiative, form_started=stamp).status_code == 302
    again = _post(client, initiative, form_started=stamp, text=f"{TEXT} lần nữa")
    assert again.status_code == 400
    body = again.content.decode()
    assert "Biểu mẫu này đã được dùng để gửi một góp ý" in body and "lần nữa" in body
    assert stamp not in body
    assert Feedback.objects.count() == 1


def test_the_workflow_refuses_a_stamp_used_before():
    from participation import workflow
    from registry.workflow import WorkflowError

    initiative = factories.make_initiative()
    stamp = formclock.stamp()
    workflow.feedback_submit(initiative=initiative, kind="question", text=TEXT, form_stamp=stamp)
    with pytest.raises(WorkflowError):
        workflow.feedback_submit(
            initiative=initiative, kind="question", text=TEXT + " 2", form_stamp=stamp
        )
    assert Feedback.objects.count() == 1


def test_two_forms_handed_out_at_the_same_moment_get_different_stamps(monkeypatch):
    import time

    monkeypatch.setattr(time, "time", lambda: 1_780_000_000.123)
    first, second = formclock.stamp(), formclock.stamp()
    assert first != second and len(first) == len(second)
