"""The worker the log-context test starts: a real broker, JSON logs, and the probe task."""

import os

from sector.settings.test import *  # noqa: F403
from sector.settings.test import LOGGING

BROKER_CONFIGURED = True
CELERY_BROKER_URL = os.environ["SECTOR_TEST_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_IMPORTS = ["tests.ops.context_tasks"]
LOGGING["handlers"]["console"]["formatter"] = "json"
