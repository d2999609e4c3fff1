"""Court intake gauges: the backlog per court (tickets waiting for a clerk) and the age of its oldest."""

from collections.abc import Iterator

from prometheus_client.core import Metric

from citations.models import Ticket
from sector.core.metrics import waiting_gauges


def intake_metrics() -> Iterator[Metric]:
    return waiting_gauges(
        Ticket.objects.filter(needs_clerk=True),
        group_by="court__code",
        since="received_at",
        label="court",
        count=("sector_intake_backlog", "Tickets waiting for a clerk, per court."),
        oldest=("sector_intake_oldest_age_seconds", "Age of the oldest ticket waiting for a clerk."),
    )
