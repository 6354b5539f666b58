"""The monthly public notice (bảng công khai) of one model: what came in and went out in a
month, and the cash left, as the ward posts it on its notice board.

Entries count in the month of their ``counted_on`` date, as the reports count them: a
reversal counts in its original's month, so a corrected month shows the corrected figures.
The balance is cash only (cash received minus money spent; in-kind gifts, labour-days and
land are valued but are not money in hand), from the model's first entry up to the last day
of the month; the opening balance is the same up to the day before the month.

Like the model page, only consenting contributors are named, and their amount only where
they consented to that too; everyone else is counted ("12 hộ"). A month's figure that would
give away one contributor's amount is withheld (None) by the rule the open data applies to
the same months (``disclosure``), and so is every balance from which it could be worked out.
Only explicit columns leave the database. Six queries, whatever the number of entries.
"""

import calendar
from datetime import date

from django.db.models import Count, IntegerField, Max, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from registry.models import Initiative

from ..models import ContributionKind, Contributor, ContributorKind, Donation, Expense
from .disclosure import min_hidden, model_disclosure
from .ledger import VALUED_KINDS


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
    closing = opening + received["cash"] - spent["within"]
    hidden = _withheld(initiative, first)
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
        "opening_balance": None if hidden["opening"] else opening,
        "received_cash": None if hidden["cash"] else received["cash"],
        "received_valued": None if hidden["valued"] else received["valued"],
        "spent": spent["within"],
        "closing_balance": None if hidden["closing"] else closing,
        "withheld": any(hidden.values()),
        "k": min_hidden(),
        "named": named,
        "unnamed_count": max(received["donors"] - len(named), 0),
        "expenses": expenses,
    }


def _withheld(initiative: Initiative, first: date) -> dict[str, bool]:
    """Which of the month's figures would give a non-consenting contributor's amount away,
    by the one rule (``disclosure``): the month's cash and valued rows are sums of that
    month's cells; a cash balance is the sum of every cash cell up to the end of a month (the
    expenses are public), so it is withheld while it holds part of a block. Two queries."""
    hidden = model_disclosure(initiative, with_cells=True)
    cash, valued = ContributionKind.CASH, set(VALUED_KINDS)
    return {
        "cash": hidden.figure_withheld(lambda month, kind: month == first and kind == cash),
        "valued": hidden.figure_withheld(lambda month, kind: month == first and kind in valued),
        "opening": hidden.figure_withheld(lambda month, kind: month < first and kind == cash),
        "closing": hidden.figure_withheld(lambda month, kind: month <= first and kind == cash),
    }


def months_with_entries_around(
    initiative: Initiative, year: int, month: int, until: date
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(year, month) of the nearest earlier and later month (up to ``until``) with an entry
    in the model's ledger, or None: the notices a resident pages through. Two queries."""
    first, last = month_bounds(year, month)
    earlier, later = None, None
    for model in (Donation, Expense):
        found = model.objects.filter(initiative=initiative).aggregate(
            earlier=Max("counted_on", filter=Q(counted_on__lt=first)),
            later=Min("counted_on", filter=Q(counted_on__gt=last, counted_on__lte=until)),
        )
        earlier = max(filter(None, (earlier, found["earlier"])), default=None)
        later = min(filter(None, (later, found["later"])), default=None)
    return (
        (earlier.year, earlier.month) if earlier else None,
        (later.year, later.month) if later else None,
    )


def months_with_entries(initiative: Initiative, until: date) -> list[tuple[int, int]]:
    """(year, month) of every month up to ``until`` in which the model's ledger counts an
    entry (a donation or an expense, reversals included: a corrected month has a notice to
    show), newest first: the notices worth printing. One query, a UNION of both ledgers'
    distinct months (the database truncates the dates)."""

    def months(model):
        return (
            model.objects.filter(initiative=initiative, counted_on__lte=until)
            .order_by()
            .annotate(month=TruncMonth("counted_on"))
            .values_list("month", flat=True)
        )

    # UNION (not UNION ALL) keeps each month once.
    rows = months(Donation).union(months(Expense)).order_by("-month")
    return [(month.year, month.month) for month in rows]


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
