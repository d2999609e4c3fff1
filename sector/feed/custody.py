"""The feed's own overdue hop: deliveries a destination has not acknowledged within the expected time."""

from __future__ import annotations

from datetime import datetime, timedelta

from .choices import DELIVERY_ACK_EXPECTED_HOURS
from .outbox_models import Delivery, DeliveryStatus
from .registry import OverdueRow, OverdueSource


def _deliveries(user, now: datetime):
    cutoff = now - timedelta(hours=DELIVERY_ACK_EXPECTED_HOURS)
    return (
        Delivery.objects.restrict(user)
        .filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], created_at__lt=cutoff)
        .select_related("destination")
        .defer("payload", "ack", "last_error")
    )


def _row(d: Delivery) -> OverdueRow:
    return OverdueRow(
        record=d.label,
        url=d.get_absolute_url(),
        where=f"{d.destination.name} ({d.get_status_display().lower()}, {d.attempts} attempts)",
        since=d.created_at,
        expected_by=d.created_at + timedelta(hours=DELIVERY_ACK_EXPECTED_HOURS),
    )


DELIVERIES = OverdueSource(
    key="deliveries",
    label="Deliveries not acknowledged",
    hop="Delivered to and acknowledged by the destination",
    expectation=f"{DELIVERY_ACK_EXPECTED_HOURS} hour after the approval",
    queryset=_deliveries,
    order=("created_at", "id"),
    row=_row,
    perm="feed.view_delivery",
)
