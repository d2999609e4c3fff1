"""`make run`: SQLite by default, console email, no broker needed, plain HTTP on localhost."""

from .base import *  # noqa: F403
from .env import derived_fernet_key, env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)
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
# Loopback and local test servers speak plain HTTP; a key derived from the dev secret key unless one is set.
OUTBOX_REQUIRE_HTTPS = env_bool("OUTBOX_REQUIRE_HTTPS", False)
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", []) or [derived_fernet_key(SECRET_KEY)]
