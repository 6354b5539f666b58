from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """What every page needs to know about the site itself.

    ``SITE_ROOT``: scheme and host of this request (``https://phuong.example``), for the
    absolute addresses link previews and printed QR codes need; the host is one of
    ``ALLOWED_HOSTS`` (``get_host`` refuses any other). Lazy: only pages that print it pay.
    """
    return {
        "WARD_NAME": settings.WARD_NAME,
        "SITE_ROOT": SimpleLazyObject(lambda: f"{request.scheme}://{request.get_host()}"),
    }
