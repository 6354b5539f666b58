"""Django's PostgreSQL and SQLite backends, with one change: ``flush`` is ledger maintenance.

The database refuses to change or delete ledger entries (campaigns/append_only.py). Emptying
every table (``manage.py flush``, and Django's test runner between transactional tests) is a
deliberate maintenance operation, so its statements run with the guard lifted, inside the
transaction that Django already wraps them in.
"""

from campaigns.append_only import FLAG_TABLE, maintenance_statements

# Registered with the backend, which every query loads: see lookups.py.
from wardmodels.db_backends import lookups  # noqa: F401


class FlushAsMaintenance:
    """A mixin for ``DatabaseOperations``."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        vendor = self.connection.vendor
        if not statements or (vendor == "sqlite" and not _has_flag_table(self.connection)):
            return statements  # before the guard's migration: nothing to lift
        begin, end = maintenance_statements(vendor)
        return [*begin, *statements, *end]


def _has_flag_table(connection) -> bool:
    with connection.cursor() as cursor:
        return FLAG_TABLE in connection.introspection.table_names(cursor)
