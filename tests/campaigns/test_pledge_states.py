"""A pledge's state is derived from its donations and dates, never stored."""

from datetime import date

import pytest
from django.db import connection

from campaigns import workflow
from campaigns.models import Pledge, PledgeState
from registry.workflow import WorkflowError
from tests.campaigns.factories import make_donation, make_pledge

pytestmark = pytest.mark.django_db

TODAY = date(2023, 5, 1)


def _give(pledge, amount):
    return make_donation(
        initiative=pledge.initiative,
        contributor=pledge.contributor,
        pledge=pledge,
        amount=amount,
    )


def test_a_pledge_without_donations_is_open():
    pledge = make_pledge(value=1_000_000, due_on=date(2023, 6, 1))
    assert pledge.state(TODAY) == PledgeState.OPEN


def test_a_pledge_partly_given_is_partly_received():
    pledge = make_pledge(value=1_000_000, due_on=date(2023, 6, 1))
    _give(pledge, 400_000)
    assert pledge.state(TODAY) == PledgeState.PARTLY_RECEIVED
    assert pledge.received() == 400_000


def test_a_pledge_given_in_full_is_fulfilled_even_after_its_due_date():
    pledge = make_pledge(value=1_000_000, due_on=date(2023, 4, 1))
    _give(pledge, 600_000)
    _give(pledge, 400_000)
    assert pledge.state(TODAY) == PledgeState.FULFILLED


def test_a_pledge_not_given_in_full_by_its_due_date_is_overdue():
    pledge = make_pledge(value=1_000_000, due_on=date(2023, 4, 30))
    _give(pledge, 400_000)
    assert pledge.state(TODAY) == PledgeState.OVERDUE
    assert pledge.state(date(2023, 4, 30)) == PledgeState.PARTLY_RECEIVED


def test_a_reversed_donation_no_longer_counts_towards_the_pledge(official):
    pledge = make_pledge(value=1_000_000, due_on=date(2023, 6, 1))
    donation = _give(pledge, 1_000_000)
    assert pledge.state(TODAY) == PledgeState.FULFILLED
    workflow.donation_reverse(donation=donation, by=official, reason="Ghi nhầm")
    assert pledge.state(TODAY) == PledgeState.OPEN


def test_a_cancelled_pledge_stays_cancelled_with_its_reason(official):
    pledge = make_pledge(value=1_000_000)
    _give(pledge, 200_000)
    workflow.pledge_cancel(pledge=pledge, by=official, reason="Hộ chuyển đi nơi khác")
    pledge.refresh_from_db()
    assert pledge.state(TODAY) == PledgeState.CANCELLED
    assert pledge.cancel_reason == "Hộ chuyển đi nơi khác"
    assert pledge.cancelled_at is not None
    assert pledge.history.first().history_change_reason == "Hộ chuyển đi nơi khác"


def test_cancelling_twice_or_without_reason_or_permission_is_refused(official, committee_member):
    pledge = make_pledge()
    with pytest.raises(WorkflowError) as exc:
        workflow.pledge_cancel(pledge=pledge, by=official, reason="")
    assert exc.value.code == "reason_required"
    with pytest.raises(WorkflowError) as exc:
        workflow.pledge_cancel(pledge=pledge, by=committee_member, reason="rút")
    assert exc.value.code == "permission"
    workflow.pledge_cancel(pledge=pledge, by=official, reason="rút")
    with pytest.raises(WorkflowError) as exc:
        workflow.pledge_cancel(pledge=pledge, by=official, reason="rút lần nữa")
    assert exc.value.code == "already_cancelled"


def test_states_of_many_pledges_come_from_one_query(django_assert_num_queries):
    pledges = [make_pledge(value=1_000_000, due_on=date(2023, 6, 1)) for _ in range(3)]
    _give(pledges[0], 1_000_000)
    _give(pledges[1], 1)
    with django_assert_num_queries(1):
        states = [p.state(TODAY) for p in Pledge.objects.with_received().order_by("pk")]
    assert states == [PledgeState.FULFILLED, PledgeState.PARTLY_RECEIVED, PledgeState.OPEN]


def test_recording_a_pledge_checks_its_value_and_dates(official):
    base = make_pledge()
    fields = {
        "initiative": base.initiative,
        "contributor": base.contributor,
        "kind": "cash",
        "value": 2_000_000,
        "pledged_on": date(2023, 3, 1),
        "by": official,
    }
    pledge = workflow.pledge_record(**fields, due_on=date(2023, 6, 1))
    assert pledge.recorded_by == official
    for bad, code in (
        ({"value": 0}, "amount_not_positive"),
        ({"due_on": date(2023, 2, 1)}, "due_before_pledged"),
        ({"pledged_on": date(2999, 1, 1)}, "date_in_future"),
    ):
        with pytest.raises(workflow.LedgerEntryError) as exc:
            workflow.pledge_record(**{**fields, **bad})
        assert exc.value.code == code


def test_the_overdue_pledges_query_follows_the_derived_states(official):
    """``queries.overdue_pledges`` (the dashboard's, walking an index) keeps exactly the
    pledges whose derived state is overdue, oldest due first, with the same net sum."""
    from campaigns.queries import overdue_pledges

    def pledge(due_on, value=1_000_000):
        return make_pledge(value=value, due_on=due_on)

    untouched = pledge(date(2023, 4, 10))
    partly = pledge(date(2023, 3, 20))
    _give(partly, 300_000)
    fulfilled = pledge(date(2023, 3, 1))
    _give(fulfilled, 600_000)
    _give(fulfilled, 400_000)
    over = pledge(date(2023, 3, 2))
    _give(over, 1_500_000)
    reversed_ = pledge(date(2023, 3, 20))  # same due date as ``partly``: then by pk
    donation = _give(reversed_, 1_000_000)
    workflow.donation_reverse(donation=donation, by=official, reason="Ghi nhầm")
    cancelled = pledge(date(2023, 3, 5))
    workflow.pledge_cancel(pledge=cancelled, by=official, reason="Hộ chuyển đi")
    due_today = pledge(TODAY)
    not_due = pledge(date(2023, 6, 1))
    no_due_date = pledge(None)

    rows = list(overdue_pledges(TODAY))
    assert [p.pk for p in rows] == [partly.pk, reversed_.pk, untouched.pk]
    assert [p.received_amount for p in rows] == [300_000, 0, 0]
    everything = [untouched, partly, fulfilled, over, reversed_, cancelled, due_today, not_due]
    everything.append(no_due_date)
    expected = {
        p.pk
        for p in Pledge.objects.with_received().filter(pk__in=[p.pk for p in everything])
        if p.state(TODAY) == PledgeState.OVERDUE
    }
    assert {p.pk for p in rows} == expected


@pytest.mark.postgresql(reason="PostgreSQL's planner only")
def test_the_overdue_pledges_query_walks_the_due_date_index_on_postgresql():
    from campaigns.queries import overdue_pledges

    for day in range(1, 29):
        make_pledge(value=1_000_000, due_on=date(2023, 3, day))
    queryset = overdue_pledges(TODAY).select_related("initiative", "contributor")[:21]
    with connection.cursor() as cursor:
        # A small table would be scanned and sorted whatever the indexes: tell the planner
        # not to, so that the plan shows which index serves the order.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()
    assert "pledge_due_idx" in plan
    assert "Sort" not in plan.replace("Sort Key", ""), plan
    assert len(list(queryset)) == 21
