"""The short links printed on posters (``/q/<code>``) and the count of their scans.

A code is six characters from an alphabet without the look-alikes 0/O, 1/I/L, so that it
can be read off a photocopy and typed by hand: 31⁶ ≈ 887 million codes. It is given once
and never changed (not even when the slug would change: the slug is frozen once published,
but a poster printed from a draft must keep working too).

When a model gets its code: when it is first published (``initiative_set_published``), for
models that existed before short links by the migration that added them, and otherwise the
first time an official opens its poster or QR code (``initiative_short_code`` is idempotent:
the one write a GET may make here, like the scan count, and only once per model).
"""

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .models import Initiative, ShortLinkScan, ShortLinkVisitor

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
# Two models drawing the same code is a one-in-hundreds-of-millions event; a few retries
# turn "unlikely" into "never" without looping forever on a broken database.
ATTEMPTS = 8


def new_short_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_short_code(text: str) -> str | None:
    """A code as typed or scanned (any case), or None if it cannot be one."""
    code = (text or "").strip().upper()
    if len(code) != LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


def initiative_short_code(initiative: Initiative) -> str:
    """The model's short code, given now if it has none yet (then kept for good).

    Collision-safe: the code is written only where the row still has none (``UPDATE …
    WHERE short_code IS NULL``), inside a savepoint; a code another model already holds
    raises IntegrityError (constraint ``initiative_short_code_unique``) and a new one is
    drawn. Two requests giving the same model a code at once end with the same code: the
    second finds the first's.
    """
    if initiative.short_code:
        return initiative.short_code
    for _attempt in range(ATTEMPTS):
        code = new_short_code()
        try:
            with transaction.atomic():
                Initiative.objects.filter(pk=initiative.pk, short_code__isnull=True).update(
                    short_code=code
                )
        except IntegrityError:
            continue
        initiative.short_code = Initiative.objects.values_list("short_code", flat=True).get(
            pk=initiative.pk
        )
        return initiative.short_code
    raise IntegrityError("no free short code found")  # pragma: no cover


def count_scan(initiative_id: int, *, visitor: str = "", day=None) -> bool:
    """One more scan of the model's short link today, unless ``visitor`` (a keyed hash of the
    client, never its address) was counted for it today already; whether it was counted.

    The visitor is remembered in the database (unique model + day + visitor), not in the
    cache: the local-memory cache is one per worker, so a client would count once per worker.
    The usual case is one INSERT and one UPDATE; the day's first scan inserts the count row
    (and deletes earlier days' visitors), and if another request inserted it first (unique
    model + day), the increment is done again.
    """
    day = day or timezone.localdate()
    if visitor:
        try:
            with transaction.atomic():
                ShortLinkVisitor.objects.create(
                    initiative_id=initiative_id, day=day, visitor=visitor
                )
        except IntegrityError:
            return False
    rows = ShortLinkScan.objects.filter(initiative_id=initiative_id, day=day)
    if rows.update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            ShortLinkScan.objects.create(initiative_id=initiative_id, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
    else:
        ShortLinkVisitor.objects.filter(day__lt=day).delete()
    return True


def recent_scans(initiative: Initiative, *, days: int = 30) -> dict:
    """Scans per day over the last ``days`` days (days without a scan left out) and the total
    since the first scan: two queries."""
    since = timezone.localdate() - timedelta(days=days - 1)
    rows = list(
        ShortLinkScan.objects.filter(initiative=initiative, day__gte=since)
        .order_by("-day")
        .values("day", "count")
    )
    total = ShortLinkScan.objects.filter(initiative=initiative).aggregate(total=Sum("count"))[
        "total"
    ]
    return {"days": rows, "total": total or 0, "since": since}
