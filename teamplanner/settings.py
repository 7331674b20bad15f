"""Teamplanner settings: one file, every deploy-specific value from the environment.

Development defaults are safe to run locally; production sets at least
DJANGO_SECRET_KEY, DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS and DATABASE_URL.

Two families of variables: ``DJANGO_*`` sets the Django setting of the same
name (``DJANGO_TIME_ZONE`` is ``TIME_ZONE``); ``TEAMPLANNER_*`` is ours: the
workload rules, login throttling, sessions, and everything about the proxy
in front of the app. ``DATABASE_URL`` keeps its usual name.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-change-me-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "teamplanner",
    "roles",
    "assignments",
    "simple_history",
    "activity",
    "feeds",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "teamplanner.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "teamplanner.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after authentication: every change a request makes is recorded as by its login (activity/recording.py)
    "activity.recording.RecordingMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "teamplanner.urls"
WSGI_APPLICATION = "teamplanner.wsgi.application"
ASGI_APPLICATION = "teamplanner.asgi.application"

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
                "django.template.context_processors.i18n",
                "teamplanner.context_processors.navigation",
                "teamplanner.context_processors.csp_nonce",
            ],
        },
    },
]

# DATABASE_URL picks the database; unset means a SQLite file beside the project.
# PostgreSQL connections are kept open for a minute and health-checked before
# reuse, so a database restart costs one failed check, not a failed request.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing: a transaction takes the write lock when it begins
    # (IMMEDIATE), so SQLite never has to refuse a reader that wants to become a writer
    # ("database is locked"), and a waiting writer waits up to 20 s for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# The plan's history (activity/): the admin shows it read-only (a revert goes through the same rules as
# any write, on the team's activity page), and entries older than TEAMPLANNER_HISTORY_DAYS days are
# pruned by `manage.py prune_history` (unset: kept for ever).
SIMPLE_HISTORY_REVERT_DISABLED = True
_history_days = os.environ.get("TEAMPLANNER_HISTORY_DAYS", "").strip()
TEAMPLANNER_HISTORY_DAYS = int(_history_days) if _history_days else None

# The cache holds computed workload reports (assignments/report.py), keyed by the team's plan revision,
# so an entry is never stale. Local memory by default (each process its own, zero set-up); with
# REDIS_URL set, Django's Redis backend, shared by every instance. A cache outage is not an error:
# the pages compute instead (short timeouts, so a stopped Redis costs milliseconds).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "teamplanner",
            "TIMEOUT": 3600,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.5},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 64},  # a large team's report is megabytes: a few dozen per process
        }
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database (any instance can serve any user) and end after
# TEAMPLANNER_SESSION_IDLE_MINUTES without a request: a request moves the expiry on, writing the
# session at most once a minute (teamplanner/sessions.py), not on every page view.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("TEAMPLANNER_SESSION_IDLE_MINUTES", "120")) * 60

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# ------------------------------------------------------------------ security
# The CSP allows our own files only; scripts also need the page's nonce. htmx's
# inline indicator style is switched off (templates/base.html) and shipped in our CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# htmx sends the token from the page (hx-headers on <body>), so the cookie need not be readable by scripts.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    # DJANGO_SECURE_COOKIES=0 only for load tests on loopback without TLS (check --deploy then warns).
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
if "DJANGO_BEHIND_TLS_PROXY" in os.environ:  # renamed: failing loudly beats silently ignoring a security setting
    raise ImproperlyConfigured("DJANGO_BEHIND_TLS_PROXY is now TEAMPLANNER_BEHIND_TLS_PROXY.")
if env_bool("TEAMPLANNER_BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets this header itself (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): a username is locked for one address after
# AXES_FAILURE_LIMIT failures, and unlocked again after the cool-off, so an
# attacker can neither guess on nor lock the user out of other addresses for good.
AXES_FAILURE_LIMIT = int(os.environ.get("TEAMPLANNER_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("TEAMPLANNER_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "teamplanner.client_ip.client_ip"
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses), e.g. 127.0.0.1.
TEAMPLANNER_TRUSTED_PROXIES = env_list("TEAMPLANNER_TRUSTED_PROXIES", "")
AXES_VERBOSE = False

# Mail (notifications/: weekly digests, flag alerts, assignment notices). SMTP from the environment; with no
# host set and DEBUG on, messages are printed to the console instead, and `check --deploy` warns when
# production has no host.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 30  # seconds: a mail server that hangs fails the message (retried), not the run
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "teamplanner@localhost")
# The site's address as people reach it ("https://plan.example.com"), for the links in the mails (a flag
# alert's "fix it" links, a notice's link to My duties); empty (the default): the mails carry no links.
TEAMPLANNER_SITE_URL = os.environ.get("TEAMPLANNER_SITE_URL", "").strip()
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# Workload rules (docs/rules.md, "Workload (exact)" and "Flags (exact)"). Weekday numbers are
# Python's: Monday is 0.
TEAMPLANNER_WORKING_DAYS = tuple(int(day) for day in env_list("TEAMPLANNER_WORKING_DAYS", "0,1,2,3,4"))
# Band thresholds on the exact utilization ratio: under < HEALTHY_MIN <= healthy
# <= HEALTHY_MAX < full <= FULL_MAX < over.
TEAMPLANNER_BAND_HEALTHY_MIN = Decimal(os.environ.get("TEAMPLANNER_BAND_HEALTHY_MIN", "0.60"))
TEAMPLANNER_BAND_HEALTHY_MAX = Decimal(os.environ.get("TEAMPLANNER_BAND_HEALTHY_MAX", "0.85"))
TEAMPLANNER_BAND_FULL_MAX = Decimal(os.environ.get("TEAMPLANNER_BAND_FULL_MAX", "1.00"))
# dual_role by_work: the smaller of operational/strategic hours is at least this share of the total.
TEAMPLANNER_DUAL_ROLE_MIN_SHARE = Decimal(os.environ.get("TEAMPLANNER_DUAL_ROLE_MIN_SHARE", "0.10"))
# strategy_squeezed: a strategist whose strategic share is below this.
TEAMPLANNER_STRATEGY_MIN_SHARE = Decimal(os.environ.get("TEAMPLANNER_STRATEGY_MIN_SHARE", "0.25"))
