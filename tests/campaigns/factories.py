"""Ledger factories: real rows written straight through the ORM (the workflow is tested apart)."""

import itertools
from datetime import date

from campaigns.models import (
    ContributionKind,
    Contributor,
    ContributorKind,
    Donation,
    Expense,
    Pledge,
)
from tests import factories

_seq = itertools.count(1)


def make_contributor(
    name=None,
    *,
    kind=ContributorKind.HOUSEHOLD,
    publish_name=False,
    publish_amount=False,
    **kwargs,
):
    return Contributor.objects.create(
        name=name or f"Hộ gia đình số {next(_seq)}",
        kind=kind,
        publish_name=publish_name,
        publish_amount=publish_amount,
        **kwargs,
    )


def make_pledge(
    *,
    initiative=None,
    contributor=None,
    value=1_000_000,
    kind=ContributionKind.CASH,
    pledged_on=date(2023, 3, 1),
    **kwargs,
):
    return Pledge.objects.create(
        initiative=initiative or factories.make_initiative(),
        contributor=contributor or make_contributor(),
        value=value,
        kind=kind,
        pledged_on=pledged_on,
        **kwargs,
    )


def make_donation(
    *,
    initiative=None,
    contributor=None,
    amount=1_000_000,
    kind=ContributionKind.CASH,
    received_on=date(2023, 4, 1),
    receipt_number=None,
    **kwargs,
):
    return Donation.objects.create(
        initiative=initiative or factories.make_initiative(),
        contributor=contributor or make_contributor(),
        amount=amount,
        kind=kind,
        received_on=received_on,
        receipt_number=receipt_number or f"BN-{next(_seq):05d}",
        **{"counted_on": received_on, **kwargs},
    )


def make_expense(
    *,
    initiative=None,
    amount=500_000,
    description="Mua chậu hoa giấy",
    spent_on=date(2023, 4, 5),
    voucher_number=None,
    **kwargs,
):
    return Expense.objects.create(
        initiative=initiative or factories.make_initiative(),
        amount=amount,
        description=description,
        spent_on=spent_on,
        voucher_number=voucher_number or f"PC-{next(_seq):05d}",
        **{"counted_on": spent_on, **kwargs},
    )
