"""Settings for tinnhiem, configured only from the environment (see README "Configuration")."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


# Development default, as after a fresh checkout; production sets DEBUG=false (then SECRET_KEY
# and ALLOWED_HOSTS are required, see .env.example and docs/deployment.md).
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "sessions.apps.VoteSessionsConfig",
    "people.apps.PeopleConfig",
    "ballots.apps.BallotsConfig",
    "results.apps.ResultsConfig",
    "campaigns.apps.CampaignsConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tinnhiem.middleware.DefaultLanguageMiddleware",
    # Before anything reads a body (CsrfViewMiddleware reads POST): voter pages refuse big ones.
    "ballots.middleware.VoterBodyLimitMiddleware",
    # Then, before a session is loaded or a view reads a parameter: NUL refused, text in NFC.
    "tinnhiem.middleware.InputTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A temporary password (given by an organization administrator) is changed before anything.
    "people.middleware.TemporaryPasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication (the page is in the reader's layout): a bare 405 becomes a clear page.
    "tinnhiem.middleware.MethodNotAllowedPageMiddleware",
    # A certified result or document that fails its SHA-256 check: a clear 409, never a 500.
    "results.middleware.AlteredRecordMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing on staff accounts: 5 failures lock that user name from that address for
# 15 minutes (the pair, so one mistyping colleague cannot lock a shared office address).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every manage.py command
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"

# No inline script anywhere; styles only from our own files (Bootstrap included).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

ROOT_URLCONF = "tinnhiem.urls"
WSGI_APPLICATION = "tinnhiem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tinnhiem.context_processors.language_next",
            ],
        },
    },
]

# Database: PostgreSQL in production through DATABASE_URL; an SQLite file under var/ by default.
SQLITE_PATH = BASE_DIR / "var" / "tinnhiem.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent voters: WAL lets readers run beside the writer, FULL makes an acknowledged write
    # durable, IMMEDIATE takes the write lock at BEGIN so two writers queue on the busy timeout
    # instead of failing with "database is locked" when a read lock would have to be upgraded.
    # secure_delete overwrites deleted records with zeros (SQLite's own default leaves them in
    # the file, where old ballots could be carved out; see ballots/storage.py).
    # Connections are kept between requests (CONN_MAX_AGE, as for PostgreSQL): opening one, with
    # these pragmas, and closing it (a WAL checkpoint when it is the last) cost more than a
    # voter's request itself (issue 15: 5.3 → 2.9 ms a ballot page, 6.1 → 3.2 ms a cast). An
    # idle connection holds no read lock, so the close's checkpoint (storage.py) still runs.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
        ),
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        "transaction_mode": "IMMEDIATE",
    }
    # Tests need a file too (WAL, threads, the forensics tests read it): beside the configured
    # database with Django's "test_" prefix, so each database (and checkout) has its own.
    _name = Path(DATABASES["default"]["NAME"])
    if _name.name != ":memory:":
        DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "votesessions:dashboard"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one working day

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# WeasyPrint resolves the PDFs' relative URLs (the bundled fonts: templates/pdf/_fonts.html) here.
PDF_BASE_URL = (BASE_DIR / "static").as_uri() + "/"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic_bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads (voter lists, tally sheets) are small; anything larger is refused with a clear message.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

# Behind HTTPS (production), cookies travel only over TLS. A hall LAN may run plain HTTP: see
# docs/deployment.md.
SECURE_SSL = env_bool("SECURE_SSL", False)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_SSL else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)  # irreversible; opt in
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No record of a voter request below ERROR, no voter id in a check-in URL, no query string
# (tinnhiem/logs.py): filtered on every handler, and on Django's request loggers themselves so
# that a handler added elsewhere gets the same. Django's own "django" handlers are replaced by
# the root's (they would print unfiltered, twice in development).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"voter_privacy": {"()": "tinnhiem.logs.VoterPrivacyFilter"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["voter_privacy"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["voter_privacy"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": []},
        "django.request": {"filters": ["voter_privacy"]},
        "django.security.csrf": {"filters": ["voter_privacy"]},
        "django.server": {
            "handlers": ["django.server"],
            "filters": ["voter_privacy"],
            "level": "INFO",
            "propagate": False,
        },
        # WeasyPrint reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# WeasyPrint subsets fonts with HarfBuzz (Debian's libharfbuzz-subset0) or, without it, with
# fontTools, which stamps each subset with the time it was saved: two renders a second apart
# would differ by that stamp alone. A fixed stamp keeps a document byte for byte the same.
os.environ.setdefault("SOURCE_DATE_EPOCH", "0")

# Voter codes are stored as HMAC-SHA256 under this key (default: derived from SECRET_KEY).
VOTER_CODE_KEY = env_secret("VOTER_CODE_KEY", "") or ""
# The audit chain is keyed (HMAC-SHA256) with a secret kept out of the database, so that whoever
# can write to the database cannot rewrite the trail and recompute it. Required in production:
# a key derived from SECRET_KEY would make every chain unverifiable when SECRET_KEY is rotated.
# Old keys (after a rotation) still verify the events they signed: docs/deployment.md.
AUDIT_KEY = env_secret("AUDIT_KEY", "") or ""
# After `make run`, manage.py in the same checkout signs and verifies with the key make run kept.
if not AUDIT_KEY and DEBUG and (BASE_DIR / "var" / "audit_key").is_file():
    AUDIT_KEY = (BASE_DIR / "var" / "audit_key").read_text().strip()
if not DEBUG and len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "AUDIT_KEY (32 characters or more) must be set when DEBUG is off (see .env.example)."
    )
AUDIT_KEYS_OLD = (env_secret("AUDIT_KEYS_OLD", "") or "").replace(",", " ").split()
# Address printed in the slips' QR codes, as voters' phones reach the server on the hall's
# network (e.g. http://192.168.1.10:8000). Empty: the address the secretariat's browser uses.
BALLOT_BASE_URL = os.environ.get("BALLOT_BASE_URL", "")
CSRF_FAILURE_VIEW = "tinnhiem.views.csrf_failure"

# Shared by every worker (and server). The table is created by `manage.py createcachetable`
# (make run does it; the test runner does it by itself). The voter-code throttle does not use
# it: its counts live in ballots.GuessCount, atomic and without expiry times.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tinnhiem_cache",
    }
}
# Wrong voter codes: a device is locked after this many in the window; a network address after
# far more (a whole hall may share one Wi-Fi router, so never the address alone).
CODE_GUESS_WINDOW = env_int("CODE_GUESS_WINDOW", 600)
CODE_GUESS_DEVICE_LIMIT = env_int("CODE_GUESS_DEVICE_LIMIT", 10)
CODE_GUESS_NETWORK_LIMIT = env_int("CODE_GUESS_NETWORK_LIMIT", 300)
# Behind a reverse proxy (nginx in front of several app servers) every request comes from the
# proxy: its addresses, listed here (IPs or networks), are trusted to name the client in
# X-Forwarded-For, which becomes REMOTE_ADDR (tinnhiem.proxy). Empty: REMOTE_ADDR as connected.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
