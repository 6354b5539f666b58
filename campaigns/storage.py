"""Private files (commendation dossiers): outside MEDIA_ROOT, never given a public URL.

The location is read from ``settings.PRIVATE_MEDIA_ROOT`` on every use, so tests can point
it at a temporary folder. Files are served only by the workspace's permission-checked
``dossier_download`` view.
"""

import os
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(self._location or settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; use the download view.")


@cache
def private_storage() -> PrivateStorage:
    """The storage of dossier files (a callable, so migrations do not freeze a path)."""
    return PrivateStorage()
