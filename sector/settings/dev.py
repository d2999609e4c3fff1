"""`make run`: SQLite by default, console email, no broker needed, plain HTTP on localhost."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import derived_fernet_key, env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)
if not DEBUG:
    # manage.py and Celery default to these settings. With DEBUG off this is meant to be production, and these
    # settings would run it with a published secret key, plain HTTP and demo accounts: refuse, and say what to use.
    raise ImproperlyConfigured(
        "sector.settings.dev is for development and needs DEBUG on; with DEBUG=0 set "
        "DJANGO_SETTINGS_MODULE=sector.settings.prod (and SECRET_KEY, ALLOWED_HOSTS)."
    )
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-insecure-key-not-for-production-use-0123456789abcdef"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Served straight from static/ by the finders; nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# WebAuthn on whatever host and port this runs on (localhost:8000, the test server's random port).
MFA_WEBAUTHN_TRUST_REQUEST_HOST = True
# Loopback and local test servers speak plain HTTP; a key derived from the dev secret key unless one is set.
OUTBOX_REQUIRE_HTTPS = env_bool("OUTBOX_REQUIRE_HTTPS", False)
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", []) or [derived_fernet_key(SECRET_KEY)]
