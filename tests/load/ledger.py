"""Officials recording donations through the workspace under load, and the checks afterwards.

Shared by test_ledger_load.py (load only) and test_faults.py (load plus a fault).

The success signal of a donation POST is exact: a 302 whose Location is the model's ledger
at ``#donations`` (``_record_view`` in wardmodels/workspace/views/). A form sent back with
errors is a 200; a redirect anywhere else (e.g. to the login page) is not a success. Every attempt
is kept with its unique receipt number, so that afterwards each one can be looked up in the
database: an accepted POST must be there exactly once and complete, a refused one not at
all, and one without an answer (worker killed, database connection cut) either not at all or
exactly once and complete: never half.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ContributionKind, Donation
from campaigns.queries import initiative_ledger_totals
from registry.models import Initiative
from tests import factories
from tests.campaigns.factories import make_contributor
from tests.load.harness import Result, Session

PASSWORD = "pw"  # tests/factories.make_user's password
DESCRIPTION = "Ủng hộ mua chậu hoa giấy (thử tải)"


@dataclass
class Attempt:
    """One donation POST: what was sent and what came back."""

    official: str
    receipt_number: str
    amount: int
    result: Result

    @property
    def accepted(self) -> bool:
        return self.result.status == 302 and self.result.headers.get("Location") == (
            reverse("workspace:ledger", args=[self.initiative_pk]) + "#donations"
        )

    @property
    def refused(self) -> bool:
        """The form came back with its errors: nothing may have been written."""
        return self.result.status == 200

    @property
    def unknown(self) -> bool:
        """No answer or a server error: the outcome is only known from the database."""
        return self.result.status is None or self.result.status >= 500

    initiative_pk: int = 0


@dataclass
class Ledger:
    """The attempts of every official, collected from their threads."""

    initiative: Initiative
    contributor_pk: int
    officials: dict[str, int]  # username → user pk
    attempts: list[Attempt] = field(default_factory=list)
    logins: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)

    @property
    def accepted(self) -> list[Attempt]:
        return [a for a in self.attempts if a.accepted]

    @property
    def unknown(self) -> list[Attempt]:
        return [a for a in self.attempts if a.unknown]


@dataclass
class LedgerSite:
    ledger: Ledger
    pages: list[str]
    detail: str


@pytest.fixture
def ledger_site(django_db_serialized_rollback, transactional_db):
    """A public model with its ledger, one contributor, four officials: committed rows."""
    field_ = factories.make_field("Xây dựng đô thị văn minh")
    area = factories.make_area("Khu phố Trường Sơn")
    initiative = factories.make_initiative("Đảm bảo mỹ quan đô thị đường hoa Lê Lợi", field=field_)
    initiative.residential_areas.add(area)
    for n in range(6):
        factories.make_initiative(f"Đường hoa Lê Lợi {n}", field=field_)
    contributor = make_contributor("Hộ ông Nguyễn Văn An")
    officials = {
        f"canbo{n}": factories.make_official(f"canbo{n}").pk for n in range(1, OFFICIALS + 1)
    }
    return LedgerSite(
        ledger=Ledger(initiative=initiative, contributor_pk=contributor.pk, officials=officials),
        pages=[
            "/",
            "/mo-hinh/",
            "/mo-hinh/?q=duong+hoa",
            f"/mo-hinh/?field={field_.pk}&area={area.pk}",
            initiative.get_absolute_url(),
        ],
        detail=initiative.get_absolute_url(),
    )


OFFICIALS = 4


def official(ledger: Ledger, username: str):
    """An actor: logs in through the login form (again if a fault lost the login), then
    records one donation per step with a unique receipt number and a known amount."""
    url = reverse("workspace:donation-record", args=[ledger.initiative.pk])
    state = {"logged_in": False, "n": 0}

    def act(session: Session, rng) -> None:
        if not state["logged_in"]:
            result = session.login(username, PASSWORD)
            with ledger.lock:
                ledger.logins.append(result)
            state["logged_in"] = result.status == 302 and result.headers.get("Location") == "/"
            return
        state["n"] += 1
        receipt = f"TT-{username}-{state['n']:05d}"
        amount = rng.randint(1, 500) * 10_000
        result = session.post(
            url,
            {
                "donation-contributor": str(ledger.contributor_pk),
                "donation-pledge": "",
                "donation-kind": ContributionKind.CASH,
                "donation-amount": str(amount),
                "donation-received_on": timezone.localdate().isoformat(),
                "donation-receipt_number": receipt,
                "donation-description": DESCRIPTION,
                "donation-quantity": "",
                "donation-unit": "",
            },
        )
        attempt = Attempt(username, receipt, amount, result, initiative_pk=ledger.initiative.pk)
        ledger.add(attempt)
        if result.status == 302 and not attempt.accepted:
            state["logged_in"] = False  # e.g. sent to the login page: log in again

    return act


def check_ledger(ledger: Ledger) -> dict:
    """Every accepted attempt exactly once and complete, nothing else, totals add up.

    Returns the figures (rows, accepted, unknown that landed, total) for the report.
    """
    initiative = ledger.initiative
    attempts = {a.receipt_number: a for a in ledger.attempts}
    assert len(attempts) == len(ledger.attempts), "receipt numbers must be unique per attempt"
    rows = list(
        Donation.objects.filter(initiative=initiative).values(
            "receipt_number",
            "amount",
            "kind",
            "contributor_id",
            "pledge_id",
            "received_on",
            "description",
            "recorded_by_id",
            "reverses_id",
            "recorded_at",
        )
    )
    counts = Counter(r["receipt_number"] for r in rows)
    assert not [n for n, c in counts.items() if c > 1], "a receipt number written twice"
    by_receipt = {r["receipt_number"]: r for r in rows}

    stray = set(by_receipt) - set(attempts)
    assert not stray, f"rows nobody asked for: {sorted(stray)[:5]}"
    today = timezone.localdate()
    for receipt, row in by_receipt.items():
        attempt = attempts[receipt]
        assert attempt.accepted or attempt.unknown, (
            f"{receipt} was refused ({attempt.result.status}) yet written"
        )
        # A complete entry: every column as the official sent it, nobody's half.
        assert row == {
            "receipt_number": receipt,
            "amount": attempt.amount,
            "kind": ContributionKind.CASH,
            "contributor_id": ledger.contributor_pk,
            "pledge_id": None,
            "received_on": row["received_on"],
            "description": DESCRIPTION,
            "recorded_by_id": ledger.officials[attempt.official],
            "reverses_id": None,
            "recorded_at": row["recorded_at"],
        }, receipt
        assert abs(row["received_on"] - today) <= dt.timedelta(days=1)
        assert row["recorded_at"] is not None
    missing = [a.receipt_number for a in ledger.accepted if a.receipt_number not in by_receipt]
    assert not missing, f"accepted but not in the database: {missing[:5]}"

    accepted_sum = sum(a.amount for a in ledger.accepted)
    landed_unknown = [a for a in ledger.unknown if a.receipt_number in by_receipt]
    expected = accepted_sum + sum(a.amount for a in landed_unknown)
    totals = initiative_ledger_totals(initiative)
    assert totals["received"] == totals["received_cash"] == expected
    assert Donation.objects.filter(initiative=initiative).aggregate(s=Sum("amount"))["s"] == (
        expected or None
    )
    return {
        "rows": len(rows),
        "accepted": len(ledger.accepted),
        "unknown": len(ledger.unknown),
        "unknown_landed": len(landed_unknown),
        "received": totals["received"],
    }


def figures(report, ledger: Ledger, checked: dict) -> str:
    return (
        f"{report.format()}; donations: {len(ledger.attempts)} POSTs, "
        f"{checked['accepted']} accepted, {checked['unknown']} without an answer "
        f"({checked['unknown_landed']} of them written), {checked['rows']} rows, "
        f"received {format(checked['received'], ',').replace(',', '.')} đồng"
    )
