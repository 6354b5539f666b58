"""The oversight log: record inspections and reminders, resolve their follow-ups."""

import datetime as dt

import pytest
from django.urls import reverse

from registry import workflow
from registry.models import OversightActivity
from tests.factories import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")


def _log(initiative):
    return reverse("workspace:oversight", args=[initiative.pk])


def test_an_official_records_an_inspection_with_a_follow_up(official_client, official, initiative):
    response = official_client.post(
        _log(initiative),
        {
            "kind": "inspection",
            "happened_on": "2023-03-01",
            "note": "Còn 3 hộ để xe trên vỉa hè",
            "follow_up_due": "2023-03-10",
        },
        follow=True,
    )
    activity = OversightActivity.objects.get()
    assert (activity.initiative, activity.by, activity.follow_up_due) == (
        initiative,
        official,
        dt.date(2023, 3, 10),
    )
    html = response.content.decode()
    assert "Đã ghi lại" in html and "Còn 3 hộ để xe trên vỉa hè" in html


def test_a_follow_up_before_the_activity_is_refused_and_the_input_kept(official_client, initiative):
    response = official_client.post(
        _log(initiative),
        {
            "kind": "reminder",
            "happened_on": "10/03/2023",
            "note": "Nhắc nhở đổ rác đúng giờ",
            "follow_up_due": "01/03/2023",
        },
    )
    html = response.content.decode()
    assert not OversightActivity.objects.exists()
    assert "Hạn xử lý tiếp phải từ ngày 10/03/2023 trở đi." in html
    assert "Nhắc nhở đổ rác đúng giờ" in html


def test_an_official_resolves_a_follow_up_once(official_client, official, initiative):
    activity = OversightActivity.objects.create(
        initiative=initiative,
        kind="urging",
        happened_on=dt.date(2023, 3, 1),
        note="Đôn đốc",
        follow_up_due=dt.date(2023, 3, 5),
    )
    url = reverse("workspace:oversight-resolve", args=[activity.pk])
    response = official_client.post(url, follow=True)
    assert "Đã đánh dấu xử lý xong" in response.content.decode()
    activity.refresh_from_db()
    assert activity.resolved
    last = activity.history.first()
    assert (last.history_user, last.history_change_reason) == (official, "resolve")
    response = official_client.post(url, follow=True)
    assert "đã được đánh dấu xử lý xong" in response.content.decode()
    assert activity.history.count() == 2


def test_resolving_needs_the_permission(committee_member, initiative):
    activity = OversightActivity.objects.create(
        initiative=initiative, kind="urging", happened_on=dt.date(2023, 3, 1), note="x"
    )
    with pytest.raises(workflow.WorkflowError) as exc:
        workflow.oversight_resolve(activity=activity, by=committee_member)
    assert exc.value.code == "permission"
    activity.refresh_from_db()
    assert not activity.resolved


def test_the_committee_reads_the_log_but_cannot_add_or_resolve(committee_client, initiative):
    OversightActivity.objects.create(
        initiative=initiative,
        kind="urging",
        happened_on=dt.date(2023, 3, 1),
        note="Đôn đốc các hộ",
        follow_up_due=dt.date(2023, 3, 5),
    )
    html = committee_client.get(_log(initiative)).content.decode()
    assert "Đôn đốc các hộ" in html
    assert "Ghi lại hoạt động mới" not in html and "Đánh dấu đã xử lý xong" not in html
    response = committee_client.post(
        _log(initiative), {"kind": "urging", "happened_on": "2023-03-01", "note": "x"}
    )
    assert response.status_code == 403
    assert OversightActivity.objects.count() == 1
