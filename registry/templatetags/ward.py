"""Formatting the way Vietnamese documents do it."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _group(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@register.filter
def vnd(value) -> str:
    """310000000 → "310.000.000 ₫" (VND has no minor unit; grouping with dots)."""
    if value is None or value == "":
        return ""
    return f"{_group(int(value))}\u00a0₫"


@register.filter
def number(value) -> str:
    """A figure without needless decimals: 310.00 → "310", 2.50 → "2,5", 12000 → "12.000"."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    integral = int(value)
    if value == integral:
        return _group(integral)
    text = f"{value.normalize():f}"
    whole, frac = text.split(".")
    return f"{_group(int(whole))},{frac}"


@register.filter
def million_dong(value) -> str:
    """310000000 → "310 triệu đồng"."""
    if value is None:
        return ""
    millions = Decimal(int(value)) / 1_000_000
    return _("%(amount)s triệu đồng") % {"amount": number(millions)}
