"""The benchmark's settings: the site's own, plus the bench app and the floor's URLconf.

``DJANGO_SETTINGS_MODULE=bench.settings`` for ``manage.py seed_bench``, the harness's
gunicorn and the profiling scripts in this folder. Everything else (database, cache, DEBUG,
the secret key) still comes from the environment exactly as in production, so a page
measured here is the page a deployment serves.
"""

import os

from wardmodels.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"

# A measured variant, never a deployment: BENCH_PAGE_CACHE=late puts the public-page cache
# after Django's CSRF middleware (bench/late_page_cache.py), so that a hit passes through the
# whole stack and Django's own CSRF middleware handles the token, instead of the cache
# replaying Django's CSRF steps itself from its early place. bench/README.md has the figures.
if os.environ.get("BENCH_PAGE_CACHE") == "late":
    _early = "wardmodels.pagecache.PublicPageCacheMiddleware"
    MIDDLEWARE = [m for m in MIDDLEWARE if m != _early]  # noqa: F405
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware") + 1,
        "bench.late_page_cache.LatePageCacheMiddleware",
    )
