"""Hearth's one settings module, driven by the environment.

Laptop defaults: SQLite (WAL) under ``data/``, the in-memory channel layer, the
database task queue and the console email backend — no other service needed.
Set ``DATABASE_URL`` for PostgreSQL and ``REDIS_URL`` for the Redis channel
layer. ``HEARTH_MODE=production`` refuses to start without a real
``SECRET_KEY`` and ``ALLOWED_HOSTS``. Every variable is listed in
``.env.example`` and the README.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from hearth.conf import env_bool, env_int, env_json, env_list, env_secret, env_str, env_url
from hearth.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("HEARTH_DATA_DIR", str(BASE_DIR / "data")))
# The organisation's own triage weights, written by `hearth triage_retrain` when they beat the shipped ones;
# triage (standard library only) reads the path from the environment and falls back to the shipped weights.
TRIAGE_WEIGHTS = Path(env_str("HEARTH_TRIAGE_WEIGHTS", str(DATA_DIR / "triage" / "weights.json")))
os.environ.setdefault("HEARTH_TRIAGE_WEIGHTS", str(TRIAGE_WEIGHTS))

HEARTH_MODE = env_str("HEARTH_MODE", "development")
if HEARTH_MODE not in {"development", "production"}:
    raise ImproperlyConfigured(f"HEARTH_MODE must be 'development' or 'production' (got {HEARTH_MODE!r}).")
PRODUCTION = HEARTH_MODE == "production"

# A fixed key is fine on a laptop: nothing there is worth forging. Production
# must bring its own (checked below).
_DEV_SECRET_KEY = "hearth-development-only-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
SECRET_KEY = env_secret("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "HEARTH_MODE=production needs a real SECRET_KEY (50+ random characters), "
            "set in SECRET_KEY or in a file named by SECRET_KEY_FILE."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "HEARTH_MODE=production needs ALLOWED_HOSTS: the comma-separated host names this service answers to."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off when HEARTH_MODE=production.")

# Self-assessment answers are encrypted at rest with this Fernet key (see hearth/core/crypto.py);
# comma-separate several to rotate (the first encrypts). Development derives one from SECRET_KEY.
HEARTH_FIELD_KEY = env_secret("HEARTH_FIELD_KEY", "")
if PRODUCTION and not HEARTH_FIELD_KEY:
    raise ImproperlyConfigured(
        "HEARTH_MODE=production needs HEARTH_FIELD_KEY (or HEARTH_FIELD_KEY_FILE): the key that encrypts "
        "self-assessment answers. Make one with: "
        'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "hearth.core",
    "hearth.members",
    "hearth.community",
    "hearth.chat",
    "hearth.safety",
    "hearth.availability",
    "hearth.care",
    "hearth.intake",
    "hearth.signposting",
    "hearth.team",
    "hearth.insights",
]

MIDDLEWARE = [
    "hearth.core.logs.RequestLogMiddleware",
    "hearth.core.middleware.ScreeningGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hearth.core.middleware.MemberMiddleware",
    "hearth.members.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "hearth.core.middleware.NotFoundPageMiddleware",
    "hearth.core.middleware.OfflineCopyMiddleware",
]

ROOT_URLCONF = "hearth.urls"
ASGI_APPLICATION = "hearth.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hearth.core.context_processors.organisation",
                "hearth.core.banners.banners",
                "hearth.core.context_processors.badges",
            ],
            "builtins": ["hearth.members.templatetags.policy"],
        },
    }
]

# --- Database -----------------------------------------------------------------
# SQLite by default, in WAL mode with synchronous=FULL so an acknowledged write
# survives a crash; IMMEDIATE transactions so two writers queue on the lock
# instead of failing with "database is locked" when one upgrades a read.
# SQLite connections are kept (CONN_MAX_AGE): reopening one for every
# websocket action re-reads the schema and runs the PRAGMAs, which capped live
# chat at ~40 messages/s with multi-second queues (see `hearth bench_chat`).
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)
_sqlite_default = f"sqlite:///{DATA_DIR / 'hearth.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _sqlite_default)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=600 if DATABASE_URL.startswith("sqlite") else 60)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address Hearth understands: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: deleted rows are overwritten, not left in free pages (erasure reaches the disk).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
        "PRAGMA secure_delete=ON;",
    }
    _db["TEST"] = {"NAME": env_str("HEARTH_TEST_SQLITE", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channels -----------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
# "pubsub" (default): one PUBLISH per group message, each process fans out to its own sockets —
# the cheap path for chat fan-out. "lists": channels-redis's list-based layer (per-receiver queues).
# Either way nothing depends on the layer for durability: messages are stored first, clients resume.
HEARTH_REDIS_LAYER = env_str("HEARTH_REDIS_LAYER", "pubsub")
if HEARTH_REDIS_LAYER not in {"pubsub", "lists"}:
    raise ImproperlyConfigured(f"HEARTH_REDIS_LAYER must be 'pubsub' or 'lists' (got {HEARTH_REDIS_LAYER!r}).")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer"
            if HEARTH_REDIS_LAYER == "pubsub"
            else "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env_str("HEARTH_REDIS_PREFIX", "hearth")},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "hearth.core.layers.InMemoryChannelLayer"}}

# Cache (sign-in throttling): shared through Redis when there is one, per process otherwise.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Throttle counts (hearth/core/throttle.py): shared by every process and kept over a restart, so Redis or
    # the database (the table is made by core's migrations), never one process's memory.
    "throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "hearth_throttle"},
}
# Proxies whose X-Forwarded-For is believed for per-address limits (addresses or networks, e.g. 127.0.0.1,10.0.0.0/8).
HEARTH_TRUSTED_PROXIES = env_list("HEARTH_TRUSTED_PROXIES")

# --- Tasks --------------------------------------------------------------------
# Three lanes (queues), each worked by its own thread in `hearth worker`, so a slow mail server never
# holds up a live alert: "live" (crisis alerts to open pages), "deliveries" (email, web push),
# "default" (periodic jobs). See hearth/core/deliveries.py.
# The live lane runs inside the web process (it must reach that process's websockets when there is no
# Redis); turn it off only for web processes that shouldn't poll, with a worker running `--lanes live`.
HEARTH_WEB_LIVE_LANE = env_bool("HEARTH_WEB_LIVE_LANE", True)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "live", "deliveries"]}}

# --- Auth ---------------------------------------------------------------------
AUTH_USER_MODEL = "members.Member"
LOGIN_URL = "members:signin"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = env_str("HEARTH_ORG_NAME", "Hearth")

# Django's database sessions, remembering the expiry read with them (a websocket handshake reads the row once).
SESSION_ENGINE = "hearth.core.sessions"
SESSION_COOKIE_AGE = env_int("HEARTH_SESSION_DAYS", 14, minimum=1) * 86400
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Nothing from outside the server: no CDNs, no trackers, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("HEARTH_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HEARTH_HSTS_SECONDS", 31536000, minimum=0)
    # Hearth's own host name and any names under it are HTTPS only (not the organisation's parent domain).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HEARTH_HSTS_INCLUDE_SUBDOMAINS", True)
    # Joining browsers' preload list is a decision for the organisation's whole domain, not Hearth's host.
    SECURE_HSTS_PRELOAD = env_bool("HEARTH_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    # Probes talk to the web processes directly over plain HTTP: no redirect for them.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# --- Email --------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 15
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hearth <hearth@localhost>")

# --- The organisation ---------------------------------------------------------
HEARTH_ORG_NAME = env_str("HEARTH_ORG_NAME", "Hearth Community")
# The port `hearth serve` listens on (and `make run PORT=…`); the default address in emails follows it.
HEARTH_PORT = env_int("HEARTH_PORT", 8000, minimum=1)
HEARTH_BASE_URL = env_str("HEARTH_BASE_URL", f"http://127.0.0.1:{HEARTH_PORT}")
# Bookable one-to-ones: how long before a slot starts members may still book it (minutes).
HEARTH_BOOKING_NOTICE_MINUTES = env_int("HEARTH_BOOKING_NOTICE_MINUTES", 60, minimum=0)
HEARTH_INVITATION_DAYS = env_int("HEARTH_INVITATION_DAYS", 14, minimum=1)
# Video calls and online gatherings on the organisation's own Jitsi-style server, e.g. https://meet.example.org.
# Empty: Hearth offers no video calls (it never sends members to a third party's server on its own).
HEARTH_VIDEO_URL = env_url("HEARTH_VIDEO_URL")
# Crisis resources are per organisation; the defaults are the UK's. Set
# HEARTH_CRISIS_RESOURCES to a JSON list of {"name", "contact", "how", "hours"}.
HEARTH_CRISIS_RESOURCES = env_json("HEARTH_CRISIS_RESOURCES", None)
HEARTH_EMERGENCY_NUMBER = env_str("HEARTH_EMERGENCY_NUMBER", "999")
# Talk now: minutes before an unanswered request escalates (to on-duty staff, then coordinators),
# minutes a request waits for a supporter who matches the member's preferences, and the
# default cap of open one-to-one conversations per supporter.
HEARTH_TALK_ESCALATE_MINUTES = env_int("HEARTH_TALK_ESCALATE_MINUTES", 5, minimum=1)
HEARTH_TALK_PREFERENCE_GRACE_MINUTES = env_int("HEARTH_TALK_PREFERENCE_GRACE_MINUTES", 3, minimum=0)
HEARTH_MAX_OPEN_CONVERSATIONS = env_int("HEARTH_MAX_OPEN_CONVERSATIONS", 3, minimum=1)
# The rota: minutes before a shift its supporter is reminded, and minutes into a shift before the
# coordinators hear that its supporter hasn't checked in.
HEARTH_SHIFT_REMINDER_MINUTES = env_int("HEARTH_SHIFT_REMINDER_MINUTES", 60, minimum=1)
HEARTH_CHECK_IN_GRACE_MINUTES = env_int("HEARTH_CHECK_IN_GRACE_MINUTES", 15, minimum=1)
# The team: days before training or a check expires that a renewal warning goes, and weeks without
# supervision before a supporter shows as due on the coordinator's list.
HEARTH_RENEWAL_WARNING_DAYS = env_int("HEARTH_RENEWAL_WARNING_DAYS", 30, minimum=1)
HEARTH_SUPERVISION_WEEKS = env_int("HEARTH_SUPERVISION_WEEKS", 6, minimum=1)
# Safety: minutes before an unacknowledged crisis alert goes to the coordinators (and again
# every so often until someone acknowledges it); an on-call address emailed when nobody is on
# duty; and when a group's mood alert fires (this many heavy posts in 3 days with fewer than
# this many supportive replies per heavy post).
HEARTH_ALERT_ESCALATE_MINUTES = env_int("HEARTH_ALERT_ESCALATE_MINUTES", 3, minimum=1)
HEARTH_ON_CALL_EMAIL = env_str("HEARTH_ON_CALL_EMAIL", "")
HEARTH_MOOD_HEAVY_POSTS = env_int("HEARTH_MOOD_HEAVY_POSTS", 4, minimum=1)
HEARTH_MOOD_SUPPORT_RATIO = float(env_str("HEARTH_MOOD_SUPPORT_RATIO", "1.0"))
# Signposts offered after triage and in the self-assessment now come from the resources directory
# (hearth/signposting), which coordinators edit in the app; crisis lines stay configuration above.

# Care: hours before a post asking for support with no reply from anyone else goes on the care queue.
HEARTH_CARE_NO_REPLY_HOURS = env_int("HEARTH_CARE_NO_REPLY_HOURS", 6, minimum=1)

# Operations (hearth/core/health.py): /readyz fails when no worker has beaten for this long, or a
# periodic job or queued task has waited this long; /metrics needs this bearer token (off without one).
HEARTH_WORKER_STALE_SECONDS = env_int("HEARTH_WORKER_STALE_SECONDS", 30, minimum=10)
HEARTH_TASK_LAG_SECONDS = env_int("HEARTH_TASK_LAG_SECONDS", 120, minimum=10)
HEARTH_METRICS_TOKEN = env_secret("HEARTH_METRICS_TOKEN", "")
# Web push (issue 14): the VAPID key pair from `hearth push_keys` (only the private half is needed; the
# public half is worked out from it). Without it, push is simply not offered.
HEARTH_VAPID_PRIVATE_KEY = env_secret("HEARTH_VAPID_PRIVATE_KEY", "")
HEARTH_VAPID_SUBJECT = env_str("HEARTH_VAPID_SUBJECT", "")  # mailto: or https: contact for push services
# The push services a device's subscription may point at (host or domain suffix). Anything else is refused,
# so a subscription can't make the server send requests to a host of someone's choosing.
HEARTH_PUSH_SERVICES = env_list(
    "HEARTH_PUSH_SERVICES",
    ["fcm.googleapis.com", "push.services.mozilla.com", "notify.windows.com", "push.apple.com"],
)
# Backups (hearth/core/backup.py): the age key that opens them (and encrypts them, unless public
# recipients are given so the server can write backups it can't read), and where pg_dump/psql live.
HEARTH_BACKUP_KEY = env_secret("HEARTH_BACKUP_KEY", "")
HEARTH_BACKUP_RECIPIENT = env_str("HEARTH_BACKUP_RECIPIENT", "")
HEARTH_PG_BIN = env_str("HEARTH_PG_BIN", "")
# --- Internationalisation and static files -------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Logs ---------------------------------------------------------------------
# One line per unit of work (hearth/core/logs.py): readable text by default, JSON for a log shipper.
# Task runs are one line each in production or JSON; on a laptop only failures show.
HEARTH_LOG_FORMAT = env_str("HEARTH_LOG_FORMAT", "text")
if HEARTH_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"HEARTH_LOG_FORMAT must be 'text' or 'json' (got {HEARTH_LOG_FORMAT!r}).")
LOGGING = logging_config(
    fmt=HEARTH_LOG_FORMAT,
    level=env_str("LOG_LEVEL", "INFO").upper(),
    task_level=env_str(
        "HEARTH_TASK_LOG_LEVEL", "INFO" if PRODUCTION or HEARTH_LOG_FORMAT == "json" else "WARNING"
    ).upper(),
)
