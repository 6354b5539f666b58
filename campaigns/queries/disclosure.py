"""Which ledger figures a public page may show without giving away what one contributor gave.

A contributor's amount is public only with both consents (name and amount). A monthly figure
made of the standing entries of exactly one contributor without them would be that amount, so
it is withheld; and because a model's totals are public, one withheld figure of a kind would
come back by subtraction, so a second one of that kind is withheld with it. The open data's
monthly ledger and the monthly public notice both apply this one rule, to the same cells, so
that reading one beside the other gives nothing more away.
"""

from collections.abc import Iterable, Iterator

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from ..models import Donation, Expense

EXPENSE = "expense"  # the kind of an expense cell, beside the contribution kinds
STANDING = Q(reverses__isnull=True, reversal__isnull=True)
# The site shows an amount next to a name only with both consents: the same rule here.
CONSENTED = Q(contributor__publish_name=True, contributor__publish_amount=True)


def monthly_cells(
    model: type[Donation] | type[Expense],
    initiatives: QuerySet | Iterable[int],
    *,
    chunk_size: int = 1000,
) -> Iterator[dict]:
    """(model, month, kind) cells of the donations, or the expenses, of ``initiatives``.

    Each cell: ``initiative_id``, ``initiative__code``, ``month`` (its first day), ``kind``
    (a contribution kind, or ``EXPENSE``), ``entries`` (standing ones), ``amount`` (net of
    reversals) and ``withheld`` (contributors of its standing entries without both consents),
    in (model, month, kind) order; a cell whose entries were all reversed is left out (nothing
    happened that month).
    """
    is_donation = model is Donation
    queryset = (
        model.objects.filter(initiative__in=initiatives)
        .annotate(month=TruncMonth("counted_on"))
        .values("initiative_id", "initiative__code", "month", *(["kind"] if is_donation else []))
        .annotate(
            entries=Count("pk", filter=STANDING),
            amount=Sum("amount"),
            **(
                {"withheld": Count("contributor", distinct=True, filter=STANDING & ~CONSENTED)}
                if is_donation
                else {}
            ),
        )
        # By key, not by code: callers merge streams in Python, and a database's text
        # collation need not sort codes as Python does.
        .order_by("initiative_id", "month", *(["kind"] if is_donation else []))
    )
    for row in queryset.iterator(chunk_size=chunk_size):
        if not row["entries"] and not row["amount"]:
            continue
        row.setdefault("kind", EXPENSE)
        row.setdefault("withheld", 0)
        row["amount"] = int(row["amount"] or 0)
        yield row


def suppress(cells: list[dict]) -> list[dict]:
    """Mark (``suppressed``) the cells of ONE model whose amount must not be shown.

    Primary rule: a contribution cell whose standing entries come from exactly one contributor
    without both consents (alone, or beside contributors whose amounts are public: the
    difference would be theirs). Secondary rule: if a kind of contribution of the model has
    exactly one such cell and others, its smallest other cell is withheld too, in the same
    year when there is one (the public summary totals by year). Expenses name nobody.
    """
    for cell in cells:
        cell["suppressed"] = cell["kind"] != EXPENSE and cell["withheld"] == 1
    for kind in {cell["kind"] for cell in cells} - {EXPENSE}:
        of_kind = [c for c in cells if c["kind"] == kind]
        hidden = [c for c in of_kind if c["suppressed"]]
        shown = [c for c in of_kind if not c["suppressed"]]
        if len(hidden) != 1 or not shown:
            continue
        year = hidden[0]["month"].year
        same_year = [c for c in shown if c["month"].year == year]
        partner = min(same_year or shown, key=lambda c: (c["amount"], c["month"]))
        partner["suppressed"] = True
    return cells
