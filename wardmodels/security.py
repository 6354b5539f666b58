"""Login throttling glue for django-axes: the client's address and the backend."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings


def client_ip(request) -> str | None:
    """The address that failed logins are counted against.

    Without a reverse proxy (``DJANGO_TRUSTED_PROXY_COUNT=0``) it is the socket's address.
    Behind N proxies, each appends the address it saw to ``X-Forwarded-For``, so the client is
    the N-th entry from the right; entries further left were written by the client itself and
    are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= count:
        return forwarded[-count]
    return remote


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
