"""Login throttling glue for django-axes: the client's address, the backend and the handler
that adds a per-address limit to django-axes' per user name and address one."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render

# An IPv6 network hands each home or phone a /64 and lets it pick any address inside at will:
# counting single addresses would give one client 2^64 fresh starts.
IPV6_CLIENT_PREFIX = 64
_USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def _client_key(address: str | None) -> str | None:
    """IPv4 as it is; an IPv4 address written as IPv6 (``::ffff:a.b.c.d``) as IPv4; any other
    IPv6 address as the first address of its /64 (a valid address, so django-axes stores it
    and ``manage.py axes_reset_ip`` takes it). Anything unparsable is left unchanged."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        network = ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False)
        return str(network.network_address)
    return str(parsed)


def client_username(request, credentials=None) -> str | None:
    """The user name failed logins are counted against: django-axes' own choice, cut to its
    column. A user name is at most 150 characters, so the cut never joins two real ones; a
    longer name (sent past the form's length check, which only the browser enforces) would
    otherwise fail to save on PostgreSQL (a 500 instead of the form's error)."""
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if isinstance(username, str):
        return username[:_USERNAME_LENGTH]
    return username


def client_ip(request) -> str | None:
    """The client that failed logins (and feedback limits) are counted against.

    Without a reverse proxy (``DJANGO_TRUSTED_PROXY_COUNT=0``) it is the socket's address.
    Behind N proxies, each appends the address it saw to ``X-Forwarded-For``, so the client is
    the N-th entry from the right; entries further left were written by the client itself and
    are never trusted. An IPv6 client is its /64 network (``_client_key``).
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return _client_key(remote)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= count:
        return _client_key(forwarded[-count])
    return _client_key(remote)


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, abstaining when there is no request.

    Every login over the web (the login page, the admin's) passes the request and is
    throttled. Only code calls ``authenticate()`` without one (``Client.login`` in tests, a
    management command); there is no address to count, so this backend steps aside and the
    next backend checks the password as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit per address.

    django-axes compares every lockout parameter against one failure limit: listing
    ``"ip_address"`` next to ``["username", "ip_address"]`` would lock an office's shared
    address after ``LOGIN_FAILURE_LIMIT`` typos of different people. So the parameters stay
    the pair, and this adds the address's failures for every user name (within the cool-off,
    as django-axes counts) against ``LOGIN_FAILURE_LIMIT_PER_ADDRESS``: someone trying 40
    user names from one address is stopped at that limit, while a colleague's few typos lock
    only their own name.
    """

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return failures
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        at_address = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        if at_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            request.login_locked_by_address = True
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page: says whether the user name or the whole address is locked."""
    by_address = getattr(request, "login_locked_by_address", False)
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "by_address": by_address,
            "failure_limit": (
                settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
                if by_address
                else get_failure_limit(request, credentials)
            ),
            "cooloff_timedelta": settings.AXES_COOLOFF_TIME,
        },
        status=429,
    )
