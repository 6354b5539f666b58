"""The ledger in the admin: entries are added through the workflow, read-only afterwards."""

from datetime import date

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from campaigns.models import Donation, Expense, Pledge, PledgeState
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge

pytestmark = pytest.mark.django_db


def _donation_post(initiative, contributor, **overrides):
    data = {
        "initiative": initiative.pk,
        "contributor": contributor.pk,
        "pledge": "",
        "kind": "cash",
        "description": "Tiền mua chậu hoa",
        "quantity": "",
        "unit": "",
        "amount": "5000000",
        "received_on": "01/04/2023",
        "receipt_number": "BN-ADMIN-1",
    }
    data.update(overrides)
    return data


def test_an_official_adds_a_donation_in_the_admin(official_client, official):
    initiative = factories.make_initiative()
    contributor = make_contributor()
    response = official_client.post(
        reverse("admin:campaigns_donation_add"), _donation_post(initiative, contributor)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    donation = Donation.objects.get()
    assert donation.amount == 5_000_000
    assert donation.received_on == date(2023, 4, 1)
    assert donation.recorded_by == official


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "0"}, "Số tiền phải lớn hơn 0"),
        ({"amount": "50000000000"}, "vượt mức tối đa"),
        ({"received_on": "01/01/2999"}, "chưa tới"),
        ({"kind": "labour"}, "cần ghi số lượng"),
    ],
)
def test_the_admin_form_explains_bad_input(official_client, overrides, message):
    initiative = factories.make_initiative()
    contributor = make_contributor()
    response = official_client.post(
        reverse("admin:campaigns_donation_add"),
        _donation_post(initiative, contributor, **overrides),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Donation.objects.exists()


def test_the_admin_form_refuses_a_duplicate_receipt_number(official_client):
    initiative = factories.make_initiative()
    contributor = make_contributor()
    make_donation(receipt_number="BN-ADMIN-1")
    response = official_client.post(
        reverse("admin:campaigns_donation_add"), _donation_post(initiative, contributor)
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Donation.objects.count() == 1


def test_the_admin_form_refuses_a_cancelled_pledge(official_client, official):
    from campaigns import workflow

    pledge = make_pledge()
    workflow.pledge_cancel(pledge=pledge, by=official, reason="rút")
    response = official_client.post(
        reverse("admin:campaigns_donation_add"),
        _donation_post(pledge.initiative, pledge.contributor, pledge=pledge.pk),
    )
    assert "Cam kết này đã hủy" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_donation_cannot_be_changed_or_deleted_in_the_admin(admin_client):
    donation = make_donation(amount=1_000_000)
    change_url = reverse("admin:campaigns_donation_change", args=[donation.pk])
    response = admin_client.get(change_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="amount"' not in html  # read-only view
    response = admin_client.post(change_url, {"amount": "9"})
    assert response.status_code == 403
    response = admin_client.post(
        reverse("admin:campaigns_donation_delete", args=[donation.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    changelist = admin_client.get(reverse("admin:campaigns_donation_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    donation.refresh_from_db()
    assert donation.amount == 1_000_000


def test_an_expense_cannot_be_changed_or_deleted_in_the_admin(admin_client):
    expense = make_expense()
    response = admin_client.post(
        reverse("admin:campaigns_expense_delete", args=[expense.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Expense.objects.filter(pk=expense.pk).exists()


def test_the_committee_sees_the_ledger_but_cannot_reverse(committee_client):
    donation = make_donation(amount=3_000_000)
    url = reverse("admin:campaigns_donation_changelist")
    response = committee_client.get(url)
    assert response.status_code == 200
    assert "reverse_selected" not in response.content.decode()
    committee_client.post(
        url,
        {
            "action": "reverse_selected",
            ACTION_CHECKBOX_NAME: [donation.pk],
            "apply": "1",
            "reason": "thử",
        },
    )
    assert not Donation.objects.filter(reverses=donation).exists()
    response = committee_client.get(reverse("admin:campaigns_donation_add"))
    assert response.status_code == 403


def test_contributors_are_searchable_by_name_and_phone(official_client):
    make_contributor("Hộ bà Phạm Thị Mai", phone="0905123456")
    make_contributor("Hộ ông Hoàng Văn Nam", phone="0987000111")
    url = reverse("admin:campaigns_contributor_changelist")
    by_phone = official_client.get(url, {"q": "0905123"}).content.decode()
    assert "Phạm Thị Mai" in by_phone and "Hoàng Văn Nam" not in by_phone
    by_name = official_client.get(url, {"q": "Hoàng Văn"}).content.decode()
    assert "Hoàng Văn Nam" in by_name and "Phạm Thị Mai" not in by_name


def test_the_pledge_list_shows_derived_states_and_cancels_with_a_reason(official_client):
    pledge = make_pledge(value=1_000_000, due_on=date(2099, 1, 1))
    make_donation(
        initiative=pledge.initiative, contributor=pledge.contributor, pledge=pledge, amount=1
    )
    url = reverse("admin:campaigns_pledge_changelist")
    assert str(PledgeState.PARTLY_RECEIVED.label) in official_client.get(url).content.decode()
    official_client.post(
        url,
        {
            "action": "cancel_selected",
            ACTION_CHECKBOX_NAME: [pledge.pk],
            "apply": "1",
            "reason": "Hộ rút cam kết",
        },
    )
    pledge = Pledge.objects.get(pk=pledge.pk)
    assert pledge.cancelled and pledge.cancel_reason == "Hộ rút cam kết"


def test_a_donation_shows_its_reversal_in_the_admin(admin_client, admin_user):
    from campaigns import workflow

    donation = make_donation(amount=3_000_000, receipt_number="BN-XEM")
    workflow.donation_reverse(donation=donation, by=admin_user, reason="Sai hộ")
    html = admin_client.get(
        reverse("admin:campaigns_donation_change", args=[donation.pk])
    ).content.decode()
    # The original's page links the reversing entry ("điều chỉnh: -3.000.000 ₫").
    assert "điều chỉnh: -3.000.000" in html


def test_an_official_records_a_pledge_in_the_admin(official_client, official):
    initiative = factories.make_initiative()
    contributor = make_contributor()
    add_url = reverse("admin:campaigns_pledge_add")
    assert 'name="value"' in official_client.get(add_url).content.decode()
    response = official_client.post(
        add_url,
        {
            "initiative": initiative.pk,
            "contributor": contributor.pk,
            "kind": "labour",
            "description": "Công trồng hoa",
            "quantity": "5",
            "unit": "ngày công",
            "value": "1500000",
            "pledged_on": "01/03/2023",
            "due_on": "01/05/2023",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    pledge = Pledge.objects.get()
    assert pledge.value == 1_500_000
    assert pledge.recorded_by == official
    assert pledge.history.count() == 1
