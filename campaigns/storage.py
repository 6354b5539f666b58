"""Dossier files live in the ``private`` store (registry.storage); this name stays because
migrations refer to it."""

from registry.storage import private_storage

__all__ = ["private_storage"]
