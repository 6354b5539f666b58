"""Settings for the load harness's gunicorn: production settings, static files found in place.

Only difference from wardmodels.settings: no `collectstatic` manifest is needed.
"""

from wardmodels.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The tests create their users with the tests' fast hasher (tests/conftest.py); the server
# must recognise those hashes for the officials to log in through the real login form.
# PBKDF2 stays accepted for tests that hash a password explicitly (tests/multiserver).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
