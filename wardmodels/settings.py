"""Settings for the ward's "Dân vận khéo" registry: one file, read from the environment.

Every variable is parsed by a small typed helper; a malformed value stops start-up with an
``ImproperlyConfigured`` that names the variable (README.md lists them).
"""

import os
import re
import sys
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
# The site's templates/, static/, locale/ and fixtures/: at the top of a checkout, or inside
# the package when installed from the wheel (setup.py maps them to wardmodels/_site/).
CHECKOUT = (BASE_DIR / "manage.py").is_file()
SITE_DIR = BASE_DIR if CHECKOUT else Path(__file__).resolve().parent / "_site"
# Relative paths in the environment (the SQLite file, STATIC_ROOT, MEDIA_ROOT) and their
# defaults are under the checkout, or under the working directory of an installed site (never
# inside site-packages).
DATA_DIR = BASE_DIR if CHECKOUT else Path.cwd()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of on/off, true/false, 1/0, yes/no."
    )


def env_str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    return default if raw is None or raw.strip() == "" else raw.strip()


def env_list(name: str, default: str) -> list[str]:
    raw = env_str(name, default) or ""
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} must list at least one value, comma-separated.")
    return items


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_database(name: str, default: str) -> dict:
    raw = env_str(name, default)
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: use sqlite:///path or postgres://user@host:port/name."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is malformed: {exc}") from None
    # Django's own backends, but `flush` lifts the ledger's append-only guard (db_backends/).
    config["ENGINE"] = config["ENGINE"].replace("django.db.backends.", "wardmodels.db_backends.")
    if config["ENGINE"] == "wardmodels.db_backends.postgresql":
        config["CONN_HEALTH_CHECKS"] = True
    else:
        if not Path(config["NAME"]).is_absolute() and config["NAME"] != ":memory:":
            config["NAME"] = str(DATA_DIR / config["NAME"])
        # Several gunicorn workers write to one file (tests/load): a transaction takes
        # the write lock when it begins (a read-then-write transaction cannot then fail with
        # "database is locked"), waits up to 20 s for it, and readers never block writers.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL;",
        }
    return config


def env_cache(name: str, default: str, *, locmem_name: str = "", max_entries: int = 300) -> dict:
    raw = env_str(name, default)
    parts = urlsplit(raw)
    if parts.scheme in {"redis", "rediss"}:
        # Django's Redis backend, reusing one client per connection pool (wardmodels/cache.py).
        return {
            "BACKEND": "wardmodels.cache.RedisCache",
            "LOCATION": raw,
            # A hit takes about a millisecond; an unreachable server must not hold a request
            # for longer than this (the site carries on without the cache: wardmodels/cache.py).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    if parts.scheme == "locmem":
        # Per process; LocMemCache culls a third of its entries beyond MAX_ENTRIES.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": locmem_name,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"{name}={raw!r}: use redis://host:port/db, locmem:// or dummy://.")


def env_admins(name: str) -> list[tuple[str, str]]:
    """``"Name <a@b.vn>,Other <c@d.vn>"`` (or bare addresses) as Django's ADMINS list."""
    admins = []
    for item in (env_str(name, "") or "").split(","):
        if not item.strip():
            continue
        display, address = parseaddr(item.strip())
        if "@" not in address:
            raise ImproperlyConfigured(
                f"{name}: {item.strip()!r} is not an e-mail address; use "
                '"Name <user@example.vn>,Other <other@example.vn>".'
            )
        admins.append((display or address, address))
    return admins


EMAIL_SCHEMES = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}


def env_email(name: str) -> dict:
    """``EMAIL_URL``: smtp://user:password@host:587 (smtp+tls:// for STARTTLS, smtps:// for
    TLS from the start), or console:// to write mail to the log."""
    raw = env_str(name)
    if raw is None:
        return {}
    parts = urlsplit(raw)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in EMAIL_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}: use smtp://user:password@host:port, smtp+tls://…, smtps://… or console://."
        )
    use_tls, use_ssl = EMAIL_SCHEMES[parts.scheme]
    try:
        port = parts.port or (465 if use_ssl else 587 if use_tls else 25)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: the port is not a number.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=on for local development."
        )
    SECRET_KEY = "insecure-development-key-used-only-with-DJANGO_DEBUG-on"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in (env_str("DJANGO_CSRF_TRUSTED_ORIGINS", "") or "").split(",") if origin
]

WARD_NAME = env_str("WARD_NAME", "Phường Sầm Sơn")

# --- HTTPS ----------------------------------------------------------------------------------
# Production sets DJANGO_HTTPS=on: HTTPS only, HSTS, Secure cookies with __Host- names. It is
# off by default so that `make test`, pytest's live_server and runserver (plain http on
# loopback) keep working; `manage.py check --deploy` fails loudly while it is off.
HTTPS = env_bool("DJANGO_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
# Monitoring asks over plain http on loopback, behind the proxy: answer it, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
# A __Host- cookie is only accepted by browsers with Secure, Path=/ and no Domain: it cannot be
# set or overwritten by a sibling subdomain.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-language" if HTTPS else "django_language"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Behind a reverse proxy that terminates TLS: the header it sets to "https", e.g.
# DJANGO_SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto. Only set it when the proxy always
# overwrites that header; otherwise a client could claim HTTPS.
_proxy_ssl_header = env_str("DJANGO_SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)
# How many reverse proxies append to X-Forwarded-For in front of the app (0: none, use the
# socket's address). Login throttling counts failures per client address.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    # The domain, lowest first: participation and campaigns build on registry, campaigns
    # reads participation (its report figures), never the reverse.
    "registry",
    "participation",
    "campaigns",
    # The site, above both: the residents' pages and the officials' workspace.
    "wardmodels.public",
    "wardmodels.workspace",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control: no-store on every response under /quan-ly/ (contacts, exports).
    "wardmodels.middleware.WorkspaceNoStoreMiddleware",
    # A request holding NUL or a lone surrogate anywhere (path, query, form, cookies) gets the
    # 400 page before anything reads it (wardmodels/middleware.py), the page cache included.
    "wardmodels.middleware.UnreadableInputMiddleware",
    # Anonymous public pages from the cache (wardmodels/pagecache.py): before the
    # CSP, session, language, CSRF, auth and message middleware, so that a hit skips them
    # (it gives back the headers they put on the stored page and runs Django's CSRF steps
    # itself); after the security middleware, which adds its headers to a hit as to any
    # response.
    "wardmodels.pagecache.PublicPageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wardmodels.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wardmodels.urls"
WSGI_APPLICATION = "wardmodels.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wardmodels.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", "sqlite:///db.sqlite3")}
# Two PostgreSQL roles (docs/deploy.md): the site connects as DATABASE_URL's, which may only
# read and add to the ledger and owns nothing; the commands that change the schema or lift the
# ledger's guard connect as DATABASE_OWNER_URL's, the owner of every table, and `migrate`
# re-grants the site's role (campaigns/append_only.py). Unset: one role does everything.
OWNER_COMMANDS = frozenset(
    {
        "migrate",
        "flush",
        "loaddata",
        "load_demo",
        "rebuild_ledger_totals",
        "grant_app_role",
        "dbshell",
    }
)
DATABASE_APP_ROLE = None


def management_command(argv: list[str]) -> str | None:
    """The command this process runs through manage.py or django-admin, if any."""
    if len(argv) < 2:
        return None
    program = Path(argv[0])
    is_django = program.name in {"manage.py", "django-admin"} or program.parts[-2:] == (
        "django",
        "__main__.py",
    )
    return argv[1] if is_django else None


if env_str("DATABASE_OWNER_URL"):
    _owner = env_database("DATABASE_OWNER_URL", "")
    _app = DATABASES["default"]
    if _app["ENGINE"] != "wardmodels.db_backends.postgresql" or _owner["ENGINE"] != _app["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL is for PostgreSQL: DATABASE_URL and DATABASE_OWNER_URL must both "
            "be postgres:// URLs."
        )
    if [_owner.get(k) for k in ("HOST", "PORT", "NAME")] != [
        _app.get(k) for k in ("HOST", "PORT", "NAME")
    ]:
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL must name the same database (host, port, name) as DATABASE_URL, "
            "with the owner's role."
        )
    if not _owner.get("USER") or not _app.get("USER"):
        raise ImproperlyConfigured(
            "DATABASE_OWNER_URL and DATABASE_URL must each name their role "
            "(postgres://ROLE:PASSWORD@host:5432/name)."
        )
    if _owner["USER"] != _app["USER"]:
        DATABASE_APP_ROLE = _app["USER"]
    if management_command(sys.argv) in OWNER_COMMANDS:
        DATABASES["default"] = _owner
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # What must not be evicted by pages: the feedback limits among others.
    "default": env_cache("CACHE_URL", "locmem://"),
    # The public-page cache (wardmodels/pagecache.py), apart, so that pages never evict the
    # limits: its own Redis with a memory cap in production (README, docs/deploy.md), or
    # at most 1,000 pages per process in local memory (a page is 10-35 KB).
    "pages": env_cache(
        "PAGE_CACHE_URL",
        env_str("CACHE_URL", "locmem://") or "locmem://",
        locmem_name="pages",
        max_entries=1000,
    ),
}

# --- Performance -------------------------------------------------------------------------------
# Whole public pages for anonymous visitors, invalidated at once by every write (see
# wardmodels/pagecache.py). On by default only with a shared cache (Redis): the local-memory
# cache is per process, so one worker would not see another's invalidation.
PAGE_CACHE_SECONDS = env_int(
    "PAGE_CACHE_SECONDS",
    600 if CACHES["pages"]["BACKEND"].endswith("RedisCache") else 0,
)
# What this deploy serves, part of every cached page's key: a new release never gets pages
# rendered by the old one. Empty: a digest of the code, templates, translations and static
# manifest, computed at start-up (set it, to the commit say, to skip that).
PAGE_CACHE_RELEASE = env_str("PAGE_CACHE_RELEASE", "") or ""
# URL names whose anonymous responses may be cached (a reports helper adds its public summary).
PUBLIC_PAGE_CACHE_VIEWS = {
    "public:home",
    "public:initiative-list",
    "public:initiative-detail",
    # Every milestone change goes through registry.transitions (publish, withdraw) and
    # invalidates; photos are added to drafts only.
    "public:initiative-timeline",
    "public:report",
    "public:feedback-list",
}
# The query parameters that make a different page, per cached view (its filter form's fields
# and the page number): a request with any other parameter is rendered afresh and never
# stored, so random parameters cannot fill the cache; the key lists them sorted.
# tests/wardmodels/test_pagecache_flood.py keeps these equal to the views' forms.
PAGE_CACHE_QUERY_PARAMS = {
    "public:initiative-list": {
        "q", "field", "area", "ward", "status", "kind", "year", "recognised", "progress",
        "stale", "page",
    },
    "public:report": {"year"},
    "public:feedback-list": {"model", "kind", "status", "answered", "page"},
}  # fmt: skip

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user and address before the password is even checked.
    "wardmodels.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Vietnamese first: source strings are Vietnamese, English comes from locale/en.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
FORMAT_MODULE_PATH = ["wardmodels.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / env_str("STATIC_ROOT", "staticfiles")
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / env_str("MEDIA_ROOT", "media")
# The app serves public photos itself unless a reverse proxy does (SERVE_MEDIA=off).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
# Private files (commendation dossiers): never under MEDIA_ROOT, served only by a view that
# checks permissions (wardmodels.workspace.views.commendations.dossier_download).
PRIVATE_MEDIA_ROOT = DATA_DIR / env_str("PRIVATE_MEDIA_ROOT", "private_media")
DOSSIER_MAX_BYTES = env_int("DOSSIER_MAX_BYTES", 10 * 1024 * 1024)


def env_s3_storage(bucket_name: str, backend: str, **options) -> dict | None:
    """An S3-compatible bucket (django-storages) when ``bucket_name`` is set, else None.
    The keys and the endpoint are shared by both buckets."""
    bucket = env_str(bucket_name)
    if bucket is None:
        return None
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket):
        raise ImproperlyConfigured(
            f"{bucket_name}={bucket!r} is not a bucket name (3-63 lower-case letters, "
            "digits, dots and hyphens)."
        )
    for required in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
        if env_str(required) is None:
            raise ImproperlyConfigured(f"{required} must be set when {bucket_name} is.")
    endpoint = env_str("S3_ENDPOINT_URL")
    if endpoint is not None:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured(
                f"S3_ENDPOINT_URL={endpoint!r}: use http(s)://host[:port] (empty for AWS)."
            )
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": env_str("S3_ACCESS_KEY_ID"),
            "secret_key": env_str("S3_SECRET_ACCESS_KEY"),
            "region_name": env_str("S3_REGION"),
            # Uploads never replace a file of the same name (as on disk: a suffix is added).
            "file_overwrite": False,
            # Object ACLs are off on most buckets today: access comes from the bucket policy.
            "default_acl": None,
            **options,
        },
    }


STORAGES = {
    # Public photos: MEDIA_ROOT, or the bucket S3_PUBLIC_BUCKET (readable by anyone).
    "default": env_s3_storage(
        "S3_PUBLIC_BUCKET",
        "wardmodels.storage_s3.PublicS3Storage",
        querystring_auth=False,
        custom_domain=env_str("S3_PUBLIC_DOMAIN"),
    )
    or {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Dossiers and residents' photos: PRIVATE_MEDIA_ROOT, or the private bucket
    # S3_PRIVATE_BUCKET; never a URL, served only by views that check permissions.
    "private": env_s3_storage("S3_PRIVATE_BUCKET", "wardmodels.storage_s3.PrivateS3Storage")
    or {"BACKEND": "registry.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `manage.py runserver` find static files without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: photos are re-encoded by Pillow; these bound what we even try to open.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)
PHOTO_MAX_EDGE = 2560
THUMBNAIL_EDGE = 480
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Ledger (campaigns): the largest single amount an official may enter, in đồng. It catches a
# typo of three extra zeros; raise it for a genuinely large contribution.
LEDGER_MAX_AMOUNT = env_int("LEDGER_MAX_AMOUNT", 5_000_000_000)

# Public figures (campaigns/queries/disclosure.py): no figure shown to residents, nor any sum
# or difference of such figures, gives away what fewer than this many contributors who did not
# consent to publish their amount gave together; such figures are withheld and marked.
DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS = env_int("DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS", 2)
if DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS < 2:
    raise ImproperlyConfigured(
        "DISCLOSURE_MIN_HIDDEN_CONTRIBUTORS must be 2 or more: with 1 a figure made of one "
        "contributor's money would be public."
    )

# Residents' feedback (participation): the answer is due this many working days after the ward
# receives it; the public form refuses more than the limits per client address (a monthly
# keyed hash) and per phone number, forms sent sooner than FEEDBACK_MIN_SECONDS after the page
# was loaded, and keeps identical text to the same model within FEEDBACK_DUPLICATE_DAYS as a
# duplicate. Contact details are erased FEEDBACK_CONTACT_RETENTION_DAYS after an item is
# closed, refused, or answered and left open (`manage.py erase_feedback_contacts`, daily).
FEEDBACK_DUE_WORKING_DAYS = env_int("FEEDBACK_DUE_WORKING_DAYS", 10)
FEEDBACK_LIMIT_PER_HOUR = env_int("FEEDBACK_LIMIT_PER_HOUR", 3)
FEEDBACK_LIMIT_PER_DAY = env_int("FEEDBACK_LIMIT_PER_DAY", 10)
FEEDBACK_MIN_SECONDS = env_int("FEEDBACK_MIN_SECONDS", 3)
# A handed-out form is accepted this long, and once: a page kept open longer, or a form
# posted again, comes back with the resident's text and a fresh stamp.
FEEDBACK_FORM_MAX_HOURS = env_int("FEEDBACK_FORM_MAX_HOURS", 3)
FEEDBACK_DUPLICATE_DAYS = env_int("FEEDBACK_DUPLICATE_DAYS", 7)
FEEDBACK_CONTACT_RETENTION_DAYS = env_int("FEEDBACK_CONTACT_RETENTION_DAYS", 365)
for _name in (
    "FEEDBACK_FORM_MAX_HOURS",
    "FEEDBACK_DUE_WORKING_DAYS",
    "FEEDBACK_LIMIT_PER_HOUR",
    "FEEDBACK_LIMIT_PER_DAY",
    "FEEDBACK_CONTACT_RETENTION_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more.")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The CSRF failure page is templates/403_csrf.html, in the site's style.
CSRF_FAILURE_VIEW = "wardmodels.views.csrf_failure"

# Content Security Policy (django-csp 4): only our own files, no inline script or style
# (templates keep JS in static/js/ and CSS in static/css/; tests/security scans them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins from one address for
# one user name, that pair is locked for LOGIN_LOCKOUT_MINUTES; after
# LOGIN_FAILURE_LIMIT_PER_ADDRESS failed logins from one address whatever the user names, the
# address is (wardmodels.security.LoginThrottleHandler). An IPv6 client is its /64. An
# administrator unlocks earlier in /admin/axes/, with `manage.py axes_reset_username NAME` or
# `manage.py axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
if LOGIN_FAILURE_LIMIT_PER_ADDRESS < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT_PER_ADDRESS must be at least LOGIN_FAILURE_LIMIT."
    )
AXES_HANDLER = "wardmodels.security.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "wardmodels.security.lockout_response"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "wardmodels.security.client_ip"
AXES_USERNAME_CALLABLE = "wardmodels.security.client_username"
AXES_VERBOSE = False

# --- Errors, logs and mail --------------------------------------------------------------------
# Unhandled errors (500s) are mailed to ADMINS when it is set, and sent to Sentry when
# SENTRY_DSN is (`pip install wardmodels[sentry]`; imported only then).
ADMINS = env_admins("ADMINS")
MANAGERS = ADMINS
SERVER_EMAIL = env_str("SERVER_EMAIL", "wardmodels@localhost")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", SERVER_EMAIL)
EMAIL_SUBJECT_PREFIX = f"[{WARD_NAME}] "
# Outgoing mail: EMAIL_URL, or EMAIL_HOST with its companions; without either, mail is
# written to the log (development, or a site that sends none).
_email = env_email("EMAIL_URL")
if not _email and env_str("EMAIL_HOST"):
    _email = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": env_str("EMAIL_HOST"),
        "EMAIL_PORT": env_int("EMAIL_PORT", 587),
        "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", True),
        "EMAIL_USE_SSL": False,
    }
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10

LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL={LOG_LEVEL!r}: use DEBUG, INFO, WARNING or ERROR.")
# A refused request (403, CSRF failure, 400) is one line, without a traceback
# (wardmodels/log_filters.py); Django logs them to django.request and django.security.*.
_REFUSAL_LOGGERS = [
    "django.request",
    "django.security.csrf",
    *(
        f"django.security.{name}"
        for name in (
            "SuspiciousOperation",
            "DisallowedHost",
            "DisallowedRedirect",
            "RequestDataTooBig",
            "TooManyFieldsSent",
            "TooManyFilesSent",
            "SuspiciousMultipartForm",
            "SuspiciousFileOperation",
            "SuspiciousSession",
        )
    ),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One line per record (tracebacks folded in): time, level, logger, message.
        "line": {
            "()": "wardmodels.logs.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
            # With the zone: Django sets the process's TZ to TIME_ZONE (Asia/Ho_Chi_Minh).
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "refusal_on_one_line": {"()": "wardmodels.log_filters.RefusalOnOneLine"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's records reach the console through the root logger; errors are also mailed.
    # runserver's request lines keep Django's own handler (make run).
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        **{name: {"filters": ["refusal_on_one_line"]} for name in _REFUSAL_LOGGERS},
    },
}

SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install 'wardmodels[sentry]'."
        ) from None
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        # No performance tracing; personal data (cookies, client addresses) stays out of
        # reports, which is sentry-sdk's default.
        traces_sample_rate=0.0,
    )
