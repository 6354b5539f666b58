"""The file stores, as Django's ``STORAGES`` aliases: ``default`` (public photos) and
``private`` (commendation dossiers, residents' photos). Settings choose the backend: local
folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) or S3-compatible buckets (wardmodels.settings).

Model fields name ``private_storage`` (a callable, so migrations never freeze a backend or a
path); it gives a lazy stand-in that looks the alias up again whenever the settings change,
because a field evaluates its storage callable once, at import.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on disk, outside MEDIA_ROOT and without a URL: served only by views
    that check permissions. The folder is read from ``settings.PRIVATE_MEDIA_ROOT`` on each
    use unless OPTIONS give a ``location``."""

    @property
    def base_location(self):
        return str(self._location or settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; use a view that checks permissions.")


class _PrivateStorage(LazyObject):
    def _setup(self):
        # Built from the setting itself, not storages["private"]: a field sets this up at
        # import, and the handler would then freeze every alias (staticfiles too) that early.
        self._wrapped = storages.create_storage(settings.STORAGES["private"])


_private = _PrivateStorage()


def private_storage():
    """The ``private`` alias (dossiers, residents' photos)."""
    return _private


def _reset(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        _private._wrapped = empty


setting_changed.connect(_reset)
