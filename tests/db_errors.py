"""Matching a refused write to the one database rule that refused it, on SQLite and PostgreSQL.

Both databases name a CHECK constraint in their error ("CHECK constraint failed: <name>",
'violates check constraint "<name>"'), so a CHECK is matched by its name alone. A UNIQUE
column is named differently: SQLite gives "UNIQUE constraint failed: <table>.<column>",
PostgreSQL the constraint it made for the column, "<table>_<column>_key".
"""


def unique_column(table: str, column: str) -> str:
    """A ``pytest.raises(match=...)`` pattern for a duplicate in ``table.column``."""
    return rf"\b{table}\.{column}\b|\b{table}_{column}_key\b"


def unique_constraint(table: str, column: str, name: str) -> str:
    """A ``pytest.raises(match=...)`` pattern for a duplicate refused by the UniqueConstraint
    ``name`` over ``table.column`` (SQLite names the column, PostgreSQL the constraint)."""
    return rf"\b{table}\.{column}\b|\b{name}\b"
