"""Settings shared by every environment. Production defaults are the safe ones; dev and test relax them."""

from datetime import timedelta

import dj_database_url
from celery.schedules import crontab

from .env import BASE_DIR, env_bool, env_int, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    # Before django.contrib.auth so its createsuperuser (which refuses to bypass the password validators) wins.
    "sector.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "import_export",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "sector.core",
    "sector.orgs",
    "sector.feed",
    "sector.onboarding",
    "sector.training",
    "sector.support",
    "sector.program",
    "citations",
    "courts",
    "collisions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sector.core.middleware.RequestIdMiddleware",
    # Before anything reads the body (sessions, CSRF): an oversized one is a 413, never on disk.
    "sector.core.uploads.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sector.accounts.mfa.middleware.SessionOTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sector.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "sector.accounts.mfa.middleware.SecondFactorRequiredMiddleware",
    "sector.core.middleware.CurrentUserMiddleware",
    "sector.core.middleware.PrivateCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sector.urls"
WSGI_APPLICATION = "sector.wsgi.application"

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
                "csp.context_processors.nonce",
                "sector.core.context_processors.portal",
                "sector.accounts.context_processors.session_timeout",
                "sector.accounts.mfa.context_processors.second_factor",
            ],
            # The portal's filters (pacific, money, duration, mask_last4...) in every page, email and PDF.
            "builtins": ["sector.core.templatetags.portal"],
        },
    },
]

# Database: DATABASE_URL in URL form (sqlite:////abs/path.db, postgres://user@host:5432/name).
DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "sector.sqlite3"
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two writers
    # queue instead of failing half-way with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sector.accounts.backends.RoleBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    # Django's common-password check, also through disguises, and the portal's own words (no network).
    {"NAME": "sector.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Reset and invitation (set-password) links are Django's reset tokens: they work once and expire after 24 hours.
PASSWORD_RESET_TIMEOUT = 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions: signed out after 30 minutes idle and 12 hours after sign-in, whichever comes first.
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12))
# A signed-in page warns this many seconds before the idle timeout and offers to stay signed in (WCAG 2.2.1).
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 60)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Multi-factor sign-in (django-otp: TOTP apps and one-time recovery codes; django-otp-webauthn: passkeys and
# security keys). MFA_REQUIRED_ROLES lists the roles whose holders must pass a second factor (default: every
# role); accounts with no role, staff and superusers always must, and so does anyone who has enrolled a factor.
from sector.accounts.roles import ROLES as _ROLES  # noqa: E402

MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", sorted(_ROLES))
OTP_TOTP_ISSUER = "SECTOR Program Portal"
OTP_TOTP_THROTTLE_FACTOR = 1  # after each failed code the next try waits 1, 2, 4, 8 ... seconds
OTP_STATIC_THROTTLE_FACTOR = 1
MFA_RECOVERY_CODE_COUNT = 10

# Production-safe transport defaults; dev and test switch them off.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy set USE_X_FORWARDED_PROTO=1 (and AXES_PROXY_COUNT for client addresses).
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: same-origin everything, no inline script or style.
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
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# django-axes: lock the user name (not the address: a courthouse shares one) after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind a reverse proxy set AXES_PROXY_COUNT to the number of proxies, so the logged address is the client's.
_AXES_PROXIES = env_int("AXES_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = _AXES_PROXIES or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if _AXES_PROXIES else ["REMOTE_ADDR"]
AXES_VERBOSE = False
# Rate limits beside the axes lockout (sector/core/throttle.py), "count/period": shared by every process through
# the database, or through Redis when THROTTLE_REDIS_URL is set (production: the broker's Redis, another db).
THROTTLE_REDIS_URL = env_str("THROTTLE_REDIS_URL")
THROTTLE_RATES = {
    # Failed sign-ins from one client address, whatever the user names (password spraying). Higher than the
    # per-user-name lockout because a courthouse or an agency shares one address.
    "signin.address": env_str("THROTTLE_SIGNIN_ADDRESS", "15/15m"),
    # Password-reset requests: per client address (refused with 429) and per address typed in (silently not
    # sent past the limit, so the answer never tells whether an account exists).
    "reset.address": env_str("THROTTLE_RESET_ADDRESS", "10/1h"),
    "reset.account": env_str("THROTTLE_RESET_ACCOUNT", "3/1h"),
    # The prosecutor's acknowledgment page (no account: the signed link is the credential), per address.
    "ack.address": env_str("THROTTLE_ACK_ADDRESS", "20/1h"),
    # Refused attempts written to the audit log, across all addresses: the log stays bounded under a flood.
    "audit.anonymous_refusals": env_str("THROTTLE_AUDIT_ANONYMOUS_REFUSALS", "100/1h"),
    # Feed batches per credential (429 with Retry-After past it; contracts/FEED.md).
    "feed.credential": env_str("THROTTLE_FEED_CREDENTIAL", "120/1m"),
}
# What the feed's 503 (a transient fault: send the same batch again) tells a sender to wait, in seconds.
FEED_RETRY_AFTER_SECONDS = env_int("FEED_RETRY_AFTER_SECONDS", 30)
SILENCED_SYSTEM_CHECKS = [
    # Locking by user name only is the requirement: many clerks share one courthouse address, and one
    # clerk's typos must never lock the others out. The address is still recorded with every attempt.
    "axes.W006",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Los_Angeles"  # all times show in Pacific time
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = env_str("MEDIA_ROOT") or str(BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The whole request body, files included (the largest form: 5 support attachments of 5 MB). Refused with a 413 by
# its Content-Length before it is read, and by the first upload handler while it is read (sector/core/uploads.py).
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 30 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "sector.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-import-export: every export escapes formulas (sector/core/exports.py does it more thoroughly than the
# library's own setting); explicit import/export permissions.
from sector.core import exports as _exports  # noqa: E402
from sector.core import spreadsheets as _spreadsheets  # noqa: E402

# The admin's imports refuse zip bombs and files past the row limit before they are parsed (issue 13).
IMPORT_FORMATS = [_spreadsheets.ImportCSV, _spreadsheets.ImportXLSX]
EXPORT_FORMATS = [_exports.CSV, _exports.XLSX]
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Email
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SECTOR Program Portal <no-reply@sector.wsp.wa.gov>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery. An unset CELERY_BROKER_URL means "no broker": tasks run in-process at commit, and nothing ever
# tries Celery's default amqp://localhost.
BROKER_CONFIGURED = bool(env_str("CELERY_BROKER_URL"))
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not BROKER_CONFIGURED
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Jobs on several workers (issue 14 item 3): one queue per kind of work, so a delivery backlog never delays a
# password-reset mail. deploy/systemd runs one worker unit per queue (mail, deliveries, documents, periodic).
CELERY_TASK_DEFAULT_QUEUE = "periodic"
CELERY_TASK_QUEUES = {name: {"routing_key": name} for name in ("mail", "deliveries", "documents", "periodic", "celery")}
CELERY_TASK_ROUTES = {
    "sector.core.tasks.send_email_task": {"queue": "mail"},
    "sector.core.tasks.send_outgoing_mail_task": {"queue": "mail"},
    "sector.onboarding.tasks.send_court_notice_task": {"queue": "documents"},  # renders a PDF, then mails it
    "sector.onboarding.tasks.send_prosecutor_notice_task": {"queue": "documents"},
    "sector.feed.outbox.deliver_task": {"queue": "deliveries"},
    "sector.feed.outbox.deliver_many_task": {"queue": "deliveries"},
    "sector.feed.outbox.deliveries_retry_all_task": {"queue": "deliveries"},
    "sector.feed.outbox.destination_drain_task": {"queue": "deliveries"},
    "*": {"queue": "periodic"},
}
# Time limits: a hung SMTP server or destination frees its worker (the soft limit raises inside the task first).
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# Redis redelivers an unacknowledged message after visibility_timeout. With acks_late that must exceed the
# longest countdown/ETA any task uses (the mail and notice retries wait at most 120 s x 5 tries; the outbox
# uses no countdown at all, its sweep drives retries) and the longest task run (the hard limit above).
CELERY_MAX_COUNTDOWN_SECONDS = 600
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# Periodic tasks fire at fixed times (crontab, Pacific); each body claims its slot in the database first
# (sector.core.periodic), so two beat processes make it run once, and each is idempotent.
CELERY_BEAT_SCHEDULE: dict = {
    "onboarding-resend-unsent-notices": {
        "task": "sector.onboarding.tasks.resend_unsent_notices_task",
        "schedule": crontab(minute="*/15"),
    },
}
# Collisions and the outbox (issue 5): the delivery sweep and the daily overdue-review reminder.
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {"task": "sector.feed.outbox.outbox_sweep_task", "schedule": crontab()}
CELERY_BEAT_SCHEDULE["collisions-overdue-reminder"] = {
    "task": "collisions.tasks.overdue_reminder_task",
    "schedule": crontab(hour=6, minute=0),
}
CELERY_BEAT_SCHEDULE["core-mail-sweep"] = {"task": "sector.core.tasks.mail_sweep_task", "schedule": crontab()}
CELERY_BEAT_SCHEDULE["throttle-sweep"] = {
    "task": "sector.core.tasks.throttle_sweep_task",
    "schedule": crontab(minute=7),
}
OUTBOX_BACKOFF_BASE_SECONDS = float(env_str("OUTBOX_BACKOFF_BASE_SECONDS") or 30)
OUTBOX_BACKOFF_MAX_SECONDS = float(env_str("OUTBOX_BACKOFF_MAX_SECONDS") or 3600)
OUTBOX_LEASE_SECONDS = float(env_str("OUTBOX_LEASE_SECONDS") or 120)
# A destination that fails this many times in a row (no answer or a 5xx) is paused: its deliveries wait
# without burning attempts, and every OUTBOX_PAUSE_SECONDS the sweep sends one probe; a 2xx reopens it.
OUTBOX_PAUSE_AFTER_FAILURES = env_int("OUTBOX_PAUSE_AFTER_FAILURES", 5)
OUTBOX_PAUSE_SECONDS = float(env_str("OUTBOX_PAUSE_SECONDS") or 30)
# Outbound HTTP destinations must be https:// (the auth header travels with every delivery); dev and test
# allow http:// for loopback servers.
OUTBOX_REQUIRE_HTTPS = env_bool("OUTBOX_REQUIRE_HTTPS", True)
# Fernet keys (comma-separated, newest first) that encrypt stored secrets such as destinations' auth headers
# (sector/core/crypto.py). Required in production; generate one with
#   python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])
# How long a request waits for the broker before giving up on publishing (the sweep picks up the rest).
CELERY_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}

# Shown in the page footer and the contacts page.
PORTAL_NAME = "SECTOR Program Portal"
# Absolute links in emails, and where new support requests are announced (the WSP Support Team mailbox).
PORTAL_URL = env_str("PORTAL_URL", "http://localhost:8000")
SUPPORT_TEAM_EMAIL = env_str("SUPPORT_TEAM_EMAIL", "sector@wsp.wa.gov")

# WebAuthn (passkeys, security keys): the relying party is the portal's host (PORTAL_URL) unless
# OTP_WEBAUTHN_RP_ID says otherwise; a passkey works on that host and its subdomains only (not on an IP address:
# in `make run` open http://localhost:8000 to use one). A passkey is the second factor after the password:
# sign-in with a passkey alone is off. Dev and test trust the request's own host (random test-server ports).
from urllib.parse import urlsplit as _urlsplit  # noqa: E402

_PORTAL = _urlsplit(PORTAL_URL)
OTP_WEBAUTHN_RP_NAME = "SECTOR Program Portal"
OTP_WEBAUTHN_RP_ID = env_str("OTP_WEBAUTHN_RP_ID") or (_PORTAL.hostname or "localhost")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", [f"{_PORTAL.scheme}://{_PORTAL.netloc}"])
OTP_WEBAUTHN_RP_ID_CALLABLE = "sector.accounts.mfa.webauthn.relying_party_id"
OTP_WEBAUTHN_HELPER_CLASS = "sector.accounts.mfa.webauthn.PortalWebAuthnHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
MFA_WEBAUTHN_TRUST_REQUEST_HOST = False
# ---------------------------------------------------------------------------------------------------------------
# Operations (issue 14 items 1, 5, 6): PgBouncer, metrics, readiness, JSON logs, error reporting, housekeeping.
# Kept in one block so other branches' settings edits merge around it.
# ---------------------------------------------------------------------------------------------------------------
# PgBouncer in transaction pooling mode: a connection is not ours between transactions, so no server-side
# cursors (DISABLE_SERVER_SIDE_CURSORS) and no prepared statements (psycopg's prepare_threshold=None).
# DB_CONN_MAX_AGE (above) keeps connections to PgBouncer itself.
DB_PGBOUNCER_TRANSACTION_POOLING = env_bool("DB_PGBOUNCER_TRANSACTION_POOLING", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DB_PGBOUNCER_TRANSACTION_POOLING:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

# Object storage (issue 14, item 2). With a bucket set, every stored file (support attachments, checklist
# evidence, signed and executed agreements, import previews) goes to it through django-storages, so all web
# nodes and workers share one store: AWS S3, or an S3-compatible store such as MinIO (AWS_S3_ENDPOINT_URL).
# Without one (`make run`, the tests) files stay under MEDIA_ROOT. Downloads always pass through the portal's
# views (the permission checks); the bucket is private and never linked to directly.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None  # e.g. https://minio.internal:9000; empty = AWS
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID") or None  # empty: boto3's own chain (instance role, ...)
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY") or None
AWS_S3_ADDRESSING_STYLE = env_str("AWS_S3_ADDRESSING_STYLE") or None  # "path" for most on-premises stores


def object_storage(bucket: str, **overrides: object) -> dict[str, object]:
    """The STORAGES entry for an S3-compatible bucket: private objects, never overwritten."""
    options: dict[str, object] = {
        "bucket_name": bucket,
        "endpoint_url": AWS_S3_ENDPOINT_URL,
        "region_name": AWS_S3_REGION_NAME,
        "access_key": AWS_ACCESS_KEY_ID,
        "secret_key": AWS_SECRET_ACCESS_KEY,
        "addressing_style": AWS_S3_ADDRESSING_STYLE,
        "default_acl": None,  # the bucket's own (private) policy
        "file_overwrite": False,  # a second file of the same name gets a new name, never replaces the first
        "querystring_auth": True,
        "querystring_expire": 60,  # only if a URL is ever issued: short-lived, after the view's check
        "location": "media",
    }
    options.update(overrides)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = object_storage(AWS_STORAGE_BUCKET_NAME)
# django-import-export keeps an import between its preview and its confirmation in the default storage (not a
# node's /tmp), so a preview shown by one node is confirmed by another.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

# Prometheus (django-prometheus): request metrics from the middleware, business gauges from the apps
# (sector.core.metrics). /metrics and /readyz answer only a request carrying `Authorization: Bearer
# <METRICS_TOKEN>`; with no token set they are off (404).
INSTALLED_APPS = [*INSTALLED_APPS, "django_prometheus"]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
METRICS_TOKEN = env_str("METRICS_TOKEN")
# The readiness check fails when the beat's last heartbeat is older than this (the heartbeat runs every minute).
BEAT_HEARTBEAT_MAX_AGE_SECONDS = env_int("BEAT_HEARTBEAT_MAX_AGE_SECONDS", 300)

# Logs: JSON lines (LOG_FORMAT=json, the production default) with request_id, user_id, task_id and batch_id
# (sector.core.logging.ContextFilter); never names or license numbers. LOG_FORMAT=plain for a terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "sector.core.logging.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "static_fields": {"service": "sector-portal"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # httpx/httpcore log every request (with its URL) at INFO: the outbox's own records say what was sent.
    "loggers": {"axes": {"level": "WARNING"}, "httpx": {"level": "WARNING"}, "httpcore": {"level": "WARNING"}},
}
# django-axes names a client in its warnings by a hash of the user name, never the name.
AXES_CLIENT_STR_CALLABLE = "sector.core.logging.axes_client_str"

# Error reporting (optional): sentry-sdk when SENTRY_DSN is set; no PII, and a scrubber on every event.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
if SENTRY_DSN:
    from sector.core.sentry import init_sentry  # noqa: E402

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT)

# Housekeeping on the beat schedule: the heartbeat, expired sessions, old lockout records, delivered payloads.
AXES_LOG_RETENTION_DAYS = env_int("AXES_LOG_RETENTION_DAYS", 90)
OUTBOX_PAYLOAD_RETENTION_DAYS = env_int("OUTBOX_PAYLOAD_RETENTION_DAYS", 30)
# Issue 16: the day every agency is to be on TraCS ("mid-2027"), a Pacific date; the migration board counts down to it.
TRACS_PROGRAM_DEADLINE = env_str("TRACS_PROGRAM_DEADLINE", "2027-06-30")
CELERY_BEAT_SCHEDULE["core-beat-heartbeat"] = {"task": "sector.core.tasks.beat_heartbeat_task", "schedule": crontab()}
CELERY_BEAT_SCHEDULE["core-clear-expired-sessions"] = {
    "task": "sector.core.tasks.clear_expired_sessions_task",
    "schedule": crontab(minute=17),
}
CELERY_BEAT_SCHEDULE["core-purge-lockout-records"] = {
    "task": "sector.core.tasks.purge_lockout_records_task",
    "schedule": crontab(minute=27),
}
CELERY_BEAT_SCHEDULE["outbox-purge-delivered-payloads"] = {
    "task": "sector.feed.outbox_housekeeping.purge_delivered_payloads_task",
    "schedule": crontab(minute=37),
}
# Issue 16: outages reconciled every minute (a silence of FEED_GAP_MINUTES from a sender is a feed gap); the
# audit and access logs' year partitions made ahead every day.
FEED_GAP_MINUTES = env_int("FEED_GAP_MINUTES", 60)
CELERY_BEAT_SCHEDULE["feed-outages-sync"] = {"task": "sector.feed.outages.outages_sync_task", "schedule": crontab()}
CELERY_BEAT_SCHEDULE["core-log-partitions"] = {
    "task": "sector.core.tasks.ensure_log_partitions_task",
    "schedule": crontab(minute=47, hour=3),
}
# ------------------------------------------------------------------------------------------ end of operations
