"""The printed side of a model: its A4 poster, its QR code, and the short link the code holds.

The QR code holds the short link (``/q/<code>``), not the model's address: a poster keeps
working whatever happens to the page. The short link redirects (302: the target may change)
and counts the scan, one row per model and day, each client once a day (by the month's keyed
hash of its address, kept only for the day) and no obvious robot; it is never cached
(``never_cache``, and it is not among ``PUBLIC_PAGE_CACHE_VIEWS``), so that every scan
reaches the counter.
"""

import re

from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from participation.limits import client_hash
from registry.models import Initiative, Photo
from registry.short_links import count_scan, initiative_short_code, normalise_short_code

from .. import qr
from . import not_found

# What robots and link previews put in their User-Agent (search engines, chat apps fetching a
# preview of a shared link, scripts). A phone's browser or a chat app's in-app browser (Zalo,
# Messenger) names none of these.
_ROBOT_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|whatsapp|embedly|"
    r"curl|wget|python-|go-http-client|java/|okhttp|httpclient|headless|lighthouse",
    re.IGNORECASE,
)


def is_obvious_robot(user_agent: str) -> bool:
    return bool(_ROBOT_AGENT.search(user_agent))


# Who may print a model that residents cannot see yet (a draft, an unpublished model).
DRAFT_PERMISSION = "registry.view_initiative"
KEY_INDICATORS = 3
TITLE_CHARS = 110  # two lines of the poster's title; CSS clips too, this keeps the HTML honest
PURPOSE_CHARS = 220


def _printable_initiative(request, slug: str) -> tuple[Initiative, bool]:
    """The model for a printed page and whether it is a draft (only officials get those)."""
    queryset = Initiative.objects.select_related("admin_unit", "field__parent").prefetch_related(
        "indicators",
        Prefetch("photos", queryset=Photo.objects.public(), to_attr="public_photos"),
    )
    initiative = get_object_or_404(queryset, slug=slug)
    if initiative.is_public:
        return initiative, False
    if request.user.has_perm(DRAFT_PERMISSION):
        return initiative, True
    raise Http404


def short_url(request, initiative: Initiative) -> str:
    code = initiative_short_code(initiative)
    return request.build_absolute_uri(reverse("public:short-link", kwargs={"code": code}))


def _purpose(initiative: Initiative) -> str:
    """The summary's first sentence: the poster says what the model is for in one line."""
    text = " ".join((initiative.summary or "").split())
    for end in (". ", "! ", "? "):
        if end in text:
            text = text.split(end, 1)[0] + end.strip()
            break
    return Truncator(text).chars(PURPOSE_CHARS)


def poster(request, slug):
    initiative, draft = _printable_initiative(request, slug)
    url = short_url(request, initiative)
    photos = initiative.public_photos
    return render(
        request,
        "registry/poster.html",
        {
            "initiative": initiative,
            "draft": draft,
            "title_clipped": Truncator(initiative.title).chars(TITLE_CHARS),
            "purpose": _purpose(initiative),
            "indicators": list(initiative.indicators.all())[:KEY_INDICATORS],
            "photo": photos[0] if photos else None,
            "short_url": url,
            "short_display": url.split("://", 1)[-1],
            "qr_svg": qr.inline_svg(url, _("Mã QR dẫn tới %(url)s") % {"url": url}),
            # The day of the newest published milestone: what residents see as the progress's
            # date on the model's page and timeline (None: no milestone published yet).
            "last_update": initiative.progress_updated_on,
        },
    )


QR_FORMATS = {
    "svg": ("image/svg+xml", qr.svg_file),
    "png": ("image/png", qr.png_file),
}


def qr_code(request, slug, fmt):
    """The poster's QR code as a file, SVG or PNG (at least 2,000 px); other formats: 404."""
    if fmt not in QR_FORMATS:
        return not_found(request, _("Mã QR chỉ có hai dạng: .svg và .png."))
    initiative, _draft = _printable_initiative(request, slug)
    content_type, build = QR_FORMATS[fmt]
    response = HttpResponse(build(short_url(request, initiative)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="qr-{initiative.slug}.{fmt}"'
    return response


@never_cache
@require_safe
def short_link(request, code):
    """A scanned poster: count the scan, then send the visitor to the model's page.

    A model residents can no longer see (unpublished, returned to draft) answers a plain
    page that says so, never a 404: the poster may still hang on a wall.
    """
    normalised = normalise_short_code(code)
    initiative = (
        Initiative.objects.only("pk", "slug", "status", "published")
        .filter(short_code=normalised)
        .first()
        if normalised
        else None
    )
    if initiative is None:
        return not_found(
            request,
            _("Không có mô hình nào mang mã “%(code)s”: hãy kiểm tra lại mã.") % {"code": code},
        )
    # A HEAD (a link checker) is no scan, nor is a robot or a chat app's link preview.
    if request.method == "GET" and not is_obvious_robot(request.META.get("HTTP_USER_AGENT", "")):
        count_scan(initiative.pk, visitor=client_hash(request))
    if initiative.is_public:
        return HttpResponseRedirect(initiative.get_absolute_url())
    return render(request, "registry/short_link_gone.html", {"initiative": initiative})
