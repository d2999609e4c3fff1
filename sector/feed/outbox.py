"""Outbound deliveries (ARCHITECTURE.md, Outbox): create in the caller's transaction, send by Celery, sweep.

- `deliveries_create` writes one delivery per active destination inside the caller's transaction, with the
  payload bytes fixed there, and enqueues a send after commit (never failing the request if the broker is
  down).
- `delivery_send` takes a lease with one conditional UPDATE (so two workers never send one delivery at the
  same time), sends outside any transaction, and records the answer only if it still holds the lease.
  Success stores the acknowledgment; failure backs off exponentially; after the destination's last try the
  delivery is listed as failed for WSP support.
- `outbox_sweep` re-enqueues everything due or whose lease expired: a lost task or a broker outage delays a
  delivery but never loses it. A killed worker's lease simply expires.
Hostile answers (issue 13): redirects are never followed (a 3xx would carry the secret header to any host)
and only a 2xx from the configured URL counts; production takes https:// destinations only.
Idempotency: each attempt sends the same bytes with the same `Idempotency-Key`; a destination that sees a
key twice sees the same body.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sector.core.audit import log_action
from sector.core.errors import DomainError
from sector.core.jobs import enqueue
from sector.core.periodic import once_per_slot

from .outbox_models import Delivery, DeliveryStatus, Destination, DestinationKind, url_problem

logger = logging.getLogger(__name__)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def backoff_base() -> float:
    return float(getattr(settings, "OUTBOX_BACKOFF_BASE_SECONDS", 30))


def backoff_max() -> float:
    return float(getattr(settings, "OUTBOX_BACKOFF_MAX_SECONDS", 3600))


def lease_seconds() -> float:
    return float(getattr(settings, "OUTBOX_LEASE_SECONDS", 120))


def pause_after_failures() -> int:
    return int(getattr(settings, "OUTBOX_PAUSE_AFTER_FAILURES", 5))


def pause_seconds() -> float:
    return float(getattr(settings, "OUTBOX_PAUSE_SECONDS", 30))


def backoff_after(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed tries: base · 2^(attempts-1), capped."""
    return timedelta(seconds=min(backoff_base() * (2 ** max(attempts - 1, 0)), backoff_max()))


# ----------------------------------------------------------------------------- create


def deliveries_create(
    *, record_type: str, record_id: int, label: str, key_prefix: str, payload: bytes
) -> list[Delivery]:
    """One delivery per active destination of `record_type`, written in the caller's transaction."""
    now = timezone.now()
    rows = [
        Delivery(
            destination=dest,
            record_type=record_type,
            record_id=record_id,
            label=label[:120],
            idempotency_key=f"{key_prefix}:{dest.code}",
            payload=payload,
            next_attempt_at=now,
            created_at=now,
        )
        for dest in Destination.objects.filter(active=True, record_type=record_type).order_by("code")
    ]
    created = Delivery.objects.bulk_create(rows)
    for d in created:
        enqueue(deliver_task, d.pk)
    return created


# ----------------------------------------------------------------------------- send


class SendError(DomainError):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


_client: httpx.Client | None = None
_client_pid: int | None = None
MAX_ACK_BYTES = 65536


def http_client() -> httpx.Client:
    """One pooled client per process (a forked Celery worker makes its own). Redirects are never followed:
    a 3xx would carry the destination's secret header to whatever host the Location names."""
    global _client, _client_pid
    if _client is None or _client_pid != os.getpid():
        limits = httpx.Limits(max_connections=20, max_keepalive_connections=10)
        _client = httpx.Client(
            follow_redirects=False,
            trust_env=False,  # no proxy or netrc from the environment gets the secret header
            limits=limits,
            # TCP_NODELAY: the request's headers and body go out as two writes; without it Nagle holds the
            # second until the destination's delayed ACK (about 40 ms per delivery on a kept-alive connection).
            transport=httpx.HTTPTransport(limits=limits, socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]),
        )
        _client_pid = os.getpid()
    return _client


def _post(dest: Destination, delivery: Delivery, body: bytes) -> tuple[int, str]:
    """POST the bytes to the configured URL. Only a 2xx answered by that URL counts as delivered."""
    problem = url_problem(dest.url)
    if problem:
        raise SendError(f"{dest.code}: {problem} Fix the destination.")
    headers = {"Content-Type": "application/json", "Idempotency-Key": delivery.idempotency_key}
    if dest.auth_header and dest.auth_secret:
        headers[dest.auth_header] = dest.auth_secret
    try:
        with http_client().stream(
            "POST", dest.url, content=body, headers=headers, timeout=float(dest.timeout_seconds)
        ) as response:
            text = _read_capped(response).decode("utf-8", "replace")
    except httpx.HTTPError as exc:
        raise SendError(f"No answer: {type(exc).__name__}: {exc}"[:500]) from None
    except (OSError, ValueError) as exc:
        raise SendError(f"No answer: {exc}"[:500]) from None
    code = response.status_code
    if 300 <= code < 400:
        where = response.headers.get("Location", "")[:200]
        raise SendError(f"HTTP {code}: the destination redirected to {where!r}; redirects are not followed.", code)
    if not 200 <= code < 300:
        raise SendError(f"HTTP {code}: {text[:500]}", code)
    return code, text


def _read_capped(response: httpx.Response) -> bytes:
    """At most MAX_ACK_BYTES of the answer: a destination cannot make a worker read an endless body."""
    out = bytearray()
    for chunk in response.iter_bytes():
        out += chunk
        if len(out) >= MAX_ACK_BYTES:
            break
    return bytes(out[:MAX_ACK_BYTES])


def _write_file(dest: Destination, delivery: Delivery, body: bytes) -> tuple[int, str]:
    """One JSON file per delivery, written atomically (temporary file, fsync, rename)."""
    folder = Path(dest.folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        name = _UNSAFE.sub("_", delivery.idempotency_key) + ".json"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".partial-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, folder / name)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SendError(f"Could not write to {dest.folder}: {exc}"[:500]) from None
    return 200, f"written {name}"


def _lease(delivery_id: int, *, force: bool = False) -> str | None:
    """Take the lease with one conditional UPDATE; None when the delivery is not due or someone holds it."""
    now = timezone.now()
    owner = uuid.uuid4().hex
    due = Q(pk=delivery_id, status=DeliveryStatus.PENDING) & (Q(lease_expires__isnull=True) | Q(lease_expires__lt=now))
    if not force:
        due &= Q(next_attempt_at__lte=now + timedelta(seconds=1))
    taken = Delivery.objects.filter(due).update(
        lease_owner=owner, lease_expires=now + timedelta(seconds=lease_seconds()), last_attempt_at=now
    )
    return owner if taken else None


def delivery_send(*, delivery_id: int, force: bool = False) -> str:
    """Send one delivery if it is due and free. Returns what happened: delivered, retry, failed or skipped."""
    owner = _lease(delivery_id, force=force)
    if owner is None:
        return "skipped"
    delivery = Delivery.objects.select_related("destination").get(pk=delivery_id)
    outcome = _send_leased(delivery, owner)
    if outcome == "delivered" and _was_down(delivery.destination):
        _reopen(delivery.destination)
    return outcome


def _transmit(delivery: Delivery) -> tuple[int, str]:
    """POST (or write) the delivery's fixed bytes; raises SendError when it did not get through."""
    dest = delivery.destination
    body = bytes(delivery.payload)
    if dest.kind == DestinationKind.FOLDER:
        return _write_file(dest, delivery, body)
    return _post(dest, delivery, body)


def _record_delivered(delivery: Delivery, owner: str, code: int, ack: str) -> bool:
    """Store the acknowledgment if this worker still holds the lease (one conditional UPDATE)."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, lease_owner=owner, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.DELIVERED,
            delivered_at=timezone.now(),
            attempts=delivery.attempts + 1,
            last_status_code=code,
            last_error="",
            ack=ack[:65536],
            lease_owner="",
            lease_expires=None,
        )
    )


def _send_leased(delivery: Delivery, owner: str) -> str:
    """Send a delivery this worker holds the lease of and record the answer."""
    try:
        code, ack = _transmit(delivery)
    except SendError as exc:
        return _record_failure(delivery, owner, str(exc), exc.status)
    return "delivered" if _record_delivered(delivery, owner, code, ack) else "skipped"


def _was_down(dest: Destination) -> bool:
    return bool(dest.consecutive_failures or dest.paused_until)


def _reopen(dest: Destination) -> None:
    """A delivery got through: the destination is open again, and what waited for it is published at once
    (the drain does not wait for the next sweep)."""
    reopened = (
        Destination.objects.filter(pk=dest.pk)
        .filter(Q(consecutive_failures__gt=0) | Q(paused_until__isnull=False))
        .update(consecutive_failures=0, paused_until=None)
    )
    dest.consecutive_failures, dest.paused_until = 0, None
    if reopened:
        enqueue(destination_drain_task, dest.pk)


def _lease_many(delivery_ids: list[int], owner: str) -> list[Delivery]:
    """Lease every due, free delivery of `delivery_ids` whose destination is open, with one UPDATE whose
    conditions are all on the delivery row itself (so PostgreSQL re-checks them after a concurrent update and
    two workers never hold one lease), then read the leased rows with their destinations."""
    now = timezone.now()
    paused = list(Destination.objects.filter(paused_until__isnull=False).values_list("pk", flat=True))
    taken = (
        Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING)
        .filter(Q(lease_expires__isnull=True) | Q(lease_expires__lt=now))
        .filter(next_attempt_at__lte=now + timedelta(seconds=1))
        .exclude(destination_id__in=paused)
        .update(lease_owner=owner, lease_expires=now + timedelta(seconds=lease_seconds()), last_attempt_at=now)
    )
    if not taken:
        return []
    return list(
        Delivery.objects.filter(pk__in=delivery_ids, lease_owner=owner).select_related("destination").order_by("id")
    )


def _release(delivery_ids: list[int], owner: str) -> None:
    """Give back leases this worker will not use (the destination paused, or the lease is running out)."""
    if delivery_ids:
        Delivery.objects.filter(pk__in=delivery_ids, lease_owner=owner, status=DeliveryStatus.PENDING).update(
            lease_owner="", lease_expires=None
        )


def _renew(delivery_ids: list[int], owner: str, expires: datetime) -> set[int]:
    """Extend this worker's lease on `delivery_ids`; returns the ones it still holds."""
    held = Delivery.objects.filter(pk__in=delivery_ids, lease_owner=owner, status=DeliveryStatus.PENDING)
    if held.update(lease_expires=expires) == len(delivery_ids):
        return set(delivery_ids)
    return set(held.values_list("pk", flat=True))


ACK_BATCH = 20  # acknowledgments stored per commit in a chunk
ACK_BATCH_SECONDS = 0.5  # ...or after this long, whichever comes first


def deliveries_send_many(delivery_ids: list[int]) -> dict[str, int]:
    """Send a chunk: lease it in one statement, send each in turn over the pooled client, and store the
    acknowledgments ACK_BATCH at a time in one commit (a commit costs a WAL flush; one per delivery capped the
    drain rate). A killed worker re-sends at most the unstored batch, with the same bytes and idempotency key.
    Before a send the lease would not cover, the chunk renews it and skips any delivery whose lease another
    worker took meanwhile. When a destination pauses, its other leased deliveries are given back unburnt."""
    owner = uuid.uuid4().hex
    leased = _lease_many(delivery_ids, owner)
    outcomes: dict[str, int] = {}

    def count(outcome: str, n: int = 1) -> None:
        if n:
            outcomes[outcome] = outcomes.get(outcome, 0) + n

    count("skipped", len(delivery_ids) - len(leased))
    if not leased:
        return outcomes
    expires = leased[0].lease_expires or timezone.now()
    stopped: set[int] = set()  # destinations that paused during this chunk
    reopened: set[int] = set()
    acks: list[tuple[Delivery, int, str]] = []
    first_ack_at = 0.0

    def store_acks() -> None:
        if not acks:
            return
        with transaction.atomic():
            stored = [d for d, code, ack in acks if _record_delivered(d, owner, code, ack)]
        count("delivered", len(stored))
        count("skipped", len(acks) - len(stored))
        for d in stored:
            if d.destination.pk not in reopened and _was_down(d.destination):
                _reopen(d.destination)
                reopened.add(d.destination.pk)
        acks.clear()

    for i, delivery in enumerate(leased):
        dest = delivery.destination
        if dest.pk in stopped:
            _release([delivery.pk], owner)
            count("released")
            continue
        now = timezone.now()
        if now + timedelta(seconds=dest.timeout_seconds + 1) > expires:
            store_acks()
            expires = now + timedelta(seconds=lease_seconds())
            if delivery.pk not in _renew([d.pk for d in leased[i:]], owner, expires):
                count("skipped")
                continue
        try:
            code, ack = _transmit(delivery)
        except SendError as exc:
            outcome = _record_failure(delivery, owner, str(exc), exc.status)
            if outcome == "paused":
                stopped.add(dest.pk)
            count(outcome)
            continue
        if not acks:
            first_ack_at = time.monotonic()
        acks.append((delivery, code, ack))
        if len(acks) >= ACK_BATCH or time.monotonic() - first_ack_at >= ACK_BATCH_SECONDS:
            store_acks()
    store_acks()
    return outcomes


def _destination_down(dest: Destination, now: datetime) -> bool:
    """Count one more failure of `dest` (no answer or a 5xx); pause it once it has failed enough in a row.
    True when the destination is (now) paused: the failed attempt is then not counted against the delivery."""
    with transaction.atomic():
        d = Destination.objects.select_for_update().get(pk=dest.pk)
        d.consecutive_failures += 1
        if d.consecutive_failures >= pause_after_failures():
            d.paused_until = now + timedelta(seconds=pause_seconds())
        d.save(update_fields=["consecutive_failures", "paused_until"])
    return d.paused_until is not None


def _record_failure(delivery: Delivery, owner: str, error: str, status: int | None) -> str:
    now = timezone.now()
    outage = status is None or status >= 500
    if outage and _destination_down(delivery.destination, now):
        # The destination is down: the delivery waits for the probe without burning an attempt.
        done = Delivery.objects.filter(pk=delivery.pk, lease_owner=owner, status=DeliveryStatus.PENDING).update(
            last_status_code=status, last_error=error[:2000], lease_owner="", lease_expires=None, next_attempt_at=now
        )
        return "paused" if done else "skipped"
    attempts = delivery.attempts + 1
    last = attempts >= delivery.destination.max_attempts
    fields = {
        "attempts": attempts,
        "last_status_code": status,
        "last_error": error[:2000],
        "lease_owner": "",
        "lease_expires": None,
    }
    if last:
        fields.update(status=DeliveryStatus.FAILED, failed_at=now)
    else:
        fields["next_attempt_at"] = now + backoff_after(attempts)
    done = Delivery.objects.filter(pk=delivery.pk, lease_owner=owner, status=DeliveryStatus.PENDING).update(**fields)
    if not done:
        return "skipped"
    if last:
        logger.warning("delivery %s failed after %s attempts: %s", delivery.idempotency_key, attempts, error)
        return "failed"
    return "retry"  # no countdown: the database sweep publishes it when next_attempt_at comes


# ----------------------------------------------------------------------------- sweep and retry


def _due(now: datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).filter(
        Q(lease_expires__isnull=True) | Q(lease_expires__lt=now)
    )


def due_ids(
    *, now: datetime | None = None, limit: int = 1000, after_id: int = 0, destination_id: int | None = None
) -> list[int]:
    """Due deliveries of open destinations, oldest first; a paused destination's deliveries wait."""
    now = now or timezone.now()
    paused = Destination.objects.filter(paused_until__isnull=False).values_list("pk", flat=True)
    due = _due(now).filter(id__gt=after_id)
    if destination_id is not None:
        due = due.filter(destination_id=destination_id)
    return list(due.exclude(destination_id__in=list(paused)).order_by("id").values_list("pk", flat=True)[:limit])


def probe_paused(*, now: datetime | None = None) -> int:
    """For each paused destination whose pause has passed, publish one probe (its oldest due delivery) and
    push the pause on, so only one probe is out at a time; the probe's success reopens the destination."""
    now = now or timezone.now()
    sent = 0
    for dest in Destination.objects.filter(paused_until__lte=now):
        first = _due(now).filter(destination=dest).order_by("id").values_list("pk", flat=True).first()
        if (
            Destination.objects.filter(pk=dest.pk, paused_until=dest.paused_until).update(
                paused_until=now + timedelta(seconds=pause_seconds())
            )
            and first is not None
        ):
            deliver_task.apply_async(args=[first], kwargs={"probe": True})
            sent += 1
    return sent


SEND_CHUNK = 50


def outbox_sweep(*, batch: int = 1000, budget_seconds: float = 50.0) -> int:
    """Publish sends for everything due or whose lease expired, in batches (keyset on id) until nothing is
    due or the time budget is used; then one probe per paused destination. Each message carries up to
    SEND_CHUNK deliveries (deliver_many_task), so a 40,000-row backlog is 800 messages, not 40,000.
    Returns how many deliveries were published."""
    return publish_due(batch=batch, budget_seconds=budget_seconds) + probe_paused()


def deliveries_retry(*, deliveries, actor) -> int:
    """WSP support puts failed deliveries back in the queue (same bytes, same key); attempts start over."""
    ids = [d.pk for d in deliveries]
    with transaction.atomic():
        locked = list(
            Delivery.objects.select_for_update().filter(pk__in=ids, status=DeliveryStatus.FAILED).order_by("id")
        )
        now = timezone.now()
        for d in locked:
            d.status = DeliveryStatus.PENDING
            d.attempts = 0
            d.next_attempt_at = now
            d.failed_at = None
            d.save(update_fields=["status", "attempts", "next_attempt_at", "failed_at"])
            enqueue(deliver_task, d.pk)
        if locked:
            log_action(
                "feed.delivery.retried",
                actor=actor,
                data={"count": len(locked), "keys": [d.idempotency_key for d in locked][:100]},
            )
    return len(locked)


@shared_task(acks_late=True, ignore_result=True)
def deliver_task(delivery_id: int, probe: bool = False) -> str:
    if not probe:
        paused = Delivery.objects.filter(pk=delivery_id, destination__paused_until__isnull=False).exists()
        if paused:  # published before the pause: leave it for the probe and the sweep
            return "paused"
    return delivery_send(delivery_id=delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_many_task(delivery_ids: list[int]) -> dict[str, int]:
    """Send a chunk the sweep published (deliveries_send_many)."""
    return deliveries_send_many(delivery_ids)


def publish_due(*, destination_id: int | None = None, batch: int = 1000, budget_seconds: float = 50.0) -> int:
    """Publish sends for everything due (of one destination, or all open ones), in keyset batches of chunks
    until nothing is left or the time budget is used. Returns how many deliveries were published."""
    started = timezone.now()
    published, after = 0, 0
    while (timezone.now() - started).total_seconds() < budget_seconds:
        ids = due_ids(limit=batch, after_id=after, destination_id=destination_id)
        if not ids:
            break
        for i in range(0, len(ids), SEND_CHUNK):
            deliver_many_task.apply_async(args=[ids[i : i + SEND_CHUNK]])
        published += len(ids)
        after = ids[-1]
    return published


@shared_task(ignore_result=True)
def destination_drain_task(destination_id: int) -> int:
    """A destination reopened: publish what waited for it now rather than at the next sweep."""
    return publish_due(destination_id=destination_id)


@shared_task(acks_late=True, ignore_result=True)
def deliveries_retry_all_task(actor_id: int) -> int:
    """WSP support's "retry all failed", run as a task in chunks (never in the request)."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.get(pk=actor_id)
    total = 0
    while True:
        chunk = list(Delivery.objects.restrict(actor).filter(status=DeliveryStatus.FAILED).only("id")[:1000])
        if not chunk:
            return total
        total += deliveries_retry(deliveries=chunk, actor=actor)


@shared_task(ignore_result=True)
@once_per_slot("feed.outbox_sweep", period=timedelta(minutes=1))
def outbox_sweep_task() -> int:
    return outbox_sweep()


# ---------------------------------------------------------------- WSP support edits a destination (issue 16)


class DestinationError(DomainError):
    """A destination change refused, with what to fix."""


def destination_change(
    *,
    destination: Destination,
    actor,
    url: str,
    active: bool,
    paused_until: datetime | None,
    auth_header: str,
    new_secret: str = "",
    clear_secret: bool = False,
) -> Destination:
    """WSP support changes where a destination sends, whether it is enabled or paused, and its credential
    (the header name, and a new secret that is written but never shown or logged). The audit entry lists the
    fields before and after; a secret change reads "replaced" or "removed"."""
    from sector.core.permissions import authorize

    url = (url or "").strip()
    auth_header = (auth_header or "").strip()
    if auth_header and not re.fullmatch(r"[A-Za-z0-9-]{1,60}", auth_header):
        raise DestinationError("The header name is 1 to 60 letters, digits or dashes, e.g. Authorization.")
    if new_secret and ("\n" in new_secret or "\r" in new_secret or len(new_secret) > 2000):
        raise DestinationError("The secret is one line of at most 2,000 characters.")
    with transaction.atomic():
        locked = Destination.objects.select_for_update().get(pk=destination.pk)
        authorize(actor, "change", locked)
        if locked.kind == DestinationKind.HTTP and (problem := url_problem(url)):
            raise DestinationError(problem)
        before = {
            "url": locked.url,
            "active": locked.active,
            "paused_until": locked.paused_until,
            "auth_header": locked.auth_header,
        }
        if locked.kind == DestinationKind.HTTP:
            locked.url = url
        locked.active = active
        locked.paused_until = paused_until
        if paused_until is None:
            locked.consecutive_failures = 0
        locked.auth_header = auth_header
        secret_change = ""
        if clear_secret and locked.auth_secret:
            locked.auth_secret = ""
            secret_change = "removed"
        elif new_secret:
            locked.auth_secret = new_secret
            secret_change = "replaced"
        locked.save()
        after = {
            "url": locked.url,
            "active": locked.active,
            "paused_until": locked.paused_until,
            "auth_header": locked.auth_header,
        }
        changes: dict[str, list] = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if secret_change:
            changes["credential"] = ["set" if secret_change == "replaced" else "was set", secret_change]
        if changes:
            log_action("feed.destination.changed", obj=locked, actor=actor, changes=changes, data={"code": locked.code})
    return locked
