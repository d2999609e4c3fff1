"""Settings of the real `celery worker` the reliability tests start: the test database, a real broker."""

import os

from sector.settings.test import *  # noqa: F403

BROKER_CONFIGURED = True
CELERY_BROKER_URL = os.environ["SECTOR_TEST_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
OUTBOX_BACKOFF_BASE_SECONDS = 0.2
OUTBOX_BACKOFF_MAX_SECONDS = 1.0
OUTBOX_LEASE_SECONDS = 2.0
OUTBOX_PAUSE_SECONDS = 1.0
if os.environ.get("SECTOR_TEST_SMTP_PORT"):  # mail through the test's loopback SMTP catcher
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "127.0.0.1"
    EMAIL_PORT = int(os.environ["SECTOR_TEST_SMTP_PORT"])
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_TIMEOUT = 5
