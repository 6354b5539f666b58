"""Sums typed with dots in the workspace are saved in full, or refused with the input kept."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Donation, Expense, Pledge
from registry.models import Initiative
from tests.campaigns.factories import make_contributor
from tests.factories import make_initiative

from .helpers import initiative_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi")


def _today():
    return timezone.localdate().isoformat()


def test_a_funding_target_typed_with_dots_is_saved_in_full(official_client):
    data = initiative_post_data(funding_target="60.000.000")
    response = official_client.post(reverse("workspace:initiative-create"), data)
    assert response.status_code == 302
    assert Initiative.objects.get(code="DVK-2023-01").funding_target == 60_000_000


def test_an_ambiguous_funding_target_is_refused_and_kept_as_typed(official_client):
    data = initiative_post_data(funding_target="60.000000")
    response = official_client.post(reverse("workspace:initiative-create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Initiative.objects.filter(code="DVK-2023-01").exists()
    assert "phải đủ 3 chữ số" in html
    assert 'value="60.000000"' in html


@pytest.mark.parametrize(
    "typed",
    ["2.000.000", "2 000 000", "2\u00a0000\u00a0000", "2000000", "2.000.000 ₫", "2.000.000đ"],
)
def test_a_pledge_typed_the_vietnamese_way_is_saved_in_full(official_client, initiative, typed):
    contributor = make_contributor("Hộ ông Nguyễn Văn An")
    response = official_client.post(
        reverse("workspace:pledge-record", args=[initiative.pk]),
        {
            "pledge-contributor": str(contributor.pk),
            "pledge-kind": "cash",
            "pledge-value": typed,
            "pledge-pledged_on": _today(),
        },
    )
    assert response.status_code == 302
    assert Pledge.objects.get().value == 2_000_000


@pytest.mark.parametrize("typed", ["2.000000", "2,5", "2.00.000", "-2.000.000"])
def test_an_ambiguous_donation_is_refused_nothing_saved_and_the_input_kept(
    official_client, initiative, typed
):
    contributor = make_contributor("Hộ ông Nguyễn Văn An")
    response = official_client.post(
        reverse("workspace:donation-record", args=[initiative.pk]),
        {
            "donation-contributor": str(contributor.pk),
            "donation-kind": "cash",
            "donation-amount": typed,
            "donation-received_on": _today(),
            "donation-receipt_number": "BN-0001",
        },
    )
    assert response.status_code == 200
    assert not Donation.objects.exists()
    form = response.context["forms"]["donation"]
    assert form.errors["amount"]
    html = response.content.decode()
    assert f'value="{typed}"' in html
    assert 'value="BN-0001"' in html


def test_a_sum_sent_back_with_another_error_is_kept_as_typed_with_its_reading(
    official_client, initiative
):
    response = official_client.post(
        reverse("workspace:expense-record", args=[initiative.pk]),
        {
            "expense-description": "",
            "expense-amount": "1500000",
            "expense-spent_on": _today(),
            "expense-voucher_number": "PC-01",
        },
    )
    assert not Expense.objects.exists()
    html = response.content.decode()
    assert 'value="1500000"' in html  # as typed
    assert "= 1.500.000\u00a0₫" in html
    assert 'inputmode="numeric"' in html and "js/money.js" in html
