"""Named queries of the ledger: totals, public lists of contributors and expenses, and the
workspace's ledger pages.

Public queries read only what residents may see: names of contributors who consented,
amounts where they consented to that too, and counts. They select explicit columns
(``values()``), so a contributor's address or phone number is never even loaded for a
public page.
"""

from decimal import Context, Decimal

from django.db import connection
from django.db.models import (
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Replace

from registry.models import Initiative
from registry.text import search_terms

from ..models import (
    ContributionKind,
    Contributor,
    ContributorKind,
    Donation,
    Expense,
    Pledge,
)
from .disclosure import model_disclosure

QUANTITY = DecimalField(max_digits=16, decimal_places=2)
VALUED_KINDS = [ContributionKind.IN_KIND, ContributionKind.LABOUR, ContributionKind.LAND]


def _scalar(queryset: QuerySet, aggregate, output_field=None):
    """One aggregate over rows of ``queryset`` that belong to the outer initiative."""
    return Coalesce(
        Subquery(
            queryset.filter(initiative=OuterRef("pk"))
            .order_by()
            .values("initiative")
            .annotate(result=aggregate)
            .values("result")
        ),
        Value(0),
        output_field=output_field or IntegerField(),
    )


# The statement of ``initiative_ledger_totals``: standing donations are neither a reversal
# nor reversed; ``by_kind`` counts the standing contributors of one kind.
_STANDING_CONTRIBUTOR = "CASE WHEN d.reverses_id IS NULL AND r.id IS NULL THEN d.contributor_id END"
_LEDGER_TOTALS_SQL = """
    SELECT
      (SELECT SUM(p.value) FROM campaigns_pledge p
         WHERE p.initiative_id = %s AND p.cancelled = %s),
      SUM(CASE WHEN d.kind = %s THEN d.amount END),
      SUM(CASE WHEN d.kind IN (%s, %s, %s) THEN d.amount END),
      SUM(CASE WHEN d.kind = %s THEN d.quantity END),
      SUM(CASE WHEN d.kind = %s THEN d.quantity END),
      (SELECT SUM(x.amount) FROM campaigns_expense x WHERE x.initiative_id = %s),
      COUNT(DISTINCT {standing}),
      {by_kind},
      {by_kind},
      {by_kind},
      {by_kind},
      {by_kind}
    FROM campaigns_donation d
    JOIN campaigns_contributor c ON c.id = d.contributor_id
    LEFT JOIN campaigns_donation r ON r.reverses_id = d.id
    WHERE d.initiative_id = %s
""".format(
    standing=_STANDING_CONTRIBUTOR,
    by_kind=f"COUNT(DISTINCT CASE WHEN c.kind = %s THEN {_STANDING_CONTRIBUTOR} END)",
)

# Contributors counted by kind, as the model page and the reports name the figures.
CONTRIBUTOR_KIND_KEYS = {
    "households": ContributorKind.HOUSEHOLD,
    "businesses": ContributorKind.BUSINESS,
    "organisations": ContributorKind.ORGANISATION,
    "individuals": ContributorKind.INDIVIDUAL,
    "collectives": ContributorKind.COLLECTIVE,
}


def summed_quantity(value) -> Decimal:
    """A summed quantity as Django returns a decimal expression (SQLite sums to a float)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Context(prec=15).create_decimal_from_float(value)


def initiative_ledger_totals(initiative: Initiative) -> dict:
    """Pledged, received, spent, balance and contributor counts of one initiative.

    Reversals are negative rows, so every sum is already net of corrections. Received is
    split into cash and valued contributions (in kind, labour-days, land, in đồng), and
    labour-days and land are also totalled in their own units. The balance is the cash
    left: cash received minus money spent. Contributors are counted on standing entries
    (neither reversed nor a reversal): one whose every donation was reversed gave nothing.

    One SQL statement, one pass over the initiative's donations with conditional
    aggregates, written out by hand: through the ORM (one conditional ``aggregate()`` and two
    sums) the public model page cost 21–24 % more, the figures alone 1.6 ms against 22.5 ms
    (bench/README.md, "Hand-written SQL: measured with and without";
    ``bench/measure_variants.py ledger``). Portable SQL (CASE, no FILTER): the same statement
    runs on SQLite and PostgreSQL.
    """
    pk = initiative.pk
    params = [
        pk,
        False,
        ContributionKind.CASH,
        *VALUED_KINDS,
        ContributionKind.LABOUR,
        ContributionKind.LAND,
        pk,
        *CONTRIBUTOR_KIND_KEYS.values(),
        pk,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_LEDGER_TOTALS_SQL, [str(p) if isinstance(p, str) else p for p in params])
        pledged, cash, valued, labour, land, spent, donors, *by_kind = cursor.fetchone()
    row = {
        "pledged": int(pledged or 0),
        "received_cash": int(cash or 0),
        "received_valued": int(valued or 0),
        "labour_days": summed_quantity(labour),
        "land_m2": summed_quantity(land),
        "spent": int(spent or 0),
        "donors": donors,
        **dict(zip(CONTRIBUTOR_KIND_KEYS, by_kind, strict=True)),
    }
    row["received"] = row["received_cash"] + row["received_valued"]
    row["balance"] = row["received_cash"] - row["spent"]
    return row


def public_named_contributors(initiative: Initiative) -> list[dict]:
    """Contributors who consented to be named, with their net total where they consented.

    Only ``name``, ``kind`` and ``amount`` (None without consent) leave the database.
    """
    rows = (
        Contributor.objects.filter(publish_name=True, donations__initiative=initiative)
        .annotate(total=Sum("donations__amount"))
        .filter(total__gt=0)
        .order_by("-total", "name", "pk")
        .values("pk", "name", "kind", "publish_amount", "total")
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


def public_expenses(initiative: Initiative) -> QuerySet:
    """Expenses that stand (not reversed), with date, description and amount."""
    return (
        Expense.objects.standing()
        .filter(initiative=initiative)
        .order_by("spent_on", "pk")
        .values("spent_on", "description", "amount")
    )


def public_initiative_ledger(initiative: Initiative) -> dict:
    """Everything the money section of a public model page shows: four queries, always.

    A total that would give away what fewer than K contributors without consent gave is None
    (withheld: ``disclosure``), and so is every figure worked out from it (the balance, the
    share of the funding target).
    """
    totals = initiative_ledger_totals(initiative)
    named = public_named_contributors(initiative)
    target = initiative.funding_target
    has_any = bool(totals["pledged"] or totals["received"] or totals["spent"] or target)
    hidden = model_disclosure(initiative)
    withheld = {
        "pledged": hidden.pledged_withheld(),
        "received": hidden.totals_withheld(),
        "received_cash": hidden.totals_withheld([ContributionKind.CASH]),
        "balance": hidden.totals_withheld([ContributionKind.CASH]),
        "received_valued": hidden.totals_withheld(VALUED_KINDS),
        "labour_days": hidden.totals_withheld([ContributionKind.LABOUR]),
        "land_m2": hidden.totals_withheld([ContributionKind.LAND]),
    }
    shown = {key: None if withheld.get(key) else value for key, value in totals.items()}
    return {
        "totals": shown,
        "named": named,
        "unnamed_count": max(totals["donors"] - len(named), 0),
        "expenses": list(public_expenses(initiative)),
        "target": target,
        "progress_percent": (
            min(100, round(totals["received"] * 100 / target))
            if target and not withheld["received"]
            else None
        ),
        "has_any": has_any,
        "withheld": any(withheld.values()),
        "k": hidden.k,
    }


def contributor_search(query: str | None, limit: int = 20, *, by_phone: bool = True) -> list:
    """Contributors whose name contains every word of ``query`` with or without diacritics
    (``registry.text.fold``), or, if ``by_phone``, whose phone contains its digits.

    Staff only: the rows carry address and phone (``by_phone=False`` for those who may not
    see them: a match on a phone number would reveal it). Bounded to ``limit`` matches.
    """
    words = search_terms(query, limit=5)
    if not words:
        return []
    by_name = Q()
    for word in words:
        by_name &= Q(name_folded__contains=word)
    digits = "".join(ch for ch in (query or "") if ch.isdigit())
    condition = (
        by_name | Q(phone_digits__contains=digits) if by_phone and len(digits) >= 3 else by_name
    )
    # Phones are typed as "0237 3821 999", "0237.3821.999" or "0237-3821-999".
    phone_digits = F("phone")
    for separator in (" ", ".", "-"):
        phone_digits = Replace(phone_digits, Value(separator), Value(""))
    return list(
        Contributor.objects.annotate(phone_digits=phone_digits)
        .filter(condition)
        .select_related("residential_area")[:limit]
    )


def contributors_across_models(query: str | None, *, by_phone: bool, limit: int = 50) -> list:
    """The contributors ``contributor_search`` finds, each with ``models``: per model, what
    they pledged (cancelled pledges aside) and what they gave (net of reversals), ordered by
    the model's title. Four queries whatever the number of matches."""
    contributors = contributor_search(query, limit=limit, by_phone=by_phone)
    if not contributors:
        return []
    ids = [contributor.pk for contributor in contributors]
    figures: dict[tuple[int, int], dict] = {}

    def add(rows, key):
        for row in rows:
            entry = figures.setdefault(
                (row["contributor_id"], row["initiative_id"]), {"pledged": 0, "received": 0}
            )
            entry[key] = row["total"]

    add(
        Pledge.objects.filter(contributor_id__in=ids, cancelled=False)
        .values("contributor_id", "initiative_id")
        .annotate(total=Sum("value")),
        "pledged",
    )
    add(
        Donation.objects.filter(contributor_id__in=ids)
        .values("contributor_id", "initiative_id")
        .annotate(total=Sum("amount")),
        "received",
    )
    titles = dict(
        Initiative.objects.filter(pk__in={pk for _, pk in figures}).values_list("pk", "title")
    )
    for contributor in contributors:
        contributor.models = sorted(
            (
                {"initiative_id": pk, "title": titles[pk], **entry}
                for (owner, pk), entry in figures.items()
                if owner == contributor.pk
            ),
            key=lambda row: row["title"],
        )
    return contributors


def workspace_ledger(initiative: Initiative) -> dict:
    """Everything the workspace ledger page of one model lists, in a fixed number of queries.

    Pledges carry ``received_amount``; donations and expenses carry their contributor,
    pledge and reversal link, so the page asks nothing more row by row.
    """
    pledges = (
        Pledge.objects.with_received()
        .filter(initiative=initiative)
        .select_related("contributor", "corrects", "corrected_by")
        .order_by("-pledged_on", "-id")
    )
    donations = (
        Donation.objects.filter(initiative=initiative)
        .select_related(
            "contributor", "pledge", "reversal", "recorded_by", "corrects", "corrected_by"
        )
        .order_by("-received_on", "-id")
    )
    expenses = (
        Expense.objects.filter(initiative=initiative)
        .select_related("reversal", "recorded_by", "corrects", "corrected_by")
        .order_by("-spent_on", "-id")
    )
    return {
        "totals": initiative_ledger_totals(initiative),
        "pledges": list(pledges),
        "donations": list(donations),
        "expenses": list(expenses),
    }


def overdue_pledges(today) -> QuerySet:
    """Pledges past their due date, not cancelled and not fully received, oldest due first.

    Built to stop early: it walks the partial index ``pledge_due_idx`` (due_on, id of the
    pledges not cancelled) in the order it returns and sums each pledge's donations with a
    correlated subquery on the donation index by pledge, so ``[:n]`` reads about n pledges
    (plus the past-due ones already fulfilled it passes) instead of grouping every donation
    of every past-due pledge first. ``received_amount`` is the same net sum as
    ``Pledge.objects.with_received()`` (reversals count negative).
    """
    received = (
        Donation.objects.filter(pledge=OuterRef("pk"))
        .order_by()
        .values("pledge")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Pledge.objects.filter(cancelled=False, due_on__lt=today)
        .annotate(received_amount=Coalesce(Subquery(received), Value(0)))
        .filter(received_amount__lt=F("value"))
        .order_by("due_on", "pk")
    )


def ledger_overview() -> QuerySet:
    """Initiatives with their pledged, received and spent totals (one query)."""
    return (
        Initiative.objects.exclude(status="draft")
        .annotate(
            pledged=_scalar(Pledge.objects.filter(cancelled=False), Sum("value")),
            received=_scalar(Donation.objects.all(), Sum("amount")),
            spent=_scalar(Expense.objects.all(), Sum("amount")),
        )
        .order_by("title", "pk")
    )
