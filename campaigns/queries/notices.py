"""The monthly public notice (bảng công khai) of one model: what came in and went out in a
month, and the cash left, as the ward posts it on its notice board.

Entries count in the month of their ``counted_on`` date, as the reports count them: a
reversal counts in its original's month, so a corrected month shows the corrected figures.
The balance is cash only (cash received minus money spent; in-kind gifts, labour-days and
land are valued but are not money in hand), from the model's first entry up to the last day
of the month; the opening balance is the same up to the day before the month.

Like the model page, only consenting contributors are named, and their amount only where
they consented to that too; everyone else is counted ("12 hộ"). Only explicit columns leave
the database. Five queries, whatever the number of entries.
"""

import calendar
from datetime import date

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from registry.models import Initiative

from ..models import ContributionKind, Contributor, ContributorKind, Donation, Expense


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of the month; ValueError for a month that does not exist."""
    first = date(year, month, 1)
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _sum(condition: Q):
    return Coalesce(Sum("amount", filter=condition), Value(0), output_field=IntegerField())


def public_monthly_notice(initiative: Initiative, year: int, month: int) -> dict:
    """The figures, contributors and expenses of ``initiative``'s notice for one month."""
    first, last = month_bounds(year, month)
    before = Q(counted_on__lt=first)
    within = Q(counted_on__gte=first, counted_on__lte=last)
    cash = Q(kind=ContributionKind.CASH)
    donations = Donation.objects.filter(initiative=initiative).order_by()
    received = donations.aggregate(
        cash_before=_sum(before & cash),
        cash=_sum(within & cash),
        valued=_sum(within & ~cash),
        donors=Count(
            "contributor",
            distinct=True,
            filter=within & Q(reverses__isnull=True, reversal__isnull=True),
        ),
    )
    spent = (
        Expense.objects.filter(initiative=initiative)
        .order_by()
        .aggregate(before=_sum(before), within=_sum(within))
    )
    opening = received["cash_before"] - spent["before"]
    named = _named_contributors(initiative, first, last)
    expenses = list(
        Expense.objects.standing()
        .filter(initiative=initiative, counted_on__gte=first, counted_on__lte=last)
        .order_by("spent_on", "pk")
        .values("spent_on", "description", "voucher_number", "amount")
    )
    return {
        "first_day": first,
        "last_day": last,
        "opening_balance": opening,
        "received_cash": received["cash"],
        "received_valued": received["valued"],
        "received": received["cash"] + received["valued"],
        "spent": spent["within"],
        "closing_balance": opening + received["cash"] - spent["within"],
        "named": named,
        "unnamed_count": max(received["donors"] - len(named), 0),
        "expenses": expenses,
    }


def _named_contributors(initiative: Initiative, first: date, last: date) -> list[dict]:
    """Contributors of the month who consented to be named, with their month's net total
    where they consented to that too; only name, kind and that total leave the database."""
    rows = (
        Contributor.objects.filter(
            publish_name=True,
            donations__initiative=initiative,
            donations__counted_on__gte=first,
            donations__counted_on__lte=last,
        )
        .annotate(total=Sum("donations__amount"))
        .filter(total__gt=0)
        .order_by("-total", "name", "pk")
        .values("name", "kind", "publish_amount", "total")
    )
    labels = dict(ContributorKind.choices)
    return [
        {
            "name": row["name"],
            "kind": labels.get(row["kind"], ""),
            "amount": row["total"] if row["publish_amount"] else None,
        }
        for row in rows
    ]
