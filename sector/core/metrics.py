"""Business gauges for Prometheus, gathered from the apps through one extension point.

Each app registers a source (`metric_sources.register(func, key=...)`): `func()` returns an iterable of
prometheus_client metric families read from the database with a few aggregate queries (never one query per
row), so a scrape costs the same with 10 rows or 10 million. The platform adds the beat heartbeat's age.
The /metrics view (sector.core.ops_views) serves them beside django-prometheus's request metrics.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .registry import ExtensionPoint

logger = logging.getLogger(__name__)

MetricsSource = Callable[[], Iterable[Metric]]
metric_sources: ExtensionPoint[MetricsSource] = ExtensionPoint("core.metric_sources")
"""`source()` yields prometheus_client metric families (GaugeMetricFamily) from a few aggregate queries."""


def age_seconds(moment: datetime | None, *, now: datetime | None = None) -> float:
    """Seconds since `moment` (0 when there is none: an empty queue has no age)."""
    if moment is None:
        return 0.0
    return max(0.0, ((now or timezone.now()) - moment).total_seconds())


def gauge(name: str, documentation: str, labels: Iterable[str] = ()) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, labels=list(labels))


def waiting_gauges(
    queryset: QuerySet,
    *,
    group_by: str,
    since: str,
    label: str,
    count: tuple[str, str],
    oldest: tuple[str, str],
) -> Iterator[Metric]:
    """Two gauges from one aggregate query: how many rows of `queryset` wait per `group_by` value, and the
    age of the oldest (by its `since` field). `count` and `oldest` are each (metric name, help text)."""
    now = timezone.now()
    waiting = gauge(*count, [label])
    age = gauge(*oldest, [label])
    rows = queryset.order_by().values(group_by).annotate(n=Count("id"), oldest=Min(since))
    for row in rows:
        waiting.add_metric([row[group_by]], row["n"])
        age.add_metric([row[group_by]], age_seconds(row["oldest"], now=now))
    yield waiting
    yield age


def platform_metrics() -> Iterator[Metric]:
    from .housekeeping import heartbeat_age_seconds

    age = heartbeat_age_seconds()
    family = gauge(
        "sector_beat_heartbeat_age_seconds",
        "Seconds since the beat's heartbeat task last ran (-1: it never ran).",
    )
    family.add_metric([], -1.0 if age is None else age)
    yield family


metric_sources.register(platform_metrics, key="platform", order=0)


class BusinessCollector(Collector):
    """Asks every registered source at scrape time; a failing source is logged and left out, not fatal."""

    def collect(self) -> Iterator[Metric]:
        for key, source in metric_sources.entries():
            try:
                yield from list(source())
            except Exception:  # noqa: BLE001 - one broken gauge must not hide the others
                logger.exception("metrics source %s failed", key)
                failed = gauge(
                    "sector_metrics_source_failed", "1 when a metrics source failed this scrape.", ["source"]
                )
                failed.add_metric([str(key)], 1.0)
                yield failed
