"""Production: everything from the environment; refuses to start without what a real deployment needs."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS, SECRET_KEY
from .env import env_str

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated host names).")

# Cookies only this host over HTTPS may set or read (the browser enforces the prefix: Secure, Path=/, no Domain).
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_PATH = "/"
CSRF_COOKIE_PATH = "/"
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
if not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS must be set in production (Fernet keys, comma-separated, newest first); "
        "it encrypts the outbound destinations' secrets. See the README."
    )
# ---------------------------------------------------------------------------------------------------------------
# Operations (issue 14 item 1): no silent SQLite, no in-request tasks, no links to localhost, no local-only files.
# ---------------------------------------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in production to a PostgreSQL URL "
        "(postgres://user:password@host:5432/name); production never falls back to SQLite."
    )
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at PostgreSQL in production (postgres://...); "
        f"got a {urlsplit(_database_url).scheme or 'schemeless'} URL."
    )
if not env_str("CELERY_BROKER_URL"):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must be set in production (e.g. redis://redis.internal:6379/0); without a broker "
        "tasks would run inside the web request."
    )
BROKER_CONFIGURED = True
CELERY_TASK_ALWAYS_EAGER = False
_portal_url = env_str("PORTAL_URL")
_portal = urlsplit(_portal_url)
if not _portal_url:
    raise ImproperlyConfigured(
        "PORTAL_URL must be set in production to the portal's public address (e.g. https://sector.wsp.wa.gov); "
        "it is the base of every link in an email."
    )
if _portal.scheme not in ("http", "https") or not _portal.hostname or _portal.hostname in ("localhost", "127.0.0.1"):
    raise ImproperlyConfigured(
        f"PORTAL_URL must be the portal's public http(s) address (e.g. https://sector.wsp.wa.gov); got {_portal_url!r}."
    )
if not env_str("AWS_STORAGE_BUCKET_NAME"):
    raise ImproperlyConfigured(
        "AWS_STORAGE_BUCKET_NAME must be set in production: the object-storage bucket for uploads and "
        "generated documents (S3 or an S3-compatible store), shared by every web node and worker."
    )
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # noqa: F405
# ------------------------------------------------------------------------------------------ end of operations
