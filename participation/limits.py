"""Abuse limits for the public feedback form, without accounts.

The client is counted by a keyed hash of its address, never the address itself: HMAC with a
key derived from ``SECRET_KEY`` and the current month, so the hash changes every month and
cannot be linked across months nor reversed without the key. Phone numbers are counted the
same way. Counts live in Django's cache when it is shared by every app server
(``CACHE_URL=redis``); with a per-process cache (local memory, the embedded default, or
none) each gunicorn worker would count on its own, so the saved feedback is counted instead.
"""

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from participation.models import Feedback
from wardmodels.cache import UNAVAILABLE
from wardmodels.security import client_ip

logger = logging.getLogger(__name__)


def _keyed_hash(kind: str, value: str) -> str:
    month = timezone.now().strftime("%Y-%m")
    return salted_hmac(f"participation.{kind}.{month}", value, algorithm="sha256").hexdigest()


def client_hash(request) -> str:
    """The month's keyed hash of the client's address (behind proxies: see ``client_ip``)."""
    return _keyed_hash("client", client_ip(request) or "unknown")


def phone_hash(phone: str) -> str:
    return _keyed_hash("phone", phone)


@dataclass(frozen=True)
class Window:
    name: str
    seconds: int

    def key(self, subject: str) -> str:
        bucket = int(time.time()) // self.seconds
        return f"participation:limit:{self.name}:{bucket}:{subject}"

    def ends(self) -> dt.datetime:
        """When the current fixed window ends and its counts start again."""
        bucket = int(time.time()) // self.seconds
        return dt.datetime.fromtimestamp((bucket + 1) * self.seconds, tz=dt.UTC)


HOUR = Window("hour", 3600)
DAY = Window("day", 24 * 3600)


def _windows() -> list[tuple[Window, int]]:
    return [(HOUR, settings.FEEDBACK_LIMIT_PER_HOUR), (DAY, settings.FEEDBACK_LIMIT_PER_DAY)]


# Django's backends that keep (or drop) values inside one process: a count kept there is one
# worker's count. Other backends (Redis) are shared by every worker and app server.
PER_PROCESS_CACHES = (LocMemCache, DummyCache)


def cache_is_shared() -> bool:
    return type(caches["default"]) not in PER_PROCESS_CACHES


def _subjects(client: str, phone: str) -> list[str]:
    subjects = [f"c:{client}"]
    if phone:
        subjects.append(f"p:{phone_hash(phone)}")
    return subjects


def _message(window: Window, limit: int, again_at: dt.datetime) -> str:
    """The refusal, saying when the resident may send again (local time; the date too when
    it is not today)."""
    local = timezone.localtime(again_at)
    when = date_format(local, "H:i")
    if local.date() != timezone.localdate():
        when = f"{when} {date_format(local, 'SHORT_DATE_FORMAT')}"
    if window is HOUR:
        return _(
            "Bạn đã gửi %(limit)s góp ý trong một giờ. Bạn có thể gửi lại sau %(when)s; "
            "nội dung bạn viết vẫn còn bên dưới."
        ) % {"limit": limit, "when": when}
    return _(
        "Bạn đã gửi %(limit)s góp ý trong một ngày. Bạn có thể gửi lại sau %(when)s; "
        "nội dung bạn viết vẫn còn bên dưới."
    ) % {"limit": limit, "when": when}


def _incr(key: str, seconds: int) -> int:
    # add then incr: atomic on Redis and within one process for the local cache.
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1


def reserve_submission(*, client: str, phone: str = ""):
    """Count one submission against the client and the phone in every window, before it is
    written; the message to show if that goes over a limit (the counts are taken back), else
    ``None``.

    Counting first and reading the count that the atomic increment returns, rather than
    checking and counting afterwards, means that two requests sent at once at the limit
    cannot both get through, on one server or several.

    Without a shared cache (``cache_is_shared``), or with it unreachable, the limits are
    checked against the feedback already saved (``_over_limit_in_database``): the same for
    every worker, and residents can still send feedback during an outage, at the price of
    that race."""
    if not cache_is_shared():
        return _over_limit_in_database(client, phone)
    try:
        return _reserve_in_cache(client, phone)
    except UNAVAILABLE as exc:
        logger.warning("feedback limits: shared cache unavailable, counting saved rows: %s", exc)
        return _over_limit_in_database(client, phone)


def _over_limit_in_database(client: str, phone: str):
    sender = Q(client_hash=client)
    if phone:
        sender |= Q(phone=phone)
    now = timezone.now()
    for window, limit in _windows():
        since = now - dt.timedelta(seconds=window.seconds)
        counted = Feedback.objects.filter(sender, created_at__gte=since)
        if counted.count() >= limit:
            # The window slides: one more is allowed once the oldest counted one leaves it.
            oldest = counted.order_by("-created_at").values_list("created_at", flat=True)[limit - 1]
            return _message(window, limit, oldest + dt.timedelta(seconds=window.seconds))
    return None


def _reserve_in_cache(client: str, phone: str):
    taken = []
    for subject in _subjects(client, phone):
        for window, limit in _windows():
            key = window.key(subject)
            taken.append(key)
            if _incr(key, window.seconds) > limit:
                for counted in taken:
                    # expired meanwhile: nothing left to take back
                    with contextlib.suppress(ValueError):
                        cache.decr(counted)
                return _message(window, limit, window.ends())
    return None
