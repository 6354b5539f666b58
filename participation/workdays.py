"""Due dates in working days: Saturdays and Sundays are skipped (public holidays are not
known to the site; an official can see the received date and judge)."""

import datetime as dt


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    current = start
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current
