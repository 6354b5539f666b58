import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Public pages render {% static %}; tests have no collectstatic manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
