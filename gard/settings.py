"""Settings for the rare-disease information site.

One module for every environment; anything that differs between a laptop and a
server is read from the environment through the small typed helpers below, which
stop start-up with a message naming the variable when a value is not usable.
"""

import math
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


def envbool(name: str, default: str) -> bool:
    """true/false, 1/0, yes/no or on/off, in any case and with spaces around; anything else stops start-up."""
    value = os.environ.get(name, default)
    word = value.strip().lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise ImproperlyConfigured(f"{name} must be true/false, 1/0, yes/no or on/off (in any case), not {value!r}")
    return word in TRUE_WORDS


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A host name (".example.com" for it and its subdomains), an IPv4 or a bracketed IPv6 address, or "*".
HOST = re.compile(r"^(\*|\.?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$")


def envhosts(name: str, default: str) -> list[str]:
    hosts = envlist(name, default)
    if not hosts:
        raise ImproperlyConfigured(f"{name} must name at least one host")
    for host in hosts:
        if not HOST.match(host):
            raise ImproperlyConfigured(
                f"{name} must be comma-separated host names (no scheme, port or path), not {host!r}"
            )
    return hosts


def envurl(name: str, schemes: tuple[str, ...]) -> str:
    """A URL with one of these schemes, or "" when the variable is unset or empty."""
    value = envstr(name)
    if value and urlsplit(value).scheme not in schemes:
        # The value is not repeated: it may hold a password.
        raise ImproperlyConfigured(f"{name} must start with {' or '.join(s + '://' for s in schemes)}")
    return value


def envseconds(name: str, default: str) -> float:
    value = os.environ.get(name, default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 3600:
        raise ImproperlyConfigured(f"{name} must be a number of seconds above 0, at most 3600, not {value!r}")
    return seconds


DEBUG = envbool("DEBUG", "False")
# PRODUCTION=True: served over HTTPS behind a proxy, with secure cookies, HSTS and a real secret.
PRODUCTION = envbool("PRODUCTION", "False")
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("PRODUCTION=True needs SECRET_KEY set to a long random value of its own.")
ALLOWED_HOSTS = envhosts("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "gard.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # intcomma: counts with thousands separators
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "simple_history",
    "axes",
    "django_ratelimit",  # only its system checks: the limits are applied by gard/ratelimits.py
    "gard",
]

MIDDLEWARE = [
    "gard.cache.NeverCacheByDefaultMiddleware",  # outermost: every answer below, error pages too, states a policy
    "django.middleware.security.SecurityMiddleware",
    "gard.health.DatabaseUnavailableMiddleware",  # a database error in a view: the 503 page
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "gard.uri_length.URITooLongMiddleware",  # an address too long to be real: the 414 page, before any lookup
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come pre-compressed) and above everything that writes the body; the page
    # cache is a view decorator, inside: it stores and returns uncompressed pages, compressed here on the way out.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins before checking passwords
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "gard.urls"
WSGI_APPLICATION = "gard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # One partial only, the symptom-table rows (gard/templatetags/gard_tags.py): the largest tables have
        # hundreds of rows, which Django's engine renders ten times slower than Jinja2 (README, "Benchmarks").
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True},
    },
]

# How long a request waits on a sick database or cache (README, "When a dependency fails"). Opening a
# database connection; a query, while a request is answered (gard/db/: PostgreSQL's statement_timeout
# and a watchdog one second later, SQLite's busy timeout and a limit on a running statement); the
# cache's connect and reply timeouts; and how long the site leaves a dependency that failed alone
# (also the Retry-After of the page that says the database is unavailable).
DATABASE_CONNECT_TIMEOUT = envseconds("DATABASE_CONNECT_TIMEOUT", "3")
DATABASE_QUERY_TIMEOUT = envseconds("DATABASE_QUERY_TIMEOUT", "5")
REDIS_TIMEOUT = envseconds("REDIS_TIMEOUT", "1")
RETRY_AFTER = envseconds("RETRY_AFTER", "5")

# DATABASE_URL names a PostgreSQL database (postgres://user:password@host:5432/name), or a SQLite
# file (sqlite:////absolute/path); unset, the SQLite file at SQLITE_PATH. Search has an
# implementation for each of the two (gard/search/index.py), so no other database is accepted.
DATABASE_URL = envurl("DATABASE_URL", ("postgres", "postgresql", "sqlite"))
if DATABASE_URL.startswith("sqlite"):
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600)}
elif DATABASE_URL:
    # Each app-server worker keeps its connection for ten minutes, checked before reuse.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)}
    if not DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured("DATABASE_URL must name the database: postgres://user:password@host:5432/name")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Each worker keeps its connection: opening one per request halves what a worker serves.
            "CONN_MAX_AGE": 600,
        }
    }
# The built-in engines with time limits added (gard/db/).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "gard.db.postgresql",
    "django.db.backends.sqlite3": "gard.db.sqlite3",
}[DATABASES["default"]["ENGINE"]]
if DATABASES["default"]["ENGINE"] == "gard.db.postgresql":
    # libpq counts whole seconds, 2 at least.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = max(2, math.ceil(DATABASE_CONNECT_TIMEOUT))
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = DATABASE_QUERY_TIMEOUT  # waiting for a lock

# REDIS_URL (redis://host:6379/0) shares one cache between every worker and server; unset, each
# process caches in its own memory.
REDIS_URL = envurl("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, failing open: an error is a miss, and pages are rendered (gard/cache_backends.py).
            "BACKEND": "gard.cache_backends.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "gard",
            # A cache that stops answering costs a request REDIS_TIMEOUT, once: it is then left alone.
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "gard.cache_backends.LocMemCache"}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Errors of requests (django.request, with their tracebacks) and the site's own messages (gard.*) to
# standard error, where gunicorn's error log goes: one header line in gunicorn's own format, a traceback's
# lines after it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s",
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "line"}},
    "loggers": {
        # Not on to Django's own handlers, which print the same to the console when DEBUG is on.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "gard": {"handlers": ["stderr"], "level": "INFO"},
    },
}

# SENTRY_DSN (off when unset): errors are also sent to that error tracker, with the request but no
# personal data (no cookies, user or address), and no performance tracing.
SENTRY_DSN = envurl("SENTRY_DSN", ("https", "http"))
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=SENTRY_DSN, integrations=[DjangoIntegration()], send_default_pii=False, traces_sample_rate=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Where the source documents and the fixtures built from them live.
DOCUMENTS_DIR = BASE_DIR / "fixtures" / "documents"
FIXTURES_DIR = BASE_DIR / "fixtures"
# Compact files derived from open disease data (Orphanet, Disease Ontology, Mondo): fixtures/open_data/README.md.
OPEN_DATA_DIR = FIXTURES_DIR / "open_data"
# Where `manage.py build_open_data` reads the source files from, by default (a folder laid out as shared/data).
OPEN_DATA_SOURCE_DIR = BASE_DIR.parent / "shared" / "data"
FIXTURE_DIRS = [FIXTURES_DIR]

# ---------------------------------------------------------------------------
# Security headers, cookies and login throttling
# ---------------------------------------------------------------------------
# Appended below the shared settings, so this block imports what it needs here.
from datetime import timedelta  # noqa: E402

from django.utils.csp import CSP  # noqa: E402

# Content-Security-Policy: everything from this site, nothing inline. The templates (the
# site's and the admin's) load scripts and styles from files only, and pass values to
# scripts through data- attributes; templates/admin/ overrides the few that did not.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if PRODUCTION:
    SECURE_CSP["upgrade-insecure-requests"] = True

SECURE_CONTENT_TYPE_NOSNIFF = True
# A disease page's address says what a reader looks up: other sites are not told it.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # the admin reads the token from its forms, never from the cookie
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    # HTTPS only, behind a proxy that terminates TLS and says so in X-Forwarded-Proto
    # (it must set or strip that header on every request it passes on).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]  # load balancers probe the app server directly
    SECURE_HSTS_SECONDS = 2 * 365 * 24 * 60 * 60  # two years, as the preload list asks
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Login throttling (django-axes): five failed sign-ins for one username from one address
# lock that pair out for a quarter of an hour; each further failure restarts the wait.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "gard.admin.throttling.locked_out"
# Password spraying (a few passwords against many usernames): an address is also locked out, for
# the same time, after AXES_ADDRESS_FAILURE_LIMIT failures across all usernames (gard/admin/throttling.py).
AXES_HANDLER = "gard.admin.throttling.AddressLimitHandler"
AXES_ADDRESS_FAILURE_LIMIT = os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20")
if not AXES_ADDRESS_FAILURE_LIMIT.isdigit() or int(AXES_ADDRESS_FAILURE_LIMIT) < 1:
    raise ImproperlyConfigured(
        f"AXES_ADDRESS_FAILURE_LIMIT must be a whole number above 0, not {AXES_ADDRESS_FAILURE_LIMIT!r}"
    )
AXES_ADDRESS_FAILURE_LIMIT = int(AXES_ADDRESS_FAILURE_LIMIT)
# Behind the proxy every request comes from the proxy: the client is the address the
# trusted proxies appended to X-Forwarded-For. Set TRUSTED_PROXY_COUNT to their number.
TRUSTED_PROXY_COUNT = os.environ.get("TRUSTED_PROXY_COUNT", "1" if PRODUCTION else "0")
if not TRUSTED_PROXY_COUNT.isdigit():
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be a whole number, not {TRUSTED_PROXY_COUNT!r}")
TRUSTED_PROXY_COUNT = int(TRUSTED_PROXY_COUNT)
AXES_CLIENT_IP_CALLABLE = "gard.admin.throttling.client_ip"

# Per-client rate limits on the pages whose every request is work (gard/ratelimits.py): search, its and the
# finder's suggestions, the finder. Each is one or more counts of requests per period, comma-separated
# ("10/10s,60/m": at most 10 in any 10-second window and 60 a minute), per client address (client_ip above),
# counted in the default cache; a page served from the page cache is not counted.
RATE = re.compile(r"^[1-9][0-9]*/([1-9][0-9]*)?[smhd]$")


def envrates(name: str, default: str) -> list[str]:
    rates = envlist(name, default)
    if not rates or not all(RATE.match(rate) for rate in rates):
        raise ImproperlyConfigured(
            f"{name} must be requests per period, comma-separated, such as 10/10s,60/m, not {os.environ.get(name)!r}"
        )
    return rates


# A person reads each result page: a few searches a minute; a script sending them as fast as answers come
# meets the 10-second limit within a second or so.
SEARCH_RATE = envrates("SEARCH_RATE", "10/10s,60/m")
# One a pause in typing (static/js/suggest.js waits 150 ms), for the search box and the finder's together.
SUGGEST_RATE = envrates("SUGGEST_RATE", "20/10s,120/m")
FINDER_RATE = envrates("FINDER_RATE", "10/10s,60/m")  # finder pages, phenopacket files in and out
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", "True")
# A cache that cannot be reached lets requests through rather than refusing everyone.
RATELIMIT_FAIL_OPEN = True
# django-ratelimit's checks know memcached and django-redis by name only. W001 ("not officially supported") names
# any other backend, the site's own among them, whose Redis increment is Redis's atomic INCR. E003 says local
# memory is not shared: without REDIS_URL each worker process counts on its own, so a client may reach
# WEB_CONCURRENCY times the rate, which still bounds a script and is all a single-process development server
# needs; with REDIS_URL every worker shares the counts and E003 stays on.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if REDIS_URL else ["django_ratelimit.E003"])
