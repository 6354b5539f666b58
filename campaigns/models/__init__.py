"""The campaigns app's models, one module per topic: the ledger; reviews and decisions."""

from .ledger import *  # noqa: F403
from .reviews import *  # noqa: F403
from .totals import *  # noqa: F403
