"""Anima settings, read from the environment (12-factor) with development defaults.

Nothing set: SQLite and kombu's filesystem broker under ``var/`` (the embedded default).
``DJANGO_ENV=production``: refuses to start without SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL,
and turns on every HTTPS protection that ``check --deploy`` looks for.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from anima.security import DEVELOPMENT_SECRET_KEY, proxy_networks, secret_key_problem

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ANIMA_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


PRODUCTION = env("DJANGO_ENV", "development") == "production"

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not env(name)]
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    if problem := secret_key_problem(env("SECRET_KEY")):
        raise ImproperlyConfigured(
            problem + ' Generate one: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )

DEBUG = env_bool("DJANGO_DEBUG", not PRODUCTION)
SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://localhost:8000")
# The reverse proxies in front of the app (addresses or CIDRs, e.g. the compose network): the
# client is the rightmost X-Forwarded-For address that is not one of them. Empty: the peer.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    proxy_networks(TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(str(error)) from error

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "simple_history",
    "hub",
    "shop",
    "delivery",
    "coworking",
    "insertion",
]

MIDDLEWARE = [
    "hub.request_id.RequestIdMiddleware",
    "hub.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hub.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "hub.middleware.HtmxSignInMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hub.middleware.ClearSiteDataOnLogoutMiddleware",
    # Field-level history (orders, contracts) records the signed-in user who made the change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: its 400 goes back out through the others (CSP, security headers, session).
    "hub.request_text.RequestTextMiddleware",
]

ROOT_URLCONF = "anima.urls"
WSGI_APPLICATION = "anima.wsgi.application"
ASGI_APPLICATION = "anima.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The ``date`` filter writes the first of the month « 1er » (pages and e-mails).
            "builtins": ["hub.templatetags.french"],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hub.context_processors.navigation",
                "hub.context_processors.visitor",
            ],
        },
    },
    # E-mails' subjects and plain-text bodies: text, never HTML-escaped (« Salle d'ateliers »).
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["hub.templatetags.french"]},
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "anima.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# How long a checkout or a booking waits for a row lock before asking to retry (PostgreSQL).
DATABASE_LOCK_TIMEOUT_MS = int(env("DATABASE_LOCK_TIMEOUT_MS", "3000"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL and immediate transactions avoid "database is
    # locked" under the embedded default.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits need one shared by every process) --------------------------
CACHE_URL = env("CACHE_URL") or env("REDIS_URL")
if CACHE_URL:
    # Degraded, not failing, while Redis is down (anima/cache.py); a Redis that does not answer
    # within a second counts as down.
    CACHES = {
        "default": {
            "BACKEND": "anima.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        # Sessions: purged after an outage so that a logout made meanwhile holds (anima/cache.py).
        "sessions": {
            "BACKEND": "anima.cache.SessionRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "sessions",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "hub.User"
# One backend: allauth's (a ModelBackend, so permissions too). With Django's ModelBackend next to
# it, both checked the password of every failed login, two hashes per wrong password. Ours
# only reads the session's user through the cache (hub.user_cache): no query per page.
AUTHENTICATION_BACKENDS = ["hub.auth_backends.CachedUserBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "hub:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "hub.forms.SignupForm"
ACCOUNT_ADAPTER = "hub.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Anima] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Personal documents (proofs, certificates) live outside MEDIA_ROOT, never served by URL:
# only permission-checked views read them (storages["private"]).
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "hub.storage.PrivateStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Form fields (files aside) of one request: more is a 400 before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Anima Calais <ne-pas-repondre@anima-calais.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies go: messages come from a no-reply address, so every one of them carries this
# Reply-To (« répondez à ce message » reaches the hub's team).
SUPPORT_EMAIL = env("SUPPORT_EMAIL", "contact@anima-calais.fr")
SITE_NAME = env("SITE_NAME", "Anima Calais")
# ADLC's multimedia workshop: receives the shops' requests for help and their messages.
SHOP_WORKSHOP_EMAIL = env("SHOP_WORKSHOP_EMAIL", "atelier-multimedia@anima-calais.fr")
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# A mail server that stops answering must not hold a send (and its claim) for ever.
EMAIL_TIMEOUT = 30
# Stored e-mails (hub.emails): the sweep queues again those unsent after the grace period whose
# claim is absent or older than the claim timeout (well above EMAIL_TIMEOUT); after this many
# attempts an e-mail stays unsent, for staff to see in the admin.
OUTGOING_EMAIL_GRACE_SECONDS = int(env("OUTGOING_EMAIL_GRACE_SECONDS", "120"))
OUTGOING_EMAIL_CLAIM_TIMEOUT_SECONDS = int(env("OUTGOING_EMAIL_CLAIM_TIMEOUT_SECONDS", "300"))
OUTGOING_EMAIL_MAX_ATTEMPTS = 20
OUTGOING_EMAIL_SWEEP_BATCH = 500

# --- SMS -----------------------------------------------------------------------------------
# Text messages to shoppers (hub.sms). No provider (the default, and the embedded default):
# nothing is sent, each message is written to var/sms/ as e-mails are to var/mail/ without a
# mail server. "brevo": Brevo's transactional SMS API (docs/architecture.md says why).
SMS_PROVIDER = env("SMS_PROVIDER", "") or ""
if SMS_PROVIDER not in ("", "brevo"):
    raise ImproperlyConfigured("SMS_PROVIDER is empty (messages written to var/sms/) or brevo.")
SMS_API_URL = env("SMS_API_URL") or "https://api.brevo.com/v3/transactionalSMS/send"
SMS_API_KEY = env("SMS_API_KEY", "") or ""
if SMS_PROVIDER and not SMS_API_KEY:
    raise ImproperlyConfigured("SMS_PROVIDER is set: SMS_API_KEY is required.")
# The name shown as the sender: 3 to 11 letters or digits (operators refuse others).
SMS_SENDER = env("SMS_SENDER", "Anima") or "Anima"
SMS_FILE_PATH = VAR_DIR / "sms"
SMS_TIMEOUT = float(env("SMS_TIMEOUT") or "10")
# Like stored e-mails: a sweep queues again the messages unsent after the grace period; after
# this many attempts a message stays unsent, for staff to see in the admin.
OUTGOING_SMS_GRACE_SECONDS = int(env("OUTGOING_SMS_GRACE_SECONDS") or "120")
OUTGOING_SMS_CLAIM_TIMEOUT_SECONDS = 120
OUTGOING_SMS_MAX_ATTEMPTS = 10
OUTGOING_SMS_SWEEP_BATCH = 200

# --- Celery ---------------------------------------------------------------------------------
# The filesystem transport ignores the host; naming one keeps kombu from warning at start.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://localhost/")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "processed", "control"):
        (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Kombu's default is a "control" folder in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no fanout exchange: no remote control, no events.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # A message taken by a worker killed with it comes back after this long. Longer than the
    # longest retry countdown (anima.celery.RETRY_POLICY), or a waiting retry would run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
# A worker or beat unseen for longer than this is reported as late by /healthz.
HEARTBEAT_STALE_AFTER_SECONDS = 180

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API client with a bad token gets 401 with WWW-Authenticate.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "hub.api_fields.StrictPageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "hub.api_parsers.JSONParser",
        "hub.api_parsers.FormParser",
        "hub.api_parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "hub.api_errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
# A JSON body above this many bytes is a 413 and one nested deeper than this a 400, both
# before parsing (hub.api_parsers): the API's largest real bodies are a few kilobytes.
API_MAX_JSON_BYTES = int(env("API_MAX_JSON_BYTES", str(1024 * 1024)))
API_MAX_JSON_DEPTH = 32
SPECTACULAR_SETTINGS = {
    "TITLE": "API Anima",
    "DESCRIPTION": "API du pôle ESS Anima (Calais) : boutique, livraisons, espaces, agenda.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hub.api_schema.declare_common_responses",
    ],
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Sessions read from the cache (Redis), written through to the database: a signed-in page
# spends no query on its session; while Redis is down they are read from the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The footer's language switch: no script reads the cookie; Lax like the session's.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Records about a request name its client (after TrustedProxyMiddleware), never the proxy.
    # Every record carries the request id (hub.request_id), also inside the tasks it queued.
    "filters": {
        "client": {"()": "hub.client_address.ClientAddressFilter"},
        "request_id": {"()": "hub.request_id.RequestIdFilter"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] client=%(client)s "
            "%(message)s"
        },
        # One JSON object per line for the log collector (production's default).
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(client)s",
            "rename_fields": {"levelname": "level", "name": "logger", "asctime": "time"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client", "request_id"],
            "formatter": env("LOG_FORMAT", "json" if PRODUCTION else "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Error reports: off unless SENTRY_DSN is set (anima.sentry scrubs personal data before sending).
SENTRY_DSN = env("SENTRY_DSN", "")
if SENTRY_DSN:
    from anima.sentry import start as start_sentry

    start_sentry(SENTRY_DSN, env("SENTRY_ENVIRONMENT", "production"), env("SENTRY_RELEASE") or None)

for folder in (VAR_DIR, STATIC_ROOT):
    folder.mkdir(parents=True, exist_ok=True)

# --- hub ---
# Public lists that hold no price nor stock (home, structures, agenda, spaces) are served from
# the cache for this long: a new event or seat count shows at most this late.
PUBLIC_PAGE_CACHE_SECONDS = int(env("PUBLIC_PAGE_CACHE_SECONDS", "60"))
# The account menu's links per user (hub.account_menu): forgotten at once on the changes that
# decide them, so this only bounds a change written by a bulk update.
ACCOUNT_MENU_SECONDS = int(os.environ.get("ACCOUNT_MENU_SECONDS", "600"))
# The signed-in user's row in the sessions' cache (hub.user_cache): forgotten on every change,
# so the delay only bounds a change no signal tells of (raw SQL).
USER_CACHE_SECONDS = int(os.environ.get("USER_CACHE_SECONDS", "600"))
# How long a value forgotten after a change (hub.remembered) is computed anew by every request
# before it is stored again: longer than a request takes between its read and its store.
REMEMBERED_TOMBSTONE_SECONDS = int(os.environ.get("REMEMBERED_TOMBSTONE_SECONDS", "10"))
# Events agenda: seats one person may book at once, visitor registrations allowed per hour
# and IP address (each sends a confirmation e-mail), days before unconfirmed ones are deleted.
EVENT_MAX_SEATS_PER_REGISTRATION = int(env("EVENT_MAX_SEATS_PER_REGISTRATION", "6"))
EVENT_VISITOR_REGISTRATIONS_PER_HOUR = int(env("EVENT_VISITOR_REGISTRATIONS_PER_HOUR", "10"))
EVENT_PENDING_REGISTRATION_DAYS = int(env("EVENT_PENDING_REGISTRATION_DAYS", "7"))
# seed_demo's past: eight weeks of activity before today, seeded by each app.
DEMO_HISTORY_DAYS = int(env("DEMO_HISTORY_DAYS", "56"))
# The embedded default (no DJANGO_ENV=production, no DATABASE_URL: SQLite under var/, as
# scripts/demo runs): the home page then guides a first visit of the demo data, once seeded.
EMBEDDED_DEFAULT = not PRODUCTION and not env("DATABASE_URL")

# --- coworking ---
COWORKING_PROOF_MAX_BYTES = 5 * 1024 * 1024
COWORKING_MAX_WEEKLY_REPEATS = 26
COWORKING_LEASE_REMINDER_DAYS = 61
COWORKING_AGREEMENT_REMINDER_DAYS = 30

# --- delivery ---
# Cargo-bike zone: a circle around Calais city centre, changeable by staff in the admin.
DELIVERY_ZONE_CENTER = (50.9513, 1.8587)
DELIVERY_ZONE_RADIUS_KM = float(env("DELIVERY_ZONE_RADIUS_KM", "3"))
# "ban" (national address base, production default) or "gazetteer" (static CSV, no network).
DELIVERY_GEOCODER = env("DELIVERY_GEOCODER", "ban" if PRODUCTION else "gazetteer")
DELIVERY_BAN_URL = env("DELIVERY_BAN_URL", "https://data.geopf.fr/geocodage/search")
DELIVERY_BAN_TIMEOUT = float(env("DELIVERY_BAN_TIMEOUT", "4"))
DELIVERY_BAN_MIN_SCORE = float(env("DELIVERY_BAN_MIN_SCORE", "0.5"))
# A found address is kept this long in the cache: the live check, the review and the
# confirmation of one checkout ask the geocoder once.
DELIVERY_GEOCODE_CACHE_SECONDS = int(env("DELIVERY_GEOCODE_CACHE_SECONDS", "900"))
DELIVERY_GAZETTEER_PATH = env(
    "DELIVERY_GAZETTEER_PATH", str(BASE_DIR / "delivery" / "data" / "gazetteer.csv")
)
DELIVERY_SLOT_DAYS_AHEAD = 14
# Address suggestions while typing (one BAN call each in production): at most this many
# searches per client address in this many seconds.
DELIVERY_ADDRESS_SEARCH_LIMIT = (int(env("DELIVERY_ADDRESS_SEARCHES_PER_MINUTE", "120")), 60)
# Fees used until staff set fee rules in the admin (euros incl. VAT).
DELIVERY_DEFAULT_FEES = {"home": "4.90", "work": "4.90", "relay": "2.50", "collect": "0"}
# Dispatch: rounds start and end at the hub (Pôle Anima, the former art school).
DELIVERY_HUB_POSITION = (
    float(env("DELIVERY_HUB_LATITUDE", "50.9536")),
    float(env("DELIVERY_HUB_LONGITUDE", "1.8592")),
)
# Road distance = great-circle distance x detour factor; ridden at the cargo-bike speed.
DELIVERY_DETOUR_FACTOR = float(env("DELIVERY_DETOUR_FACTOR", "1.3"))
DELIVERY_BIKE_SPEED_KMH = float(env("DELIVERY_BIKE_SPEED_KMH", "14"))
# Distances that follow the streets: a self-hosted routing service with a bicycle profile,
# speaking OSRM's ("osrm": its table service) or Valhalla's ("valhalla": sources_to_targets)
# HTTP API at DELIVERY_ROUTING_URL; "straight" (the default) needs no server. When the service
# does not answer, distances fall back to straight lines and the board says so.
DELIVERY_ROUTING_API = env("DELIVERY_ROUTING_API", "straight")
if DELIVERY_ROUTING_API not in ("straight", "osrm", "valhalla"):
    raise ImproperlyConfigured('DELIVERY_ROUTING_API is "straight", "osrm" or "valhalla".')
DELIVERY_ROUTING_URL = env("DELIVERY_ROUTING_URL") or ""
if DELIVERY_ROUTING_API != "straight" and not DELIVERY_ROUTING_URL:
    raise ImproperlyConfigured("DELIVERY_ROUTING_URL is needed with an OSRM or Valhalla service.")
DELIVERY_ROUTING_TIMEOUT = float(env("DELIVERY_ROUTING_TIMEOUT", "5"))
DELIVERY_ROUTING_PROFILE = env("DELIVERY_ROUTING_PROFILE") or "bike"  # OSRM's profile name
# Streets change seldom: a pair of positions is asked again after a week.
DELIVERY_ROUTING_CACHE_SECONDS = 7 * 24 * 3600
# VROOM's exploration level (0–5): the search is bounded by it, never by the clock, so the
# same deliveries always give the same plan (docs/delivery-solver.md).
DELIVERY_SOLVER_EFFORT = int(env("DELIVERY_SOLVER_EFFORT", "5"))
# A round of a slot leaves the hub this long before the slot opens (pickups at the shops) and
# may come back this long after it closes.
DELIVERY_ROUND_LEAD_MINUTES = 60
DELIVERY_ROUND_RETURN_MINUTES = 30
# CO2 avoided: the same kilometres by a diesel light commercial van. Factor per litre of road
# diesel (upstream + combustion): Arrêté du 26 avril 2017 (décret 2017-639, information GES des
# prestations de transport), annexe : gazole routier 3,17 kg CO2e/L. Consumption: assumption
# of 9 L/100 km for a light van in town stop-and-go. Both are shown on the figures page.
DELIVERY_DIESEL_KG_CO2E_PER_LITRE = float(env("DELIVERY_DIESEL_KG_CO2E_PER_LITRE", "3.17"))
DELIVERY_VAN_LITRES_PER_100_KM = float(env("DELIVERY_VAN_LITRES_PER_100_KM", "9"))
DELIVERY_VAN_CO2_SOURCE = env(
    "DELIVERY_VAN_CO2_SOURCE",
    "Arrêté du 26 avril 2017 (information sur les gaz à effet de serre des prestations de "
    "transport), annexe : gazole routier 3,17 kg CO2e par litre, amont et combustion ; "
    "consommation supposée d'un utilitaire diesel en ville : 9 L/100 km.",
)
# Maps of rounds (board, courier page, route sheet), drawn by the vendored Leaflet. Tiles: an
# address template ({z}/{x}/{y}, optionally {s}); none (the embedded default, tests): markers
# and paths on a plain background. Production uses OpenStreetMap's tiles under their usage
# policy: the attribution under each map, no prefetch beyond Leaflet's view, a Referer.
MAP_TILES_URL = env(
    "MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png" if PRODUCTION else ""
)
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", "© les contributeurs d'OpenStreetMap")
MAP_TILES_ATTRIBUTION_URL = env(
    "MAP_TILES_ATTRIBUTION_URL", "https://www.openstreetmap.org/copyright"
)
MAP_TILES_MAX_ZOOM = int(env("MAP_TILES_MAX_ZOOM", "19"))
if MAP_TILES_URL:
    _tiles = urlsplit(MAP_TILES_URL.replace("{s}.", "*."))
    if _tiles.scheme not in ("https", "http") or not _tiles.netloc:
        raise ImproperlyConfigured("MAP_TILES_URL must be an http(s):// address template.")
    if PRODUCTION and _tiles.scheme != "https":
        raise ImproperlyConfigured("MAP_TILES_URL must be an https:// address in production.")
    # The tile images are the only thing the maps load from elsewhere.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
# The tracking block (public page and shopper's order page) asks for news this often.
DELIVERY_TRACKING_REFRESH_SECONDS = int(env("DELIVERY_TRACKING_REFRESH_SECONDS", "30"))
# Live news (server-sent events, delivery/views/live.py): the board and the courier's page
# listen to a stream and poll only while it fails. Redis rings the streams at once when
# configured; without it (embedded default) each stream checks the table this often.
DELIVERY_LIVE_STREAM = env_bool("DELIVERY_LIVE_STREAM", True)
DELIVERY_LIVE_REDIS_URL = env("DELIVERY_LIVE_REDIS_URL") or CACHE_URL or ""
DELIVERY_LIVE_POLL_SECONDS = float(env("DELIVERY_LIVE_POLL_SECONDS") or "1")
DELIVERY_LIVE_KEEPALIVE_SECONDS = 15
# A stream ends after this long and the browser comes back with Last-Event-ID (misses nothing).
DELIVERY_LIVE_STREAM_SECONDS = 300
DELIVERY_LIVE_RETRY_SECONDS = 3
# The fallback: the board's failures list and the courier's round are asked for this often while
# the stream is down (0: never).
DELIVERY_BOARD_POLL_SECONDS = int(env("DELIVERY_BOARD_POLL_SECONDS") or "20")
DELIVERY_COURIER_POLL_SECONDS = int(env("DELIVERY_COURIER_POLL_SECONDS") or "60")
# Web push to couriers (« Nouvelle tournée publiée », « Tournée modifiée »): VAPID key pair
# (base64url: the public key as an uncompressed P-256 point, the private key as its 32 raw
# bytes) and the subject, a mailto: address. Push is off (no button, nothing sent) unless
# all three are set.
WEBPUSH_VAPID_PUBLIC_KEY = env("WEBPUSH_VAPID_PUBLIC_KEY", "") or ""
WEBPUSH_VAPID_PRIVATE_KEY = env("WEBPUSH_VAPID_PRIVATE_KEY", "") or ""
WEBPUSH_VAPID_SUBJECT = env("WEBPUSH_VAPID_SUBJECT", "") or ""
# Push services answer over HTTPS only; the tests' local stand-in speaks plain HTTP.
WEBPUSH_ALLOW_HTTP_ENDPOINTS = False
WEBPUSH_TIMEOUT_SECONDS = 10
# A courier's action recorded offline may arrive this late and keep the time it was made.
DELIVERY_OFFLINE_ACTION_MAX_AGE_HOURS = 24
# Proof photos (compressed on the phone) are re-encoded to this longest side.
DELIVERY_PROOF_MAX_SIDE = 1600
# Distinct OpenAPI names for delivery's choice sets that share a field name with others.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "FailureReasonEnum": "delivery.models.FailureReason",
        "DeliveryStatusEnum": "delivery.models.DeliveryStatus",
        "RoundStatusEnum": "delivery.models.RoundStatus",
        "PickupStatusEnum": "delivery.models.PickupStatus",
        "StopStateEnum": "delivery.models.StopState",
        "StopKindEnum": "delivery.models.StopKind",
    }
)

# --- shop ---
SHOP_LOW_STOCK_THRESHOLD = 3
SHOP_MAX_LINE_QUANTITY = 99
# A click & collect order that no shop accepted within this many hours is released.
SHOP_COLLECT_ACCEPT_HOURS = 24
SHOP_PRODUCTS_PER_PAGE = 24
# Product lists count and page through at most this many products (then: narrow the search).
SHOP_MAX_LISTED_PRODUCTS = 1000
# Suggestions under the search field: how many, and requests allowed per minute and address.
SHOP_SUGGESTIONS = 6
SHOP_SUGGESTIONS_PER_MINUTE = int(env("SHOP_SUGGESTIONS_PER_MINUTE", "60"))
# Catalogue pages are kept whole under the catalogue's version (any write makes a new one);
# this bounds how long one is kept, and so how long a bump lost by another process shows.
SHOP_PAGE_CACHE_SECONDS = int(env("SHOP_PAGE_CACHE_SECONDS") or "300")
# Distinct OpenAPI names for the shop's choice sets that share a field name.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "MerchantCategoryEnum": "shop.models.MerchantCategory",
        "ProductCategoryEnum": "shop.models.ProductCategory",
        "OrderStatusEnum": "shop.models.OrderStatus",
        "MerchantOrderStatusEnum": "shop.models.MerchantOrderStatus",
        "PaymentMethodEnum": "shop.models.PaymentMethod",
    }
)

# --- online payment (hub.payments: Stripe Connect) ---
# No secret key (the embedded default): online payment is not offered and everything is paid
# on delivery, at collection or on site, as before. STRIPE_API_BASE points the Stripe library
# at another address (the tests' local stand-in); production must talk to Stripe itself.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env("STRIPE_API_BASE", "")
if PRODUCTION and STRIPE_API_BASE and not STRIPE_API_BASE.startswith("https://"):
    raise ImproperlyConfigured("STRIPE_API_BASE must be an https:// address in production.")
PAYMENTS_CURRENCY = "eur"
# The payment page stays open this long (Stripe: 30 minutes to 24 hours); seats and stock are
# held meanwhile.
PAYMENTS_CHECKOUT_MINUTES = int(env("PAYMENTS_CHECKOUT_MINUTES", "30"))
# The reconciliation job asks the provider about payments untouched for this long.
PAYMENTS_RECONCILE_AFTER_MINUTES = 10
PAYMENTS_TIMEOUT_SECONDS = float(env("PAYMENTS_TIMEOUT_SECONDS", "20"))
PAYMENTS_NETWORK_RETRIES = int(env("PAYMENTS_NETWORK_RETRIES", "2"))
# Shops must answer this long before a card authorisation lapses (7 days for online cards).
PAYMENTS_CAPTURE_MARGIN_HOURS = 12
# After a failed cargo-bike delivery of an order paid online: "keep" the payment for the next
# attempt (refunded only if the parcels go back to the shops), or "refund" the shopper at once
# (a new attempt is then paid at the door).
SHOP_FAILED_DELIVERY_POLICY = env("SHOP_FAILED_DELIVERY_POLICY", "keep")
if SHOP_FAILED_DELIVERY_POLICY not in ("keep", "refund"):
    raise ImproperlyConfigured('SHOP_FAILED_DELIVERY_POLICY is "keep" or "refund".')
# The payment and onboarding pages are Stripe's: the shopper leaves by a redirect after a form
# (Chromium applies form-action to that redirect), so form-action names their origins and
# nothing else changes in the CSP (no Stripe script, frame or connection on Anima's pages).
PAYMENTS_PAGE_ORIGINS = env_list(
    "PAYMENTS_PAGE_ORIGINS", "https://checkout.stripe.com,https://connect.stripe.com"
)
if STRIPE_SECRET_KEY:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += PAYMENTS_PAGE_ORIGINS
# The Stripe library logs every request at INFO: only its warnings are worth the noise.
LOGGING["loggers"]["stripe"] = {"level": "WARNING"}
# A seat of a paid event promoted from the waiting list is held this long for its payment.
EVENT_PROMOTED_HOLD_HOURS = 24

# --- field-level history (django-simple-history: orders, CDDI contracts) ---
# The history is a record of what happened, shown in the admin; it never rewrites the record.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- insertion ---
# Months after a person's exit before their insertion record is anonymised. CNIL délibération
# 2021-028 (social-support reference framework, which covers SIAE): 2 years after the end of the
# path in active storage, then anonymisation.
INSERTION_RETENTION_MONTHS = int(env("INSERTION_RETENTION_MONTHS", "24"))
# Access-log entries are kept 3 years (same CNIL framework), then deleted.
INSERTION_ACCESS_LOG_RETENTION_MONTHS = int(env("INSERTION_ACCESS_LOG_RETENTION_MONTHS", "36"))
# A person in their path should see their counsellor at least this often.
INSERTION_INTERVIEW_EVERY_WEEKS = int(env("INSERTION_INTERVIEW_EVERY_WEEKS", "4"))
