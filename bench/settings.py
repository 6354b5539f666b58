"""The benchmark's settings: the site's own, plus the bench app and the floor's URLconf.

``DJANGO_SETTINGS_MODULE=bench.settings`` for ``manage.py seed_bench``, the harness's
gunicorn and the profiling scripts in this folder. Everything else (database, cache, DEBUG,
the secret key) still comes from the environment exactly as in production, so a page
measured here is the page a deployment serves.
"""

from wardmodels.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
