"""Settings for the load harness's gunicorn: production settings, static files found in place.

Only difference from wardmodels.settings: no `collectstatic` manifest is needed.
"""

from wardmodels.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
