"""The outage burn-down (issue 16 item 4): outages stored and reconciled, and the backlog draining after one.

Intake backlog: the records the feed delivered that wait for people (tickets at each court's clerk, through
`registry.backlog_sources`). Delivery backlog: outbox deliveries pending per destination. For each, the rate
records arrive and the rate they drain over the last RATE_WINDOW, and the time to clear at the net rate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from sector.core.audit import log_action
from sector.core.context import actor_label_var
from sector.core.periodic import once_per_slot

from .models import Batch
from .outage_models import Outage, OutageKind
from .outbox_models import Delivery, DeliveryStatus, Destination
from .registry import BacklogRow, backlog_sources

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(minutes=15)
HISTORY = 20
SENDER_LOOKBACK = timedelta(days=7)


def feed_gap() -> timedelta:
    return timedelta(minutes=float(getattr(settings, "FEED_GAP_MINUTES", 60)))


# --- storing outages ------------------------------------------------------------------------------------------


def outage_open(*, destination: Destination, at: datetime, backlog: int = 0) -> Outage | None:
    """Store the outage of a destination that was just paused, unless one is open (idempotent)."""
    if Outage.objects.filter(destination=destination, ended_at__isnull=True).exists():
        return None
    try:
        with transaction.atomic():
            outage = Outage.objects.create(
                kind=OutageKind.DESTINATION, destination=destination, started_at=at, peak_backlog=backlog
            )
    except IntegrityError:  # opened at the same moment by another process
        return None
    log_action("feed.outage.opened", obj=outage, actor_name="system", data={"destination": destination.code})
    return outage


def feed_gap_record(*, batch: Batch) -> Outage | None:
    """A batch that ends a silence longer than FEED_GAP_MINUTES from its sender stores that gap."""
    previous = (
        Batch.objects.filter(system=batch.system, received_at__lt=batch.received_at)
        .order_by("-received_at", "-id")
        .values_list("received_at", flat=True)
        .first()
    )
    if previous is None or batch.received_at - previous < feed_gap():
        return None
    outage = Outage.objects.create(
        kind=OutageKind.FEED, system=batch.system, started_at=previous, ended_at=batch.received_at,
        peak_backlog=batch.record_count,
    )  # fmt: skip
    log_action("feed.outage.recorded", obj=outage, actor_name="system", data={"system": batch.system})
    return outage


def outages_sync(*, now: datetime | None = None) -> int:
    """Reconcile stored outages with the destinations: open one for a paused destination that has none, close an
    open one whose destination reopened (at its first delivery since), keep the peak backlog, and note when a
    closed outage's backlog has drained. Idempotent; returns how many outages changed."""
    now = now or timezone.now()
    changed = 0
    pending = dict(
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .values("destination_id")
        .annotate(n=Count("id"))
        .values_list("destination_id", "n")
    )
    paused = set(Destination.objects.filter(paused_until__isnull=False).values_list("pk", flat=True))
    open_outages = {
        o.destination_id: o for o in Outage.objects.filter(kind=OutageKind.DESTINATION, ended_at__isnull=True)
    }
    for dest in Destination.objects.filter(pk__in=paused - set(open_outages)):
        if outage_open(destination=dest, at=now, backlog=pending.get(dest.pk, 0)):
            changed += 1
    for dest_id, outage in open_outages.items():
        fields = []
        if pending.get(dest_id, 0) > outage.peak_backlog:
            outage.peak_backlog, fields = pending[dest_id], ["peak_backlog"]
        if dest_id not in paused:
            back = Delivery.objects.filter(destination_id=dest_id, delivered_at__gte=outage.started_at).aggregate(
                first=Min("delivered_at")
            )["first"]
            outage.ended_at = back or now
            fields.append("ended_at")
        if fields:
            outage.save(update_fields=fields)
            changed += 1
            if "ended_at" in fields:
                log_action("feed.outage.ended", obj=outage, actor_name="system", data={"destination": dest_id})
    for outage in Outage.objects.filter(kind=OutageKind.DESTINATION, ended_at__isnull=False, cleared_at__isnull=True):
        if pending.get(outage.destination_id, 0) == 0:
            last = Delivery.objects.filter(
                destination_id=outage.destination_id, delivered_at__gte=outage.started_at
            ).aggregate(last=Max("delivered_at"))["last"]
            outage.cleared_at = max(last or outage.ended_at, outage.ended_at)
            outage.save(update_fields=["cleared_at"])
            changed += 1
    return changed


# --- the burn-down ----------------------------------------------------------------------------------------------


@dataclass
class Line:
    label: str
    waiting: int
    arrived: int
    cleared: int
    oldest: datetime | None = None
    state: str = ""
    window: timedelta = RATE_WINDOW

    @property
    def arrival_per_hour(self) -> float:
        return self.arrived * 3600 / self.window.total_seconds()

    @property
    def drain_per_hour(self) -> float:
        return self.cleared * 3600 / self.window.total_seconds()

    @property
    def clear_seconds(self) -> float | None:
        """Seconds to clear at the net rate; None when nothing waits or it is not draining."""
        net = (self.cleared - self.arrived) / self.window.total_seconds()
        if self.waiting == 0 or net <= 0:
            return None
        return self.waiting / net

    @property
    def draining(self) -> bool:
        return self.clear_seconds is not None


@dataclass
class BurnDown:
    at: datetime
    window: timedelta
    intake_title: str = "Records waiting"
    intake: list[Line] = field(default_factory=list)
    destinations: list[Line] = field(default_factory=list)
    senders: list[dict] = field(default_factory=list)
    history: list[Outage] = field(default_factory=list)

    @property
    def intake_total(self) -> Line:
        return _total("All courts", self.intake, self.window)

    @property
    def delivery_total(self) -> Line:
        return _total("All destinations", self.destinations, self.window)


def _total(label: str, lines: list[Line], window: timedelta) -> Line:
    oldest = min((line.oldest for line in lines if line.oldest), default=None)
    return Line(
        label, sum(x.waiting for x in lines), sum(x.arrived for x in lines), sum(x.cleared for x in lines), oldest,
        window=window,
    )  # fmt: skip


def burndown(*, user, now: datetime | None = None) -> BurnDown:
    """Everything the page shows, in a fixed number of queries."""
    now = now or timezone.now()
    since = now - RATE_WINDOW
    result = BurnDown(at=now, window=RATE_WINDOW)
    for source in backlog_sources:
        title, rows = source(since=since)
        result.intake_title = title
        result.intake += [
            Line(r.label, r.waiting, r.arrived, r.cleared, r.oldest, window=RATE_WINDOW) for r in rows if _busy(r)
        ]
    pending = Q(deliveries__status=DeliveryStatus.PENDING)
    for d in (
        Destination.objects.restrict(user)
        .annotate(
            waiting=Count("deliveries", filter=pending),
            oldest=Min("deliveries__created_at", filter=pending),
            arrived=Count("deliveries", filter=Q(deliveries__created_at__gte=since)),
            cleared=Count("deliveries", filter=Q(deliveries__delivered_at__gte=since)),
        )
        .order_by("code")
    ):
        state = "Paused: down" if d.paused_until else ("Inactive" if not d.active else "Open")
        result.destinations.append(Line(d.name, d.waiting, d.arrived, d.cleared, d.oldest, state, RATE_WINDOW))
    for row in (
        Batch.objects.filter(received_at__gte=now - SENDER_LOOKBACK)
        .values("system")
        .annotate(last=Max("received_at"), recent=Count("id", filter=Q(received_at__gte=since)))
        .order_by("system")
    ):
        row["quiet"] = now - row["last"] >= feed_gap()
        result.senders.append(row)
    result.history = list(Outage.objects.restrict(user).select_related("destination")[:HISTORY])
    return result


def _busy(row: BacklogRow) -> bool:
    return bool(row.waiting or row.arrived or row.cleared)


# --- hooks and the beat -----------------------------------------------------------------------------------------


def _destination_saved(sender, instance: Destination, created: bool, update_fields=None, **kwargs) -> None:
    """The outbox pauses a destination by saving `paused_until` (sector/feed/outbox.py); store its outage then."""
    if instance.paused_until is None or (update_fields is not None and "paused_until" not in update_fields):
        return
    backlog = Delivery.objects.filter(destination=instance, status=DeliveryStatus.PENDING).count()
    outage_open(destination=instance, at=timezone.now(), backlog=backlog)


def _batch_saved(sender, instance: Batch, created: bool, **kwargs) -> None:
    # seed_demo backdates the batches it sends to tell a history, so the silences it leaves are not outages
    # (the demo's past outages are its own, sector/feed/outage_demo.py).
    if created and actor_label_var.get() != "seed_demo":
        feed_gap_record(batch=instance)


def connect() -> None:
    from django.db.models.signals import post_save

    post_save.connect(_destination_saved, sender=Destination, dispatch_uid="feed.outage.destination")
    post_save.connect(_batch_saved, sender=Batch, dispatch_uid="feed.outage.batch")


@shared_task(ignore_result=True)
@once_per_slot("feed.outages_sync", period=timedelta(minutes=1))
def outages_sync_task() -> int:
    return outages_sync()
