"""A task only the log-context test's worker imports (CELERY_IMPORTS in tests/ops/worker_settings.py)."""

import json
import logging

import redis
from celery import shared_task
from django.conf import settings

from sector.core.context import LOG_CONTEXT_VARS

logger = logging.getLogger("sector.tests.context_probe")


@shared_task(ignore_result=True)
def record_log_context_task(key: str) -> None:
    logger.info("context probe")
    seen = {name: var.get() for name, var in LOG_CONTEXT_VARS.items()}
    redis.Redis.from_url(settings.CELERY_BROKER_URL).set(key, json.dumps(seen), ex=60)
