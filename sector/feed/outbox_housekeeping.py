"""Delivered payloads are kept OUTBOX_PAYLOAD_RETENTION_DAYS after their acknowledgment, then their bytes are
emptied (the row, its idempotency key, the answer and the acknowledgment stay: the record of what was sent
and when). Runs hourly on the beat schedule, in chunks so no transaction holds many rows."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sector.core.audit import log_action
from sector.core.context import acting_as
from sector.core.periodic import once_per_slot

from .outbox_models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)
CHUNK = 2000


def delivered_payloads_purge(*, retention_days: int | None = None, chunk: int = CHUNK) -> int:
    """Empty the payload of deliveries acknowledged more than `retention_days` ago; returns how many."""
    days = settings.OUTBOX_PAYLOAD_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = timezone.now() - timedelta(days=days)
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                Delivery.objects.filter(status=DeliveryStatus.DELIVERED, delivered_at__lt=cutoff)
                .exclude(payload=b"")
                .order_by("id")
                .values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                break
            total += Delivery.objects.filter(pk__in=ids).update(payload=b"")
    if total:
        with acting_as("housekeeping"):
            log_action("feed.delivery_payloads.purged", data={"count": total, "retention_days": days})
        logger.info("housekeeping: %d delivered payloads emptied (older than %d days)", total, days)
    return total


@shared_task(ignore_result=True)
@once_per_slot("feed.purge_delivered_payloads", period=timedelta(hours=1))
def purge_delivered_payloads_task() -> int:
    return delivered_payloads_purge()
