"""Settings for the raffle manager, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
    TIME_ZONE=(str, "UTC"),
    DEFAULT_CURRENCY=(str, "USD"),
    PHONE_REGION=(str, "US"),
    RAFFLES_MAX_SET_SIZE=(int, 100_000),
    JWT_ACCESS_MINUTES=(int, 15),
    JWT_REFRESH_DAYS=(int, 7),
    API_MAX_PAGE_SIZE=(int, 500),
    CONN_MAX_AGE=(int, 60),
    LOG_FORMAT=(str, "json"),
    LOGIN_FAILURES_ALLOWED=(int, 5),
    LOGIN_FAILURES_MINUTES=(int, 15),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# Public, for trying the app out only: `check --deploy` refuses it
# (rafflesite/checks.py).
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "projects",
    "raffles",
    "buyers",
    "rafflesite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "rafflesite.middleware.DatabaseBusyMiddleware",
    "rafflesite.middleware.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "rafflesite.urls"
WSGI_APPLICATION = "rafflesite.wsgi.application"

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
            ],
            "libraries": {"money": "rafflesite.templatetags.money"},
        },
    },
]

# Databases: SQLite in the project folder unless DATABASE_URL names another.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
}
# Keep connections open between requests (seconds), checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env("CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.mysql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "charset": "utf8mb4",
            # Strict mode: MariaDB refuses too-long or out-of-range values
            # instead of cutting them silently.
            "init_command": "SET sql_mode='STRICT_TRANS_TABLES,STRICT_ALL_TABLES,"
            "NO_ZERO_DATE',"
            "time_zone='+00:00'",
            "isolation_level": "read committed",
        }
    )
    DATABASES["default"]["TEST"] = {
        "CHARSET": "utf8mb4",
        "COLLATION": "utf8mb4_unicode_520_ci",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two
    # writers queue up instead of failing halfway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# Shared by every app server behind a load balancer: the cache (login
# throttling, API throttling) lives in the database unless CACHE_URL names
# another (e.g. redis://...). Create its table with `createcachetable`.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://django_cache")}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Django's checks, with messages from our catalog (accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE")
USE_I18N = True
# Numbers and money are shown in the active language's format: 1,234.50 in
# English, 1 234,50 in Spanish. Anything a machine reads back (an input's
# value, a data- attribute) needs |unlocalize in its template.
USE_THOUSAND_SEPARATOR = True
# English short dates name the month (rafflesite/formats/en/formats.py).
FORMAT_MODULE_PATH = ["rafflesite.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Product settings.
DEFAULT_CURRENCY = env("DEFAULT_CURRENCY").upper()
PHONE_REGION = env("PHONE_REGION").upper()
RAFFLES_MAX_SET_SIZE = env("RAFFLES_MAX_SET_SIZE")

# One proxy in front (docs/deploy.md) that terminates TLS and appends the
# client's address to X-Forwarded-For.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)

REST_FRAMEWORK = {
    # Tokens refused once their organizer changed password or was
    # deactivated: see accounts/tokens.py.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.JWTAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
    ],
    "DEFAULT_PAGINATION_CLASS": "rafflesite.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "rafflesite.api_schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "rafflesite.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth": "20/min"},
    # Who a client is, for rate limits and failed logins: REMOTE_ADDR, or
    # behind the proxy the last address of X-Forwarded-For (the one it
    # added), never an address a client wrote there itself.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
}
API_MAX_PAGE_SIZE = env("API_MAX_PAGE_SIZE")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env("JWT_ACCESS_MINUTES")),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env("JWT_REFRESH_DAYS")),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Raffle manager API",
    "DESCRIPTION": "Projects, raffle sets, numbers, buyers, sales, payments "
    "and draws of one organizer. Objects are addressed by the organizer's "
    "own refs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "NumberStateEnum": "raffles.models.State",
        "HeldStateEnum": ["reserved", "paid"],
        "PaymentMethodEnum": "raffles.models.Method",
        "DrawMethodEnum": "raffles.models.DrawMethod",
    },
}

# Failed logins on the web pages and the API together, per user name and
# address, before they refuse it for LOGIN_FAILURES_MINUTES.
LOGIN_FAILURES_ALLOWED = env("LOGIN_FAILURES_ALLOWED")
LOGIN_FAILURES_MINUTES = env("LOGIN_FAILURES_MINUTES")

# Request limits: 2.5 MB of body kept in memory, 1,000 form fields.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=1000)

# HTTPS. Off DEBUG every protection is on unless turned off one by one
# (docs/deploy.md). `make serve` keeps them all: gunicorn serves https
# itself (TLS_CERTFILE in gunicorn.conf.py) unless a proxy in front does.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
# Load balancers check /health/ over plain http (rafflesite/views.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Only the proxy in front can have set X-Forwarded-Proto.
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content security policy: everything from this site only, no inline
# script or style (see rafflesite/tests/test_hardening.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Logs go to stdout, one JSON object a line (LOG_FORMAT=plain for people),
# with passwords, tokens, query values and phone numbers masked by the
# formatters (rafflesite/log.py). gunicorn.conf.py logs the same way.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "rafflesite.log.JsonFormatter"},
        "plain": {"()": "rafflesite.log.PlainFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": env("LOG_FORMAT"),
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
