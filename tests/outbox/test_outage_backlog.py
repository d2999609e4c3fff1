"""The outage backlog (issue 14 item 4): sweep-driven retries, paused destinations, the drain loop, the screen."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sector.feed import outbox
from sector.feed.outbox_models import Delivery, DeliveryStatus, Destination

pytestmark = pytest.mark.django_db


def _dest(**kw):
    return Destination.objects.create(
        code=kw.pop("code", "DOT"), name="DOT", url="http://127.0.0.1:9/down", max_attempts=3, **kw
    )


def _pending(dest, n):
    now = timezone.now()
    return Delivery.objects.bulk_create(
        Delivery(destination=dest, record_type="collision", record_id=i, label=f"r{i}",
                 idempotency_key=f"k{i}:{dest.code}", payload=b"{}", next_attempt_at=now, created_at=now)
        for i in range(n)
    )  # fmt: skip


def test_a_destination_that_is_down_is_paused_and_attempts_do_not_burn(settings, monkeypatch):
    settings.OUTBOX_PAUSE_AFTER_FAILURES = 2
    dest = _dest()
    rows = _pending(dest, 6)
    calls = []
    monkeypatch.setattr(outbox.deliver_task, "apply_async", lambda args, kwargs=None: calls.append(args[0]))
    monkeypatch.setattr(outbox.deliver_many_task, "apply_async", lambda args: calls.extend(args[0]))

    def fail(*a, **k):
        raise outbox.SendError("HTTP 503", 503)

    monkeypatch.setattr(outbox, "_post", fail)
    results = [outbox.delivery_send(delivery_id=d.pk) for d in rows[:4]]
    assert results == ["retry", "paused", "paused", "paused"]
    dest.refresh_from_db()
    assert dest.paused_until is not None
    assert Delivery.objects.filter(status=DeliveryStatus.FAILED).count() == 0
    assert max(Delivery.objects.values_list("attempts", flat=True)) <= 1
    assert outbox.due_ids() == []  # a paused destination's deliveries wait for the probe
    assert outbox.outbox_sweep() == 0 and calls == []
    Destination.objects.filter(pk=dest.pk).update(paused_until=timezone.now() - timedelta(seconds=1))
    assert outbox.outbox_sweep() == 1 and len(calls) == 1  # one probe


def test_a_successful_probe_reopens_the_destination_and_the_sweep_drains(monkeypatch):
    dest = _dest(paused_until=timezone.now() - timedelta(seconds=1), consecutive_failures=9)
    rows = _pending(dest, 2500)
    monkeypatch.setattr(outbox, "_post", lambda dest, delivery, body: (200, "ok"))
    assert outbox.delivery_send(delivery_id=rows[0].pk) == "delivered"
    dest.refresh_from_db()
    assert dest.paused_until is None and dest.consecutive_failures == 0
    assert outbox.outbox_sweep(batch=1000) == 2499  # in a loop of batches, eager tasks deliver them
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 2500


def test_a_retry_uses_no_countdown(monkeypatch):
    dest = _dest()
    [d] = _pending(dest, 1)
    published = []
    monkeypatch.setattr(outbox.deliver_task, "apply_async", lambda *a, **k: published.append(k))

    def fail(*a, **k):
        raise outbox.SendError("HTTP 400", 400)

    monkeypatch.setattr(outbox, "_post", fail)
    assert outbox.delivery_send(delivery_id=d.pk) == "retry"
    assert published == []
    d.refresh_from_db()
    assert d.next_attempt_at > timezone.now()


def test_the_outbox_screen_shows_state_rate_and_time_to_drain(client, world):
    dest = _dest(paused_until=timezone.now() + timedelta(seconds=30))
    rows = _pending(dest, 4)
    Delivery.objects.filter(pk__in=[r.pk for r in rows[:3]]).update(
        status=DeliveryStatus.DELIVERED, delivered_at=timezone.now()
    )
    client.force_login(world.users["wsp"])
    page = client.get(reverse("outbox:destination_status")).content.decode()
    assert "Paused" in page and "per second" in page and "about 100 seconds" in page
