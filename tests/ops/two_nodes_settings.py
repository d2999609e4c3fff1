"""Settings of every process of the two-node test (tests/ops/test_two_nodes.py): the gunicorn nodes, the
`celery worker`s and the `celery beat`s. The test database, the loopback S3 bucket (AWS_* from the
environment, read by the base settings), a real broker (not eager), mail through the loopback SMTP catcher, and
a short beat schedule: the probe task every second, whose body claims a two-second slot."""

import os

from sector.settings.test import *  # noqa: F403

BROKER_CONFIGURED = True
CELERY_BROKER_URL = os.environ["SECTOR_TEST_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_IMPORTS = ["tests.ops.two_nodes_tasks"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("SECTOR_TEST_SMTP_PORT", "25"))
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 5
# Only the probe, so the beats fire nothing else into the test database.
CELERY_BEAT_SCHEDULE = {
    "two-nodes-probe": {
        "task": "tests.ops.two_nodes_tasks.periodic_probe_task",
        "schedule": 1.0,
        "kwargs": {"beat": os.environ.get("SECTOR_TEST_BEAT_NAME", "")},
    }
}
