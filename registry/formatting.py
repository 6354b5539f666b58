"""Figures the way Vietnamese documents print them: dots group thousands, a comma marks
decimals, money is whole đồng followed by "₫". The template filters in
``templatetags/ward.py`` are these functions; Python code (model ``__str__``, dashboard
notes, charts, history) calls them directly so that a figure reads the same everywhere."""

from decimal import Decimal

from django.utils.translation import gettext as _


def _group(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vnd(value) -> str:
    """310000000 → "310.000.000 ₫" (VND has no minor unit; grouping with dots).

    A no-break space keeps the symbol on the figure's line."""
    if value is None or value == "":
        return ""
    return f"{_group(int(value))}\u00a0₫"


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


def million_dong(value) -> str:
    """310000000 → "310 triệu đồng"."""
    if value is None:
        return ""
    millions = Decimal(int(value)) / 1_000_000
    return _("%(amount)s triệu đồng") % {"amount": number(millions)}
