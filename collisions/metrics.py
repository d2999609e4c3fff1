"""Collision review gauges: reports awaiting review per agency and the age of the oldest."""

from collections.abc import Iterator

from prometheus_client.core import Metric

from sector.core.metrics import waiting_gauges

from .choices import AWAITING
from .models import CollisionReport


def review_metrics() -> Iterator[Metric]:
    return waiting_gauges(
        CollisionReport.objects.filter(status__in=AWAITING),
        group_by="agency__ori",
        since="queued_at",
        label="agency",
        count=("sector_review_queue_reports", "Collision reports awaiting review, per agency (ORI)."),
        oldest=("sector_review_queue_oldest_age_seconds", "Age of the oldest report awaiting review, per agency."),
    )
