import pytest


@pytest.fixture(autouse=True)
def _feedback_settings(settings, tmp_path):
    """Private files in a throw-away folder; no wait for the form in most tests (the tests
    of the 3-second rule set it back); a fresh cache so that limits start at zero."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.FEEDBACK_MIN_SECONDS = 0
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
