"""The campaigns app's admin, one module per topic: the ledger; reviews and decisions."""

from . import ledger, reviews  # noqa: F401
