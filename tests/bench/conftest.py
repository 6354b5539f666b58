"""The benchmark's code (seed_bench, the floor) is an app that only ``bench.settings``
installs. Tests that use it install it the same way, through the settings: when
INSTALLED_APPS changes, Django reloads the app registry, the list of management commands
and the template loaders, and restores them afterwards."""

import pytest

from bench import settings as bench_settings


@pytest.fixture
def bench_site(settings):
    """The site as ``bench.settings`` configures it: the bench app installed, the floor mounted."""
    settings.INSTALLED_APPS = bench_settings.INSTALLED_APPS
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
