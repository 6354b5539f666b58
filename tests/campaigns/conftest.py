import pytest


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Dossier files go to a throw-away private folder per test."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
