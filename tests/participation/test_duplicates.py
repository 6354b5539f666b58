"""Feedback text is kept in one Unicode spelling (NFC), so a copy is found whatever the
keyboard; the sender of a copy is told a similar item exists, never a code they cannot open."""

import unicodedata

import pytest
from django.urls import reverse

from participation.choices import FeedbackStatus as S
from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback
from wardmodels import formclock

pytestmark = pytest.mark.django_db

TEXT = "Đề nghị sửa đèn đường ở tổ dân phố số 3, đã hỏng hai tuần nay. Cảm ơn phường."


def _post(client, initiative, text):
    return client.post(
        reverse("public:feedback-submit", args=[initiative.slug]),
        {"kind": "suggestion", "text": text, "website": "", "form_started": formclock.stamp()},
    )


def test_text_typed_decomposed_is_stored_composed(client):
    initiative = factories.make_initiative()
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    _post(client, initiative, decomposed)
    assert Feedback.objects.get().text == TEXT


def test_the_workflow_stores_composed_text_and_name_whatever_the_caller():
    feedback = make_feedback(
        text=unicodedata.normalize("NFD", TEXT), name=unicodedata.normalize("NFD", "Lê Thị Hoa")
    )
    feedback.refresh_from_db()
    assert feedback.text == TEXT and feedback.name == "Lê Thị Hoa"


def test_the_same_text_in_the_other_spelling_is_a_duplicate():
    initiative = factories.make_initiative()
    first = make_feedback(initiative, text=TEXT)
    second = make_feedback(initiative, text=unicodedata.normalize("NFD", TEXT))
    assert second.status == S.DUPLICATE and second.duplicate_of == first


def test_an_earlier_item_stored_decomposed_is_still_found():
    initiative = factories.make_initiative()
    first = make_feedback(initiative, text=TEXT)
    Feedback.objects.filter(pk=first.pk).update(text=unicodedata.normalize("NFD", TEXT))
    second = make_feedback(initiative, text=TEXT)
    assert second.duplicate_of == first


def _track(client, feedback):
    url = reverse("public:feedback-track", args=[feedback.code]) + f"?t={feedback.token}"
    return client.get(url, follow=True).content.decode()


def test_the_sender_of_a_copy_is_told_a_similar_item_exists_without_its_code(client):
    initiative = factories.make_initiative()
    first = make_feedback(initiative, text=TEXT)
    copy = make_feedback(initiative, text=TEXT)
    page = _track(client, copy)
    assert "Một góp ý tương tự đã được gửi trước đó" in page
    assert first.code not in page


def test_a_published_original_is_linked_by_its_public_page(client, official):
    initiative = factories.make_initiative()
    first = make_answered(initiative, by=official, text=TEXT)
    copy = make_feedback(initiative, text=TEXT)
    page = _track(client, copy)
    assert "Một góp ý tương tự đã được gửi trước đó" in page
    public_url = reverse("public:feedback-list") + f"?model={initiative.slug}#{first.code}"
    assert f'href="{public_url}"' in page
    # and that page shows it
    listing = client.get(public_url).content.decode()
    assert f'id="{first.code}"' in listing
