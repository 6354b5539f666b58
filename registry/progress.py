"""A model's progress figure (tiến độ), in whole percent.

Entered by an official, or derived from the indicators: the mean of result ÷ target weighted
by each indicator's weight. Each indicator counts at most 100 % (over-achieving one target
does not hide another that lags), and the figure is rounded down, so that 100 % means that
every target is met. Indicators without a positive target do not count; one with a target
and no result yet counts as 0 %. No countable indicator: no figure (``None``).
"""

from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal


def derived_progress(rows: Iterable[tuple[Decimal | None, Decimal | None, int]]) -> int | None:
    """``rows`` are ``(target, actual, weight)``; the weighted percent, or ``None``."""
    total_weight = 0
    weighted = Decimal(0)
    for target, actual, weight in rows:
        if target is None or target <= 0 or not weight:
            continue
        ratio = min(Decimal(actual or 0) / Decimal(target), Decimal(1))
        weighted += ratio * weight
        total_weight += weight
    if not total_weight:
        return None
    percent = (weighted * 100 / total_weight).quantize(Decimal(1), rounding=ROUND_DOWN)
    return max(0, min(100, int(percent)))


def current_progress(entered: int | None, rows) -> int | None:
    """The public figure: the entered one when there is one, else the derived one."""
    return entered if entered is not None else derived_progress(rows)
