"""Admin of the campaigns app, one module per issue."""

from . import reviews  # noqa: F401
