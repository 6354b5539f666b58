"""A pledge's terms are corrected through the workflow, from the admin too; never once cancelled.

That the admin goes through the workflow shows in the cancelled case: a plain save would
change the pledge."""

from datetime import date

import pytest
from django.urls import reverse

from campaigns import workflow
from campaigns.models import Pledge
from registry.workflow import WorkflowError
from tests.campaigns.factories import make_pledge

pytestmark = pytest.mark.django_db


def test_an_official_corrects_the_due_date_and_the_history_keeps_the_old_one(official):
    pledge = make_pledge(due_on=date(2023, 6, 30))
    workflow.pledge_update(pledge=pledge, by=official, due_on=date(2023, 9, 30))
    pledge.refresh_from_db()
    assert pledge.due_on == date(2023, 9, 30)
    latest, before = pledge.history.order_by("-history_id")[:2]
    assert (latest.due_on, latest.history_user) == (date(2023, 9, 30), official)
    assert before.due_on == date(2023, 6, 30)


def test_the_same_checks_as_recording_apply(official):
    pledge = make_pledge(pledged_on=date(2023, 3, 1), value=1_000_000)
    with pytest.raises(WorkflowError) as caught:
        workflow.pledge_update(pledge=pledge, by=official, due_on=date(2023, 2, 1))
    assert caught.value.code == "due_before_pledged"
    with pytest.raises(WorkflowError) as caught:
        workflow.pledge_update(pledge=pledge, by=official, value=0)
    assert caught.value.code == "amount_not_positive"
    pledge.refresh_from_db()
    assert (pledge.due_on, pledge.value) == (None, 1_000_000)


def test_a_cancelled_pledge_is_not_corrected(official):
    pledge = make_pledge()
    workflow.pledge_cancel(pledge=pledge, by=official, reason="Hộ chuyển đi nơi khác")
    with pytest.raises(WorkflowError) as caught:
        workflow.pledge_update(pledge=pledge, by=official, value=5_000_000)
    assert caught.value.code == "already_cancelled"
    assert Pledge.objects.get(pk=pledge.pk).value == 1_000_000


def test_the_committee_cannot_correct_a_pledge(committee_member):
    pledge = make_pledge()
    with pytest.raises(WorkflowError) as caught:
        workflow.pledge_update(pledge=pledge, by=committee_member, value=5_000_000)
    assert caught.value.code == "permission"
    assert Pledge.objects.get(pk=pledge.pk).value == 1_000_000


def test_an_admin_edit_saves_the_new_terms_with_who_made_it(official_client, official):
    pledge = make_pledge(due_on=date(2023, 6, 30), description="Chậu hoa")
    url = reverse("admin:campaigns_pledge_change", args=[pledge.pk])
    form = official_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(due_on="30/09/2023", pledged_on="01/03/2023")
    response = official_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    pledge.refresh_from_db()
    assert pledge.due_on == date(2023, 9, 30)
    assert pledge.history.order_by("-history_id").first().history_user == official


def test_an_admin_edit_of_a_cancelled_pledge_is_refused_with_the_workflows_message(
    official_client, official
):
    pledge = make_pledge(description="Chậu hoa")
    workflow.pledge_cancel(pledge=pledge, by=official, reason="Hộ chuyển đi nơi khác")
    url = reverse("admin:campaigns_pledge_change", args=[pledge.pk])
    form = official_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(value="9000000", pledged_on="01/03/2023")
    response = official_client.post(url, data, follow=True)
    assert "Cam kết này đã hủy rồi." in [str(m) for m in response.context["messages"]]
    assert Pledge.objects.get(pk=pledge.pk).value == 1_000_000
