"""The test suite: PostgreSQL (DATABASE_URL, default the local server), fast hashing, in-memory mail."""

import dj_database_url

from .base import *  # noqa: F403
from .env import derived_fernet_key, env_str

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/sector", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # test settings only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BROKER_CONFIGURED = False
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = str(BASE_DIR / "var" / "test-media")  # noqa: F405
if AWS_STORAGE_BUCKET_NAME:  # noqa: F405 - the two-node test points its gunicorn nodes at the loopback S3 server
    STORAGES["default"] = object_storage(AWS_STORAGE_BUCKET_NAME)  # noqa: F405
# Served straight from static/ by the finders; nothing is collected outside production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The production rate limits, except the feed's: property tests send hundreds of batches with one credential.
# tests/core/test_throttle.py checks the feed's limit with the production rate.
THROTTLE_RATES = {**THROTTLE_RATES, "feed.credential": "100000/1m"}  # noqa: F405
THROTTLE_REDIS_URL = ""
# WebAuthn on whatever host and port this runs on (localhost:8000, the test server's random port).
MFA_WEBAUTHN_TRUST_REQUEST_HOST = True
OUTBOX_REQUIRE_HTTPS = False  # the loopback destinations are http://127.0.0.1
FIELD_ENCRYPTION_KEYS = [derived_fernet_key(SECRET_KEY)]
# Operations (issue 14): /metrics and /readyz are on in the tests, behind this token.
METRICS_TOKEN = "test-metrics-token"
