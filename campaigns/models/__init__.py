"""The campaigns app's models, one module per issue (reviews; the ledger arrives next to it)."""

from .reviews import *  # noqa: F403
