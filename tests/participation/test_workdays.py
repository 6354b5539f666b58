"""Due dates know Vietnam: weekends, public holidays (Tết 2027 included) and the ward's own
days off are not working days."""

import datetime as dt

import pytest
from django.utils import timezone

from participation import workflow
from participation.models import DayOff
from participation.workdays import add_working_days, is_working_day
from tests import factories
from tests.participation.factories import make_feedback

pytestmark = pytest.mark.django_db

# Tết Đinh Mùi: the state's break runs from Thursday 4 to Wednesday 10 February 2027.
TET_2027 = [dt.date(2027, 2, day) for day in range(4, 11)]


def test_tet_2027_and_other_public_holidays_are_not_working_days():
    assert not any(is_working_day(day) for day in TET_2027)
    assert not is_working_day(dt.date(2027, 4, 30))  # Reunification Day
    assert not is_working_day(dt.date(2027, 9, 2))  # National Day
    assert is_working_day(dt.date(2027, 2, 3)) and is_working_day(dt.date(2027, 2, 11))


def test_due_dates_jump_over_tet_2027():
    wednesday_before_tet = dt.date(2027, 2, 3)
    assert add_working_days(wednesday_before_tet, 1) == dt.date(2027, 2, 11)
    # 10 working days from 1 February: 2, 3, then Tết, then 11, 12, 15, 16, 17, 18, 19, 22.
    assert add_working_days(dt.date(2027, 2, 1), 10) == dt.date(2027, 2, 22)


def test_a_day_off_added_by_the_ward_is_skipped():
    assert add_working_days(dt.date(2027, 3, 1), 1) == dt.date(2027, 3, 2)
    DayOff.objects.create(date=dt.date(2027, 3, 2), reason="Lễ hội truyền thống của phường")
    assert add_working_days(dt.date(2027, 3, 1), 1) == dt.date(2027, 3, 3)


def test_feedback_received_before_tet_is_due_after_it(monkeypatch):
    official = factories.make_official("canbo")
    feedback = make_feedback()
    received = timezone.make_aware(dt.datetime(2027, 2, 1, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: received)
    workflow.feedback_receive(feedback=feedback, by=official)
    feedback.refresh_from_db()
    assert feedback.due_on == dt.date(2027, 2, 22)


def test_the_wards_days_off_are_edited_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/participation/dayoff/add/", {"date": "2027-03-02", "reason": "Lễ hội"}
    )
    assert response.status_code == 302
    assert DayOff.objects.get().date == dt.date(2027, 3, 2)
