"""A resident reaches the feedback form from every entry point (the model's first screen, the
header's "Góp ý", a model picked by a search without diacritics, the ward in general), keeps
the private link (shown as text, with a QR code, without any flag in the address), and gets
a page that says what to do when a link is wrong; a refused form opens with an error summary
linked to its fields."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from participation import workflow
from participation.choices import FeedbackStatus as S
from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback
from wardmodels import formclock

pytestmark = pytest.mark.django_db

TEXT = "Đề nghị phường sửa đèn chiếu sáng trên đường Trần Phú, buổi tối quá tối, khó đi."
WARD_FORM = "/gop-y/chung/"


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _send_about_the_ward(client, **overrides):
    data = {"kind": "suggestion", "text": TEXT, "website": "", "form_started": formclock.stamp()}
    data.update(overrides)
    return client.post(reverse("public:feedback-ward"), data)


def test_the_model_page_offers_send_feedback_next_to_its_progress(client):
    initiative = factories.make_initiative(
        title="Đường hoa Lê Lợi", summary="Một đoạn giới thiệu dài. " * 30
    )
    body = client.get(initiative.get_absolute_url()).content.decode()
    header = body[
        body.index('<header class="initiative-header">') : body.index(
            "</header>", body.index('<header class="initiative-header">')
        )
    ]
    action = f'<a class="button" href="/mo-hinh/{initiative.slug}/gop-y/">Gửi góp ý</a>'
    assert action in header
    # Before the summary, whatever its length: the first screen of a phone.
    assert header.index(action) < header.index('class="lead"')
    assert header.index('class="progress"') < header.index(action)


def test_the_form_has_its_own_address_and_shows_the_model(client):
    initiative = factories.make_initiative(title="Đường hoa Lê Lợi")
    response = client.get(reverse("public:feedback-submit", args=[initiative.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Cho mô hình “Đường hoa Lê Lợi”." in body
    assert f'action="/mo-hinh/{initiative.slug}/gop-y/"' in body and 'name="text"' in body


def test_the_header_feedback_link_leads_to_a_page_that_explains_and_starts_feedback(client):
    body = client.get("/").content.decode()
    assert '<a href="/gop-y/">Góp ý</a>' in body
    page = client.get("/gop-y/").content.decode()
    assert "<h1>Góp ý với phường</h1>" in page
    assert 'action="/gop-y/gui/"' in page and 'name="q"' in page  # pick a model
    assert f'href="{WARD_FORM}"' in page and "Góp ý chung về phường" in page
    assert f"trả lời trong {settings.FEEDBACK_DUE_WORKING_DAYS} ngày làm việc" in page
    english = _english(Client()).get("/gop-y/").content.decode()
    assert "<h1>Feedback to the ward</h1>" in english
    assert "Feedback on the ward in general" in english


def test_a_model_is_found_without_diacritics_and_leads_to_its_form(client):
    le_loi = factories.make_initiative(title="Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")
    factories.make_initiative(title="Vườn rau sạch tổ dân phố 5")
    draft = factories.make_initiative(
        title="Đường hoa Lê Lợi nối dài", status="draft", published=False
    )
    body = client.get("/gop-y/gui/", {"q": "hoa le loi"}).content.decode()
    assert f'href="/mo-hinh/{le_loi.slug}/gop-y/"' in body
    assert "Vườn rau sạch" not in body and draft.slug not in body  # drafts are not offered
    assert "1 mô hình phù hợp" in body
    nothing = client.get("/gop-y/gui/", {"q": "khong co gi nhu the"}).content.decode()
    assert "Không tìm thấy mô hình nào" in nothing and f'href="{WARD_FORM}"' in nothing
    english = _english(Client()).get("/gop-y/gui/", {"q": "hoa le loi"}).content.decode()
    assert "1 model matches" in english


def test_feedback_on_the_ward_in_general_is_saved_without_a_model(client):
    assert "Góp ý chung về công việc của" in client.get(WARD_FORM).content.decode()
    response = _send_about_the_ward(client, name="Trần Văn Bình")
    feedback = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/gop-y/{feedback.code}/"
    assert feedback.initiative is None and feedback.text == TEXT and feedback.status == S.NEW
    assert feedback.name == "Trần Văn Bình"
    page = client.get(response["Location"]).content.decode()
    assert "Góp ý chung về phường" in page and feedback.code in page


def test_the_same_text_about_the_ward_twice_is_a_duplicate(client):
    first, _token = workflow.feedback_submit(initiative=None, kind="suggestion", text=TEXT)
    again, _token = workflow.feedback_submit(initiative=None, kind="suggestion", text=TEXT)
    about_a_model = make_feedback(text=TEXT)
    assert again.status == S.DUPLICATE and again.duplicate_of == first
    assert about_a_model.status == S.NEW  # the same words about a model are another matter


def test_a_refused_ward_form_keeps_the_text_and_opens_with_an_error_summary(client):
    response = _send_about_the_ward(client, text="Quá ngắn", phone="123")
    body = response.content.decode()
    assert response.status_code == 400
    assert Feedback.objects.count() == 0
    assert "Quá ngắn</textarea>" in body and 'value="123"' in body
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', body, re.S).group(0)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary  # site.js focuses it
    assert '<a href="#id_text">Nội dung: Nội dung quá ngắn' in summary
    assert '<a href="#id_phone">' in summary
    assert 'id="id_text"' in body and 'id="id_phone"' in body  # the links' targets exist
    english = _send_about_the_ward(_english(Client()), text="Too short").content.decode()
    assert "Not sent yet: please correct the following" in english


def test_ward_feedback_is_published_and_listed_and_the_workspace_shows_it(
    client, official, official_client
):
    feedback, _token = workflow.feedback_submit(initiative=None, kind="question", text=TEXT)
    workflow.feedback_receive(feedback=feedback, by=official)
    workflow.feedback_answer(feedback=feedback, by=official, text="Tuần sau phường sửa đèn.")
    workflow.feedback_publish(feedback=feedback, by=official, public_text=TEXT)
    public = client.get("/gop-y/").content.decode()
    assert feedback.code in public and "Tuần sau phường sửa đèn." in public
    assert "Góp ý chung về phường" in public
    listed = official_client.get(reverse("workspace:feedback-list")).content.decode()
    assert feedback.code in listed and "Góp ý chung về phường" in listed
    detail = official_client.get(reverse("workspace:feedback-detail", args=[feedback.pk]))
    assert detail.status_code == 200 and "Góp ý chung về phường" in detail.content.decode()
    assert "Kết thúc xử lý góp ý" in detail.content.decode()  # not "Đóng góp ý"
    feed = client.get(reverse("public:opendata-feed")).content.decode()
    assert f"Phường đã trả lời góp ý chung {feedback.code}." in feed


def test_the_tracking_page_shows_the_private_link_as_text_with_a_qr_code(client):
    initiative = factories.make_initiative()
    response = client.post(
        reverse("public:feedback-submit", args=[initiative.slug]),
        {"kind": "question", "text": TEXT, "website": "", "form_started": formclock.stamp()},
    )
    feedback = Feedback.objects.get()
    token = response.cookies[f"feedback_token_{feedback.code}"].value
    link = f"http://testserver/gop-y/{feedback.code}/?t={token}"
    page = client.get(response["Location"]).content.decode()
    assert (
        f'<input type="text" id="private-link" class="private-link" value="{link}" readonly' in page
    )
    assert 'data-copy-target="private-link"' in page  # the copy button (shown by site.js)
    assert '<svg role="img" aria-label="Mã QR của đường dẫn riêng để theo dõi góp ý"' in page
    assert f"Mã góp ý: <strong>{feedback.code}</strong>" in page
    assert f"Góp ý đã được gửi với mã {feedback.code}" in page  # the thanks, once
    # Bookmarked, the same address opens the same page later: no flag, no thanks again.
    later = client.get(f"/gop-y/{feedback.code}/").content.decode()
    assert f'value="{link}"' in later and "Góp ý đã được gửi với mã" not in later
    english = _english(client).get(f"/gop-y/{feedback.code}/").content.decode()
    assert "Your private tracking link" in english and "Copy link" in english


@pytest.mark.parametrize(
    "path",
    ["/gop-y/GY-2020-999999/", "/gop-y/GY-2020-999999/?t=wrong", "/gop-y/khong-phai-ma/"],
)
def test_a_wrong_link_or_an_unknown_code_explains_what_to_do(client, path):
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không mở được trang theo dõi góp ý" in body
    assert "Kiểm tra lại đường dẫn" in body and "Liên hệ bộ phận tiếp dân" in body
    assert 'href="/gop-y/">Gửi góp ý mới</a>' in body


def test_the_code_alone_of_a_published_item_points_to_it_but_not_to_the_private_page(
    client, official
):
    initiative = factories.make_initiative()
    published = make_answered(initiative, by=official)
    body = client.get(f"/gop-y/{published.code}/").content.decode()
    assert f"/gop-y/?model={initiative.slug}#{published.code}" in body
    assert published.text not in body.split("<main", 1)[1].split("Xem góp ý này")[0]
    english = _english(Client()).get(f"/gop-y/{published.code}/")
    assert english.status_code == 404
    assert "The feedback tracking page could not be opened" in english.content.decode()


def test_a_wrong_token_on_the_rating_gets_the_explaining_page_and_rates_nothing(client, official):
    feedback = make_answered(by=official)
    response = client.post(
        reverse("public:feedback-rate", args=[feedback.code]), {"t": "sai", "rating": "5"}
    )
    assert response.status_code == 404
    assert "Không mở được trang theo dõi góp ý" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.rating is None


def test_the_hourly_limit_in_a_shared_cache_says_when_the_window_ends(client, settings):
    from participation import limits

    settings.CACHES = {
        "default": {"BACKEND": "tests.participation.test_public_form.SharedCacheStandIn"}
    }
    settings.FEEDBACK_LIMIT_PER_HOUR = 1
    initiative = factories.make_initiative()

    def send(text):
        return client.post(
            reverse("public:feedback-submit", args=[initiative.slug]),
            {"kind": "question", "text": text, "website": "", "form_started": formclock.stamp()},
        )

    assert send(TEXT).status_code == 302
    response = send(TEXT + " Lần hai.")
    from django.utils import timezone

    again = timezone.localtime(limits.HOUR.ends())
    assert response.status_code == 429
    assert f"Bạn có thể gửi lại sau {again:%H:%M}" in response.content.decode()


def test_workspace_forms_get_the_error_summary_from_the_shared_include(official_client):
    response = official_client.post(reverse("workspace:area-create"), {"name": ""})
    body = response.content.decode()
    assert response.status_code in (200, 400)
    assert '<div class="error-summary" role="alert" tabindex="-1"' in body
    assert '<a href="#id_name">' in body and 'id="id_name"' in body


def test_a_refused_login_opens_with_the_error_summary(client):
    response = client.post(reverse("login"), {"username": "khong-co", "password": "sai"})
    body = response.content.decode()
    assert '<div class="error-summary" role="alert" tabindex="-1"' in body
    assert "Chưa gửi được: xin sửa những chỗ sau" in body


def test_the_choice_of_a_model_costs_the_same_for_1_and_3_matches(client):
    from tests.queries import assert_constant_queries

    factories.make_initiative(title="Đường hoa Lê Lợi 1")
    response = assert_constant_queries(
        lambda: client.get("/gop-y/gui/", {"q": "hoa le loi"}),
        lambda: [factories.make_initiative(title=f"Đường hoa Lê Lợi {n}") for n in (2, 3)],
    )
    assert len(response.context["matches"]) == 3
