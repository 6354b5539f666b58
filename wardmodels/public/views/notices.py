"""The monthly public notice (bảng công khai) of a model's money, printable on A4.

The figures come from ``campaigns.queries.public_monthly_notice`` (consent rules included);
this view only checks the month and lays them out as the ward posts its notices: heading,
title, table, date and signature block, and a QR code to the model's page, money section.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.queries import months_with_entries_around, public_monthly_notice
from registry.models import Initiative

from .. import qr
from . import not_found

FIRST_YEAR = 2000  # before the movement; earlier "months" are typing mistakes


def _place_name() -> str:
    ward = settings.WARD_NAME
    return ward.split(" ", 1)[1] if ward.lower().startswith(("phường ", "xã ")) else ward


def notice(request, slug, year, month):
    today = timezone.localdate()
    if not 1 <= month <= 12 or year < FIRST_YEAR or (year, month) > (today.year, today.month):
        return not_found(
            request,
            _("Không có bảng công khai tháng %(month)s/%(year)s: hãy chọn một tháng đã qua.")
            % {"month": month, "year": year},
        )
    initiative = get_object_or_404(
        Initiative.objects.public().select_related("admin_unit"), slug=slug
    )
    ledger_url = request.build_absolute_uri(initiative.get_absolute_url()) + "#money-heading"
    earlier, later = months_with_entries_around(initiative, year, month, until=today)
    return render(
        request,
        "campaigns/public_notice.html",
        {
            "initiative": initiative,
            "notice": public_monthly_notice(initiative, year, month),
            "year": year,
            "month": month,
            "ward_name": settings.WARD_NAME,
            "place_name": _place_name(),
            "today": today,
            "ledger_url": ledger_url,
            # The nearest months on either side with entries: residents page through them.
            "earlier": earlier if earlier and earlier[0] >= FIRST_YEAR else None,
            "later": later,
            "qr_svg": qr.inline_svg(
                ledger_url,
                _("Mã QR dẫn tới sổ đóng góp của mô hình: %(url)s") % {"url": ledger_url},
            ),
        },
    )
