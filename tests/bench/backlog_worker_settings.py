"""The backlog bench's workers: the reliability workers' settings with a production-like lease and a short pause."""

from tests.reliability.worker_settings import *  # noqa: F403

OUTBOX_LEASE_SECONDS = 120.0
OUTBOX_PAUSE_SECONDS = 2.0
OUTBOX_BACKOFF_BASE_SECONDS = 0.5
OUTBOX_BACKOFF_MAX_SECONDS = 2.0
