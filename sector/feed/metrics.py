"""The feed's gauges: the outbox per destination, feed records per minute by outcome, open feed exceptions."""

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, Min, Sum
from django.utils import timezone
from prometheus_client.core import Metric

from sector.core.metrics import age_seconds, gauge

from .choices import ExceptionStatus, ResultStatus
from .models import Batch, FeedException
from .outbox_models import Delivery, DeliveryStatus, Destination

# Feed records per minute: the average over this window (batches arrive in bursts).
RATE_WINDOW_MINUTES = 5


def feed_metrics() -> Iterator[Metric]:
    now = timezone.now()
    per_destination = ["destination"]
    pending = gauge("sector_outbox_deliveries_pending", "Deliveries waiting to be sent.", per_destination)
    failed = gauge("sector_outbox_deliveries_failed", "Deliveries that gave up (failed).", per_destination)
    oldest = gauge(
        "sector_outbox_oldest_pending_age_seconds",
        "Age of the oldest pending delivery, per destination (0 when none waits).",
        ["destination"],
    )
    codes = list(Destination.objects.values_list("code", flat=True))
    rows = {
        (row["destination__code"], row["status"]): row
        for row in Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
        .order_by()
        .values("destination__code", "status")
        .annotate(n=Count("id"), oldest=Min("created_at"))
    }
    for code in codes:
        p = rows.get((code, DeliveryStatus.PENDING), {})
        f = rows.get((code, DeliveryStatus.FAILED), {})
        pending.add_metric([code], p.get("n", 0))
        failed.add_metric([code], f.get("n", 0))
        oldest.add_metric([code], age_seconds(p.get("oldest"), now=now))
    yield pending
    yield failed
    yield oldest

    sums = Batch.objects.filter(received_at__gte=now - timedelta(minutes=RATE_WINDOW_MINUTES)).aggregate(
        created=Sum("created_count"),
        updated=Sum("updated_count"),
        unchanged=Sum("unchanged_count"),
        rejected=Sum("rejected_count"),
    )
    rate = gauge(
        "sector_feed_records_per_minute",
        f"Feed records received per minute by outcome (average over the last {RATE_WINDOW_MINUTES} minutes).",
        ["outcome"],
    )
    for outcome in ResultStatus.values:
        rate.add_metric([outcome], (sums.get(outcome) or 0) / RATE_WINDOW_MINUTES)
    yield rate

    exceptions = gauge("sector_feed_exceptions_open", "Feed exceptions (rejected records) still open.")
    exceptions.add_metric([], FeedException.objects.filter(status=ExceptionStatus.OPEN).count())
    yield exceptions
