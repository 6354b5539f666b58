"""The one CSV writer of the product: text that a spreadsheet would run stays text.

A spreadsheet program opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (``=HYPERLINK(…)`` sends data away, ``=cmd|…`` once started programs), and a
leading tab or carriage return can hide such a start. Any resident-visible text (a model's
title, an organisation, a milestone) is typed by someone, so every CSV writes its text cells
through ``formula_safe``: the OWASP rule, a single quote in front, which the spreadsheet shows
and never runs.

Only text is touched: numbers (a negative amount or indicator included) are written by the
writer's own formatter as numbers, so a column typed as a number in the open data's schema
keeps parsing as one. Plumbing: every app may use it, it imports none.
"""

import csv
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Written as numbers, never quoted: a negative figure must stay a figure (bool is an int).
NUMBERS = (int, float, Decimal)


def formula_safe(value: Any) -> Any:
    """``value`` with a single quote in front if it is text starting like a formula;
    anything else (numbers, dates, ``None``) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` whose cells are written by ``format_value`` (the file's own way of writing
    dates, decimals, booleans) and then, unless the value is a number, through
    ``formula_safe``: a lazy translation or any other object that becomes text is neutralised
    like a string."""

    def __init__(self, target, *, format_value: Callable[[Any], Any] = lambda v: v, **kwargs):
        self._writer = csv.writer(target, **kwargs)
        self._format = format_value

    def _cell(self, value: Any) -> Any:
        if isinstance(value, NUMBERS):
            return self._format(value)
        return formula_safe(self._format(value))

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([self._cell(value) for value in row])


def csv_writer(target, *, format_value: Callable[[Any], Any] = lambda v: v, **kwargs):
    """A ``SafeCsvWriter`` on ``target`` (``kwargs`` as for ``csv.writer``)."""
    return SafeCsvWriter(target, format_value=format_value, **kwargs)
