"""Court intake gauges: the backlog per court (tickets waiting for a clerk) and the age of its oldest."""

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import Metric

from citations.models import Ticket
from sector.core.metrics import age_seconds, gauge


def intake_metrics() -> Iterator[Metric]:
    now = timezone.now()
    backlog = gauge("sector_intake_backlog", "Tickets waiting for a clerk, per court.", ["court"])
    oldest = gauge("sector_intake_oldest_age_seconds", "Age of the oldest ticket waiting for a clerk.", ["court"])
    rows = (
        Ticket.objects.filter(needs_clerk=True)
        .order_by()
        .values("court__code")
        .annotate(n=Count("id"), oldest=Min("received_at"))
    )
    for row in rows:
        backlog.add_metric([row["court__code"]], row["n"])
        oldest.add_metric([row["court__code"]], age_seconds(row["oldest"], now=now))
    yield backlog
    yield oldest
