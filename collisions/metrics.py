"""Collision review gauges: reports awaiting review per agency and the age of the oldest."""

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import Metric

from sector.core.metrics import age_seconds, gauge

from .choices import AWAITING
from .models import CollisionReport


def review_metrics() -> Iterator[Metric]:
    now = timezone.now()
    waiting = gauge("sector_review_queue_reports", "Collision reports awaiting review, per agency (ORI).", ["agency"])
    oldest = gauge(
        "sector_review_queue_oldest_age_seconds", "Age of the oldest report awaiting review, per agency.", ["agency"]
    )
    rows = (
        CollisionReport.objects.filter(status__in=AWAITING)
        .order_by()
        .values("agency__ori")
        .annotate(n=Count("id"), oldest=Min("queued_at"))
    )
    for row in rows:
        waiting.add_metric([row["agency__ori"]], row["n"])
        oldest.add_metric([row["agency__ori"]], age_seconds(row["oldest"], now=now))
    yield waiting
    yield oldest
