"""Counting SQL queries: a page must cost the same whether it shows 1 item or many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(func) -> tuple[int, object]:
    """Run ``func`` and return (number of queries it ran, its result)."""
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), result


def assert_constant_queries(fetch, grow) -> object:
    """``fetch()`` costs as many queries after ``grow()`` as before; returns the last result."""
    fetch()  # warm per-process caches (content types, site-wide lookups)
    before, _ = count_queries(fetch)
    grow()
    with CaptureQueriesContext(connection) as ctx:
        result = fetch()
    after = len(ctx.captured_queries)
    assert after == before, (
        f"{before} queries before growing the data, {after} after:\n"
        + "\n".join(q["sql"] for q in ctx.captured_queries)
    )
    return result
