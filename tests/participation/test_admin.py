"""Feedback in the admin (read-only rows, workflow actions, contact details only with the
permission), the demo data (no invented feedback) and the feed's query."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from participation import queries
from participation.choices import FeedbackStatus as S
from participation.models import Feedback
from tests import factories
from tests.participation.factories import make_answered, make_feedback

pytestmark = pytest.mark.django_db


def test_the_admin_shows_contacts_only_to_holders_of_the_permission(
    client, official, committee_member
):
    feedback = make_feedback(phone="0977888999", name="Hoàng Thị Lan")
    url = reverse("admin:participation_feedback_change", args=[feedback.pk])
    client.force_login(official)
    body = client.get(url).content.decode()
    assert "0977888999" in body and "Hoàng Thị Lan" in body
    client.force_login(committee_member)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert feedback.code in body
    assert "0977888999" not in body and "Hoàng Thị Lan" not in body


def test_an_admin_action_goes_through_the_workflow(client, official):
    feedback = make_feedback()
    client.force_login(official)
    url = reverse("admin:participation_feedback_changelist")
    data = {"action": "action_receive", "_selected_action": [feedback.pk]}
    confirmation = client.post(url, data)
    assert confirmation.status_code == 200 and 'name="apply"' in confirmation.content.decode()
    assert Feedback.objects.get(pk=feedback.pk).status == S.NEW
    response = client.post(url, {**data, "apply": "1"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == S.RECEIVED and feedback.due_on is not None
    assert feedback.transitions.get().by == official


def test_the_admin_asks_for_the_reason_before_not_publishing(client, official):
    feedback = make_feedback()
    client.force_login(official)
    url = reverse("admin:participation_feedback_changelist")
    data = {"action": "action_not_publish", "_selected_action": [feedback.pk]}
    page = client.post(url, data)
    assert page.status_code == 200 and "Lý do không công khai" in page.content.decode()
    assert Feedback.objects.get(pk=feedback.pk).status == S.NEW
    client.post(url, {**data, "apply": "1", "reason": "Nội dung xúc phạm"})
    feedback.refresh_from_db()
    assert feedback.status == S.NOT_PUBLISHED and feedback.reason == "Nội dung xúc phạm"


def test_the_admin_neither_adds_nor_deletes_feedback(client, admin_user):
    feedback = make_feedback()
    client.force_login(admin_user)
    assert client.get(reverse("admin:participation_feedback_add")).status_code == 403
    assert (
        client.get(reverse("admin:participation_feedback_delete", args=[feedback.pk])).status_code
        == 403
    )


def test_the_demo_data_holds_no_feedback():
    call_command("load_demo", verbosity=0)
    assert not Feedback.objects.exists()


def test_the_feed_query_lists_published_answers_newest_first(official):
    first = make_answered(by=official)
    second = make_answered(by=official)
    make_answered(by=official, publish=False)
    make_feedback()
    rows = list(queries.published_answers())
    assert [f.code for f in rows] == [second.code, first.code]
    assert all(f.answered_at and f.published_at and f.answer.text for f in rows)
    hidden = factories.make_initiative(status="draft", published=False)
    Feedback.objects.filter(pk=first.pk).update(initiative=hidden)
    assert [f.code for f in queries.published_answers()] == [second.code]


def test_the_admin_lists_and_shows_feedback_about_the_ward_in_general(client, official):
    from participation import workflow

    ward, _token = workflow.feedback_submit(
        initiative=None, kind="praise", text="Cảm ơn phường đã dọn sạch bãi tắm sau mùa bão."
    )
    about_a_model = make_feedback()
    client.force_login(official)
    listed = client.get(reverse("admin:participation_feedback_changelist")).content.decode()
    assert ward.code in listed and "Góp ý chung về phường" in listed
    assert about_a_model.initiative.title in listed
    change = client.get(reverse("admin:participation_feedback_change", args=[ward.pk]))
    assert change.status_code == 200 and ward.code in change.content.decode()
