"""The files themselves: CSV (UTF-8 with a BOM, ISO dates) and JSON, streamed in chunks."""

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal

from wardmodels.spreadsheets import csv_writer

from .datasets import Dataset

BOM = "\ufeff"
# Rows written per chunk handed to the server while a file streams.
ROWS_PER_CHUNK = 500


def text_value(value) -> str:
    """A value as the CSV writes it (and as the Table Schema reads it back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def json_value(value):
    if isinstance(value, dt.datetime):
        return text_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


def csv_chunks(dataset: Dataset, absolute: Callable[[str], str]) -> Iterator[bytes]:
    """The header, then the rows, a few hundred at a time; a BOM first so that spreadsheet
    programs read the Vietnamese text as UTF-8. Text cells that start like a formula get a
    leading quote (``wardmodels.spreadsheets``); numbers are written as they are."""
    names = dataset.column_names
    buffer = io.StringIO()
    writer = csv_writer(buffer, format_value=text_value, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(names)
    for n, row in enumerate(dataset.rows(absolute), start=1):
        writer.writerow([row[name] for name in names])
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def json_chunks(dataset: Dataset, absolute: Callable[[str], str]) -> Iterator[bytes]:
    """A JSON array of objects with the same keys, in the same order, as the CSV columns."""
    names = dataset.column_names
    parts = ["["]
    for n, row in enumerate(dataset.rows(absolute)):
        record = {name: json_value(row[name]) for name in names}
        parts.append(("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False))
        if len(parts) >= ROWS_PER_CHUNK:
            yield "".join(parts).encode()
            parts = []
    parts.append("\n]\n")
    yield "".join(parts).encode()


WRITERS = {
    "csv": (csv_chunks, "text/csv; charset=utf-8"),
    "json": (json_chunks, "application/json"),
}
