"""Dates of "when did it happen" default to today, in the ward's time zone."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.forms import MilestoneForm, OversightActivityForm
from tests.factories import make_initiative, make_milestone

pytestmark = pytest.mark.django_db

# 18:30 UTC on 30 April is 01:30 on 1 May in Việt Nam (UTC+7).
LATE_EVENING_UTC = dt.datetime(2023, 4, 30, 18, 30, tzinfo=dt.UTC)


def test_a_new_inspection_is_dated_today(official_client):
    initiative = make_initiative()
    page = official_client.get(reverse("workspace:oversight", args=[initiative.pk]))
    today = timezone.localdate().isoformat()
    assert f'name="happened_on" value="{today}"' in page.content.decode()


def test_a_new_milestone_is_dated_today(official_client):
    initiative = make_initiative()
    page = official_client.get(reverse("workspace:milestone-list", args=[initiative.pk]))
    today = timezone.localdate().isoformat()
    assert f'name="occurred_on" value="{today}"' in page.content.decode()


def test_today_is_the_ward_s_day_not_the_server_s_utc_day():
    with mock.patch("django.utils.timezone.now", return_value=LATE_EVENING_UTC):
        assert OversightActivityForm()["happened_on"].value() == dt.date(2023, 5, 1)
        assert MilestoneForm()["occurred_on"].value() == dt.date(2023, 5, 1)


def test_an_existing_milestone_keeps_its_own_date():
    milestone = make_milestone(make_initiative(), occurred_on=dt.date(2023, 4, 1))
    assert MilestoneForm(instance=milestone)["occurred_on"].value() == dt.date(2023, 4, 1)
