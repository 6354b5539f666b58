"""Due dates in working days: Saturdays, Sundays, Vietnam's public holidays (Tết and the
days the state moves around it, from the ``holidays`` package, which follows each year's
decisions) and the days off a ward adds in the admin (``DayOff``) are skipped."""

import datetime as dt
import functools

import holidays

from .models import DayOff


@functools.cache
def public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: dt.date, days_off: frozenset[dt.date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year) and day not in days_off


def ward_days_off(start: dt.date, days: int) -> frozenset[dt.date]:
    """The ward's own days off that ``days`` working days after ``start`` can reach: even the
    longest Tết break and weekends never stretch a working day past three calendar days on
    average plus a fortnight."""
    end = start + dt.timedelta(days=days * 3 + 30)
    return frozenset(
        DayOff.objects.filter(date__gt=start, date__lte=end).values_list("date", flat=True)
    )


def add_working_days(
    start: dt.date, days: int, days_off: frozenset[dt.date] | None = None
) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).
    ``days_off``: the ward's own days off; read from the database when not given."""
    if days_off is None:
        days_off = ward_days_off(start, days)
    current = start
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, days_off):
            left -= 1
    return current
