"""Two officials reversing the same donation at the same moment produce one reversal."""

import threading

import pytest
from django.db import close_old_connections, connections

from campaigns import workflow
from campaigns.models import Donation
from registry.workflow import WorkflowError
from tests import factories
from tests.campaigns.factories import make_donation


@pytest.mark.postgresql(
    reason="needs row locks and concurrent connections: SQLite serialises whole-database "
    "writes, so this race only exists (and is only tested) on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_reversals_of_one_donation_produce_exactly_one():
    # Superusers: this transactional test's data is flushed afterwards, groups included.
    first = factories.make_user("canbo_a", is_superuser=True, is_staff=True)
    second = factories.make_user("canbo_b", is_superuser=True, is_staff=True)
    donation = make_donation(amount=4_000_000)
    barrier = threading.Barrier(2, timeout=10)
    outcomes = []

    def reverse(user):
        try:
            close_old_connections()  # each thread opens its own database connection
            barrier.wait()
            workflow.donation_reverse(
                donation=Donation.objects.get(pk=donation.pk), by=user, reason="Ghi nhầm"
            )
            outcomes.append("reversed")
        except WorkflowError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reverse, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["already_reversed", "reversed"]
    assert Donation.objects.filter(reverses=donation).count() == 1
    assert Donation.objects.count() == 2
