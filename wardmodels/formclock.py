"""When a public form was handed out: a signed timestamp in a hidden field.

Used to refuse forms sent faster than a person can fill them (a bot posting at once). It is
signed (``django.core.signing``), so a client cannot backdate it, and needs no session.

A form on a page that the public-page cache stores would carry the time of the render that
filled the cache; the cache therefore treats the field like the CSRF token: on store its value
becomes a placeholder, on a hit a fresh stamp (``wardmodels/pagecache.py``).
"""

import hashlib
import re
import secrets
import time

from django.conf import settings
from django.core import signing

FIELD_NAME = "form_started"
SALT = "wardmodels.formclock"
# The field as Django renders it (a hidden input): name first, then the value.
FIELD_PATTERN = re.compile(rb'(name="' + FIELD_NAME.encode() + rb'" value=")[^"]*(")')


# A random part, so that two forms handed out in the same millisecond differ: a stamp is used
# once (``digest``), and one resident's use must not refuse another's form.
NONCE_BYTES = 8


def stamp() -> str:
    """A signed "now" in milliseconds with a random part, for the hidden field. Always the
    same length, so that a cached page served with a fresh stamp keeps the length of the page
    that was stored."""
    return signing.dumps([int(time.time() * 1000), secrets.token_hex(NONCE_BYTES)], salt=SALT)


def seconds_since(value: str, *, max_age: int | None = None) -> float | None:
    """Seconds since ``value`` was stamped; ``None`` if it is missing, forged or older than
    ``max_age`` seconds (by default ``FEEDBACK_FORM_MAX_HOURS``)."""
    if max_age is None:
        max_age = settings.FEEDBACK_FORM_MAX_HOURS * 3600
    try:
        started = signing.loads(value or "", salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if isinstance(started, list) and len(started) == 2:
        started = started[0]
    if not isinstance(started, int) or isinstance(started, bool):
        return None
    return time.time() - started / 1000


def digest(value: str) -> str:
    """What is kept of a stamp once a form was accepted with it, to refuse it a second time."""
    return hashlib.sha256(value.encode()).hexdigest()
