"""Correcting a ledger entry in one step: reversed and replaced together, linked both ways."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from campaigns import append_only, workflow
from campaigns.models import ContributionKind, Donation, Expense, Pledge
from campaigns.queries import initiative_ledger_totals
from registry.workflow import WorkflowError
from tests import factories
from tests.campaigns.factories import make_contributor, make_donation, make_expense, make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative():
    return factories.make_initiative("Đường hoa")


@pytest.fixture
def contributor():
    return make_contributor("Hộ ông Nguyễn Văn A")


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _donation_values(donation, **changes):
    values = workflow.correction_initial(donation)
    values.update(changes)
    return values


def test_a_corrected_donation_is_reversed_and_replaced_with_the_same_receipt_number(
    official, initiative, contributor
):
    wrong = make_donation(
        initiative=initiative, contributor=contributor, amount=2, receipt_number="BN-0007"
    )
    new = workflow.donation_correct(
        donation=wrong,
        by=official,
        reason="Gõ nhầm số tiền",
        **_donation_values(wrong, amount=2_000_000),
    )
    wrong = Donation.objects.get(pk=wrong.pk)
    assert wrong.has_reversal and wrong.reversal.amount == -2
    assert wrong.reversal.reason == "Gõ nhầm số tiền"
    assert (new.receipt_number, new.amount, new.corrects) == ("BN-0007", 2_000_000, wrong)
    assert wrong.corrected_by == new
    assert new.recorded_by == official
    assert initiative_ledger_totals(initiative)["received"] == 2_000_000


def test_a_correction_that_fails_a_check_leaves_the_ledger_as_it_was(
    official, initiative, contributor
):
    wrong = make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-1")
    make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-2")
    with pytest.raises(workflow.LedgerEntryError) as caught:
        workflow.donation_correct(
            donation=wrong,
            by=official,
            reason="Sai số",
            **_donation_values(wrong, receipt_number="BN-2"),
        )
    assert caught.value.code == "duplicate_number"
    assert Donation.objects.count() == 2
    assert not Donation.objects.get(pk=wrong.pk).has_reversal


def test_an_entry_is_corrected_once_and_a_reversal_never(official, initiative, contributor):
    wrong = make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-1")
    workflow.donation_correct(donation=wrong, by=official, reason="Sai", **_donation_values(wrong))
    with pytest.raises(WorkflowError, match="đã được điều chỉnh"):
        workflow.donation_correct(
            donation=wrong, by=official, reason="Lại", **_donation_values(wrong)
        )
    reversal = Donation.objects.get(reverses=wrong)
    with pytest.raises(WorkflowError, match="không thể sửa tiếp"):
        workflow.donation_correct(
            donation=reversal, by=official, reason="Lại", **_donation_values(wrong)
        )
    assert Donation.objects.count() == 3


def test_a_correction_can_itself_be_corrected_keeping_the_number(official, initiative, contributor):
    first = make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-1")
    second = workflow.donation_correct(
        donation=first, by=official, reason="Sai 1", **_donation_values(first, amount=3_000)
    )
    third = workflow.donation_correct(
        donation=second, by=official, reason="Sai 2", **_donation_values(second, amount=4_000)
    )
    assert (third.receipt_number, third.corrects, second.corrects) == ("BN-1", second, first)
    assert list(Donation.objects.standing()) == [third]


def test_an_expense_is_corrected_the_same_way(official, initiative):
    wrong = make_expense(initiative=initiative, amount=400, voucher_number="PC-1")
    new = workflow.expense_correct(
        expense=wrong,
        by=official,
        reason="Thiếu ba số 0",
        **{**workflow.correction_initial(wrong), "amount": 400_000},
    )
    assert (new.voucher_number, new.amount, new.corrects_id) == ("PC-1", 400_000, wrong.pk)
    assert Expense.objects.get(pk=wrong.pk).has_reversal
    assert initiative_ledger_totals(initiative)["spent"] == 400_000


def test_a_pledge_is_cancelled_and_replaced_linked_both_ways(official, initiative, contributor):
    wrong = make_pledge(initiative=initiative, contributor=contributor, value=2)
    new = workflow.pledge_correct(
        pledge=wrong,
        by=official,
        reason="Gõ nhầm giá trị",
        **{**workflow.correction_initial(wrong), "value": 2_000_000},
    )
    wrong.refresh_from_db()
    assert wrong.cancelled and wrong.cancel_reason == "Gõ nhầm giá trị"
    assert (new.value, new.corrects, wrong.corrected_by) == (2_000_000, wrong, new)


def test_a_pledge_with_money_received_is_not_corrected_by_cancelling_it(
    official, initiative, contributor
):
    pledge = make_pledge(initiative=initiative, contributor=contributor, value=2_000_000)
    make_donation(initiative=initiative, contributor=contributor, pledge=pledge, amount=500_000)
    with pytest.raises(WorkflowError, match="đã nhận 500.000"):
        workflow.pledge_correct(
            pledge=pledge, by=official, reason="Sai", **workflow.correction_initial(pledge)
        )
    pledge.refresh_from_db()
    assert not pledge.cancelled and Pledge.objects.count() == 1


# --- the database ------------------------------------------------------------------------------


def test_the_database_counts_receipt_numbers_only_among_entries_not_reversed(
    official, initiative, contributor
):
    original = make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-9")
    fields = {
        "initiative": initiative,
        "contributor": contributor,
        "kind": ContributionKind.CASH,
        "amount": 1_000,
        "received_on": date(2024, 1, 1),
        "counted_on": date(2024, 1, 1),
        "receipt_number": "BN-9",
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(**fields)
    workflow.donation_reverse(donation=original, by=official, reason="Sai")
    # The reversal's insert marked the original: its number is free for the correction.
    assert Donation.objects.get(pk=original.pk).has_reversal
    Donation.objects.create(**fields, corrects=original)
    with pytest.raises(IntegrityError), transaction.atomic():
        Donation.objects.create(**{**fields, "receipt_number": "BN-9"})


def test_the_database_refuses_to_unmark_or_falsely_mark_a_reversed_entry(
    official, initiative, contributor
):
    reversed_entry = make_donation(initiative=initiative, contributor=contributor)
    workflow.donation_reverse(donation=reversed_entry, by=official, reason="Sai")
    standing = make_donation(initiative=initiative, contributor=contributor)
    for sql, pk in (
        (
            "UPDATE campaigns_donation SET has_reversal = %s WHERE id = %s",
            (False, reversed_entry.pk),
        ),
        ("UPDATE campaigns_donation SET has_reversal = %s WHERE id = %s", (True, standing.pk)),
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            _raw(sql, pk)
    assert not Donation.objects.get(pk=standing.pk).has_reversal
    assert Donation.objects.get(pk=reversed_entry.pk).has_reversal


def test_the_database_refuses_a_correction_of_an_entry_not_reversed(initiative, contributor):
    standing = make_donation(initiative=initiative, contributor=contributor)
    with pytest.raises(IntegrityError, match="only correct a reversed"), transaction.atomic():
        Donation.objects.create(
            initiative=initiative,
            contributor=contributor,
            kind=ContributionKind.CASH,
            amount=1_000,
            received_on=date(2024, 1, 1),
            counted_on=date(2024, 1, 1),
            receipt_number="BN-NEW",
            corrects=standing,
        )


def test_every_guard_trigger_is_installed_with_the_correction_ones():
    names = append_only.trigger_names(connection.vendor)
    assert "campaigns_donation_append_only_mark" in names["campaigns_donation"]
    assert append_only.installed() == names


# --- the workspace -----------------------------------------------------------------------------


def test_sua_khoan_nay_opens_the_entry_pre_filled_and_saving_replaces_it(
    official_client, initiative, contributor
):
    wrong = make_donation(
        initiative=initiative,
        contributor=contributor,
        amount=2,
        receipt_number="BN-0007",
        description="Ủng hộ mua chậu hoa",
    )
    ledger = official_client.get(reverse("workspace:ledger", args=[initiative.pk]))
    url = reverse("workspace:donation-correct", args=[wrong.pk])
    assert f'href="{url}"' in ledger.content.decode()
    page = official_client.get(url).content.decode()
    for value in ('value="BN-0007"', 'value="2"', 'value="Ủng hộ mua chậu hoa"'):
        assert value in page
    response = official_client.post(
        url,
        {
            "donation-contributor": str(contributor.pk),
            "donation-kind": "cash",
            "donation-amount": "2.000.000",
            "donation-received_on": wrong.received_on.isoformat(),
            "donation-receipt_number": "BN-0007",
            "donation-description": "Ủng hộ mua chậu hoa",
            "donation-reason": "Gõ nhầm số tiền",
        },
    )
    new = Donation.objects.get(corrects=wrong)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#donation-{new.pk}")
    assert new.amount == 2_000_000 and new.receipt_number == "BN-0007"
    html = official_client.get(response["Location"]).content.decode()
    assert "Đã sửa thành" in html and "Sửa cho khoản" in html
    assert f'href="#donation-{new.pk}"' in html and f'href="#donation-{wrong.pk}"' in html


def test_a_correction_form_with_an_error_changes_nothing_and_keeps_the_input(
    official_client, initiative, contributor
):
    wrong = make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-1")
    url = reverse("workspace:donation-correct", args=[wrong.pk])
    response = official_client.post(
        url,
        {
            "donation-contributor": str(contributor.pk),
            "donation-kind": "cash",
            "donation-amount": "2.000000",
            "donation-received_on": wrong.received_on.isoformat(),
            "donation-receipt_number": "BN-1",
            "donation-reason": "",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="2.000000"' in html and "phải đủ 3 chữ số" in html
    assert Donation.objects.count() == 1


def test_correcting_needs_both_permissions(client, initiative, contributor):
    wrong = make_donation(initiative=initiative, contributor=contributor)
    client.force_login(factories.make_user("nguoidan"))
    url = reverse("workspace:donation-correct", args=[wrong.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"amount": "7.000", "received_on": "2023-04-10", "reason": "Sai"})
    assert response.status_code == 403
    wrong.refresh_from_db()
    assert not wrong.has_reversal
    assert Donation.objects.filter(initiative=initiative).count() == 1


def test_the_admin_shows_both_links_of_a_correction(
    admin_client, official, initiative, contributor
):
    wrong = make_donation(initiative=initiative, contributor=contributor, receipt_number="BN-5")
    new = workflow.donation_correct(
        donation=wrong, by=official, reason="Sai", **_donation_values(wrong, amount=7_000)
    )
    old_page = admin_client.get(reverse("admin:campaigns_donation_change", args=[wrong.pk]))
    assert str(new) in old_page.content.decode()
    new_page = admin_client.get(reverse("admin:campaigns_donation_change", args=[new.pk]))
    assert "sửa cho khoản" in new_page.content.decode().lower()
    assert str(wrong) in new_page.content.decode()
