"""Enqueue Celery tasks after commit, without ever failing the request when the broker is down."""

import logging

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)


def _publish(task, args, kwargs):
    try:
        task.apply_async(
            args=args, kwargs=kwargs, retry=True, retry_policy=getattr(settings, "CELERY_PUBLISH_RETRY_POLICY", None)
        )
    except Exception:  # noqa: BLE001 - a broker outage must never fail the user's request
        logger.exception("could not publish %s; the periodic sweep or a retry will pick the work up", task.name)


def enqueue(task, *args, **kwargs) -> None:
    """Publish `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _publish(task, args, kwargs), robust=True)
