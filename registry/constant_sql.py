"""Reads whose SQL never changes, built by the ORM once per process.

The home page's figures and the list's year choices are a handful of fixed statements
(counts and bounds over the public models, no parameter from the request). Building and
compiling them through the ORM cost more Python than PostgreSQL took to answer them: without
this module the home page makes 16 % more Python calls (bench/README.md, "Optimisations that
replace Django's machinery", measured with bench/public_pages.py). Here the ORM builds each
one the first time, and later calls send the statement it sent.
"""

from collections.abc import Callable

from django.db import connections

# (key, database alias) -> (sql, params) as the ORM sent them.
_STATEMENTS: dict[tuple[str, str], tuple[str, tuple]] = {}


class _Capture:
    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, tuple(params or ()), many))
        return execute(sql, params, many, context)


def constant_rows(key: str, alias: str, orm_read: Callable[[], list[tuple]]) -> list[tuple]:
    """The rows of ``orm_read()``, a read whose statement is always the same (``key`` names
    it; one key per statement).

    ``orm_read`` returns the rows as tuples in the order of its statement's columns, as the
    database gives them: later calls return the database's own rows, without the ORM's
    conversions, so only for values both give alike (numbers, text; a date is text on
    SQLite). A read that takes more than one statement is never kept: it goes through the
    ORM every time.
    """
    statement = _STATEMENTS.get((key, alias))
    if statement is None:
        capture = _Capture()
        with connections[alias].execute_wrapper(capture):
            rows = orm_read()
        if len(capture.statements) == 1 and not capture.statements[0][2]:
            _STATEMENTS[key, alias] = capture.statements[0][:2]
        return rows
    with connections[alias].cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchall()
