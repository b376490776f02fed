"""Settings for claimtracker: one file, read from the environment.

Every setting that differs between a laptop and production comes from an
environment variable read by the small typed helpers below; the defaults are
safe for local use (SQLite in the project, DEBUG on only when asked for).
`.env.example` lists the variables; the README explains them.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines of a local `.env` (made by `make`); the real environment wins."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            os.environ.setdefault(key.strip(), value.strip().strip("\"'"))


load_env_file(Path(os.environ.get("ENV_FILE", BASE_DIR / ".env")))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set one.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example)")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "sources",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "claimtracker.headers.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the switch in the menu (its cookie), else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "claimtracker.urls"

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
]

WSGI_APPLICATION = "claimtracker.wsgi.application"

# SQLite in the project by default; DATABASE_URL=postgres://... in production.
# Persistent connections: DATABASE_CONN_MAX_AGE seconds (gunicorn.conf.py makes it 60 under gunicorn), each
# checked before a request reuses it (CONN_HEALTH_CHECKS), so a restarted database fails no request.
# On SQLite, write-ahead logging lets readers go on while one writer writes; a write transaction takes the
# write lock when it begins (IMMEDIATE), waiting up to busy_timeout ms for it instead of failing half-way with
# "database is locked"; synchronous=NORMAL is durable in WAL mode except across a power cut.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
        "PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456"
    ),
    "transaction_mode": "IMMEDIATE",
}


def database(url: str) -> dict:
    settings = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0), conn_health_checks=True)
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings["OPTIONS"] = {**SQLITE_OPTIONS, **settings.get("OPTIONS", {})}
    return settings


DATABASES = {"default": database(env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# A read replica of the same database (PostgreSQL streaming replication): the API's and the pages' reads go
# there, writes and everything a write may depend on go to default (claimtracker/routers.py says which).
# In tests it is the default database itself (MIRROR), so what a test writes, a read sees.
if env_str("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {**database(env_str("DATABASE_REPLICA_URL")), "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["claimtracker.routers.ReplicaRouter"]

# Throttling (DRF), the exports' cache (claims.api.exports) and anything else in the cache: in Redis when
# REDIS_URL is set, so a limit holds across gunicorn's workers and servers; else in each process's memory.
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
            "KEY_PREFIX": "claimtracker",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # the overview, or the API docs for API consumers
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
# The interface in the analysts' languages: locale/fr/LC_MESSAGES/django.po, compiled to django.mo (committed;
# `make messages` then `make compilemessages` after changing a string).
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")  # `collectstatic` writes here
STATICFILES_DIRS = [BASE_DIR / "static"]
# With DEBUG off, `collectstatic` names each file after a hash of its content and compresses it; whitenoise then
# serves it gzipped with a year's Cache-Control (immutable): a changed file gets a new name. Tests render pages
# without a collectstatic (tests/conftest.py), `make run` with DEBUG on.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login rate limiting (django-axes): lock a username+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Failures are counted in the database, which every worker and server shares: a lockout holds across them.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Our page (429): for how long, and how an administrator lifts it (`manage.py axes_reset_username`).
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# `make serve`: the production settings (DEBUG off) answering plain HTTP on this machine, without a TLS
# proxy. Only for loopback host names: a site reachable by others must use HTTPS.
SERVE_INSECURE_HTTP = env_bool("SERVE_INSECURE_HTTP", default=False)
if SERVE_INSECURE_HTTP and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
    raise ImproperlyConfigured("SERVE_INSECURE_HTTP=1 is for 127.0.0.1 and localhost only (ALLOWED_HOSTS)")
HTTPS_ONLY = not DEBUG and not SERVE_INSECURE_HTTP

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
# Only announces consent to the browsers' preload list; submitting the domain is a separate, deliberate step.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS_ONLY)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A report's text may be up to sources.models.BODY_LIMIT characters; URL-encoded in a form, French text takes
# up to about 6 bytes a character. Beyond this, Django answers a bare 400 (templates/400.html says why).
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the proxy every request comes from its address: lock out by the client's address it forwards,
    # or 5 bad passwords from anywhere would lock a reviewer out for everyone.
    PROXY_COUNT = env_int("PROXY_COUNT", 1)
    AXES_CLIENT_IP_CALLABLE = "claimtracker.client_ip.client_ip"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.CanUseApi"],
    "DEFAULT_FILTER_BACKENDS": ["claims.api.filtersets.ApiFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.ClaimCursorPagination",
    "DEFAULT_SCHEMA_CLASS": "claims.api.schema.ApiAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_THROTTLE_RATE", "1000/hour")},
    "PAGE_SIZE": 50,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "claimtracker API",
    # Lazy: the schema is built per request, in the request's language (LocaleMiddleware, or the schema's ?lang=).
    "DESCRIPTION": _(
        "Vetted claims with their attributions (who said it, in which report, with which "
        "Admiralty grade), relations and entities. Read-only.\n\n"
        "Authenticate with `Authorization: Token <key>` (or a logged-in session). API consumers see "
        "vetted claims only; analysts and reviewers may pass `status`. Lists are cursor-paginated: "
        "follow `next`. Responses carry an ETag: send it as If-None-Match to get 304 when unchanged. "
        "To sync, pass `updated_since` with the time of your previous pull."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # No anonymous access, the schema and docs included: the same rule as the data.
    "SERVE_PERMISSIONS": ["claims.api.permissions.CanUseApi"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `kind`: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ClaimKindEnum": "claims.models.Claim.Kind",
        "EntityKindEnum": "claims.models.Entity.Kind",
        "RelationKindEnum": "claims.models.ClaimRelation.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
        "ReportKindEnum": "sources.models.Report.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"expected_refusals": {"()": "claimtracker.logging.ExpectedRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # A 403 is the permission system at work: one line with who and why, not a traceback.
    "loggers": {"django.request": {"filters": ["expected_refusals"]}},
}
