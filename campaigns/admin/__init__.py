"""The campaigns app's admin, one module per topic."""

from . import ledger  # noqa: F401
