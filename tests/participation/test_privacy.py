"""Personal data of feedback: never on a public page, erased after the retention period."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from participation import workflow
from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback

pytestmark = pytest.mark.django_db
PHONE = "0911222333"
NAME = "Trần Thị Kín Đáo"
SHOWN = "Phạm Văn Công Khai"


def test_no_public_page_shows_a_phone_a_hidden_name_or_the_client_hash(client, official):
    initiative = factories.make_initiative()
    hidden = make_answered(
        initiative, by=official, phone=PHONE, name=NAME, contact_consent=True, client_hash="f" * 64
    )
    shown = make_answered(initiative, by=official, name=SHOWN, show_name=True)
    pages = [
        initiative.get_absolute_url(),
        reverse("public:feedback-list"),
        reverse("public:feedback-list") + f"?model={initiative.slug}",
        reverse("public:feedback-track", args=[hidden.code]) + f"?t={hidden.token}",
        reverse("public:report"),
        "/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert PHONE not in body, url
        assert NAME not in body, url
        assert "f" * 64 not in body and "ffffffffffff" not in body, url
    assert SHOWN in client.get(initiative.get_absolute_url()).content.decode()
    assert hidden.code in client.get(reverse("public:feedback-list")).content.decode()
    assert shown.code in client.get(reverse("public:feedback-list")).content.decode()


def _close(feedback, by, days_ago):
    workflow.feedback_close(feedback=feedback, by=by)
    Feedback.objects.filter(pk=feedback.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_contact_details_are_erased_a_year_after_closing(official, settings):
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 365
    old = make_answered(
        by=official, phone=PHONE, name=NAME, contact_consent=True, client_hash="a" * 64
    )
    _close(old, official, 366)
    recent = make_answered(by=official, phone=PHONE, name=NAME, client_hash="b" * 64)
    _close(recent, official, 100)
    shown = make_answered(by=official, phone=PHONE, name=SHOWN, show_name=True)
    _close(shown, official, 400)
    still_open = make_answered(by=official, phone=PHONE, name=NAME)
    Feedback.objects.filter(pk=still_open.pk).update(
        created_at=timezone.now() - dt.timedelta(days=800)
    )

    out = io.StringIO()
    call_command("erase_feedback_contacts", stdout=out)
    assert "2 góp ý" in out.getvalue()  # old, and shown (its phone)

    old.refresh_from_db()
    assert (old.name, old.phone, old.client_hash, old.contact_consent) == ("", "", "", False)
    assert old.contacts_erased_at is not None
    assert old.text and old.answer.text  # the content and the answer stay
    recent.refresh_from_db()
    assert recent.phone == PHONE and recent.name == NAME and recent.client_hash == "b" * 64
    shown.refresh_from_db()
    assert shown.phone == "" and shown.name == SHOWN  # the name the resident chose to show stays
    still_open.refresh_from_db()
    assert still_open.phone == PHONE


def test_erasing_is_safe_to_run_every_day(official):
    old = make_answered(by=official, phone=PHONE, name=NAME)
    _close(old, official, 400)
    assert workflow.feedback_erase_contacts() == 1
    erased_at = Feedback.objects.get(pk=old.pk).contacts_erased_at
    assert workflow.feedback_erase_contacts() == 0
    assert Feedback.objects.get(pk=old.pk).contacts_erased_at == erased_at


def test_refused_items_are_erased_a_year_after_the_refusal(official):
    spam = make_feedback(phone=PHONE, name=NAME)
    workflow.feedback_mark_spam(feedback=spam, by=official)
    spam.transitions.update(at=timezone.now() - dt.timedelta(days=400))
    fresh_spam = make_feedback(phone=PHONE, name=NAME)
    workflow.feedback_mark_spam(feedback=fresh_spam, by=official)
    assert workflow.feedback_erase_contacts() == 1
    assert Feedback.objects.get(pk=spam.pk).phone == ""
    assert Feedback.objects.get(pk=fresh_spam.pk).phone == PHONE


def test_an_answer_left_open_is_erased_a_year_after_its_last_change(official):
    old = make_answered(by=official, phone=PHONE, name=NAME)
    old.transitions.update(at=timezone.now() - dt.timedelta(days=400))
    recent = make_answered(by=official, phone=PHONE, name=NAME)
    waiting = make_feedback(phone=PHONE, name=NAME)
    workflow.feedback_receive(feedback=waiting, by=official)
    waiting.transitions.update(at=timezone.now() - dt.timedelta(days=400))
    assert workflow.feedback_erase_contacts() == 1
    assert (
        Feedback.objects.get(pk=old.pk).phone == "" and Feedback.objects.get(pk=old.pk).name == ""
    )
    # A recent answer, and an item still waiting for its answer, keep what the ward needs.
    assert Feedback.objects.get(pk=recent.pk).phone == PHONE
    assert Feedback.objects.get(pk=waiting.pk).phone == PHONE


def test_public_queries_never_read_the_phone_the_hidden_name_or_the_hash(official):
    from participation.queries import public_feedback

    make_answered(by=official, phone=PHONE, name=NAME, client_hash="e" * 64)
    make_answered(by=official, name=SHOWN, show_name=True)
    items = list(public_feedback())
    for item in items:
        assert {"phone", "name", "client_hash", "token_hash", "text"} <= item.get_deferred_fields()
    assert sorted(item.shown_name for item in items) == ["", SHOWN]
