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
    # in a loop of batches; eager tasks deliver them inside the sweep, so its time budget is lifted here
    assert outbox.outbox_sweep(batch=1000, budget_seconds=3600) == 2499
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


# ----------------------------------------------------------------------------- the chunk path (one lease per chunk)


def test_a_chunk_is_leased_in_one_statement_and_its_answers_stored_in_batches(
    monkeypatch, django_assert_max_num_queries
):
    dest = _dest()
    rows = _pending(dest, 50)
    Delivery.objects.filter(pk=rows[0].pk).update(
        lease_owner="someone", lease_expires=timezone.now() + timedelta(seconds=60)
    )
    sent = []
    monkeypatch.setattr(outbox, "_post", lambda dest, d, body: sent.append(d.idempotency_key) or (201, "ok"))
    # paused list + lease + read, then one UPDATE per answer, stored ten to a transaction (its savepoint here):
    # 62 for 49 sends and 5 commits, where it was about 5 statements and 3 commits per delivery
    with django_assert_max_num_queries(3 + 49 + 2 * 5):
        outcomes = outbox.deliveries_send_many([r.pk for r in rows])
    assert outcomes == {"skipped": 1, "delivered": 49}
    assert len(sent) == len(set(sent)) == 49 and rows[0].idempotency_key not in sent
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED, lease_owner="").count() == 49


def test_when_the_destination_pauses_mid_chunk_the_rest_are_given_back_unburnt(settings, monkeypatch):
    settings.OUTBOX_PAUSE_AFTER_FAILURES = 2
    dest = _dest()
    other = _dest(code="DOL")
    rows = _pending(dest, 6) + _pending(other, 2)
    calls = []

    def post(dest, d, body):
        calls.append(d.pk)
        if dest.code == "DOT":
            raise outbox.SendError("HTTP 503", 503)
        return 201, "ok"

    monkeypatch.setattr(outbox, "_post", post)
    outcomes = outbox.deliveries_send_many([r.pk for r in rows])
    assert outcomes == {"retry": 1, "paused": 1, "released": 4, "delivered": 2}
    assert len(calls) == 4  # two DOT tries, then DOT is left alone; DOL still gets its two
    dest.refresh_from_db()
    assert dest.paused_until is not None
    dot = Delivery.objects.filter(destination=dest)
    assert max(dot.values_list("attempts", flat=True)) <= 1
    assert not dot.exclude(lease_owner="").exists()  # nothing stays leased
    assert outbox.deliveries_send_many([r.pk for r in rows]) == {"skipped": 8}  # paused: nothing is leased


def test_a_chunk_renews_its_lease_and_skips_one_another_worker_took_meanwhile(settings, monkeypatch):
    settings.OUTBOX_LEASE_SECONDS = 10  # shorter than one send at the destination's timeout: renewed each send
    dest = _dest(timeout_seconds=10)
    rows = _pending(dest, 3)
    sent = []

    def post(dest, d, body):
        if not sent:  # meanwhile the third one's lease ran out and another worker took it
            Delivery.objects.filter(pk=rows[2].pk).update(
                lease_owner="other", lease_expires=timezone.now() + timedelta(seconds=60)
            )
        sent.append(d.pk)
        return 201, "ok"

    monkeypatch.setattr(outbox, "_post", post)
    assert outbox.deliveries_send_many([r.pk for r in rows]) == {"delivered": 2, "skipped": 1}
    assert sent == [rows[0].pk, rows[1].pk]
    assert Delivery.objects.get(pk=rows[0].pk).lease_owner == ""


def test_a_destination_that_comes_back_is_drained_at_once(monkeypatch, django_capture_on_commit_callbacks):
    dest = _dest(paused_until=timezone.now() - timedelta(seconds=1), consecutive_failures=9)
    rows = _pending(dest, 120)
    published = []
    monkeypatch.setattr(outbox.deliver_many_task, "apply_async", lambda args: published.extend(args[0]))
    monkeypatch.setattr(outbox, "_post", lambda dest, delivery, body: (200, "ok"))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.delivery_send(delivery_id=rows[0].pk) == "delivered"  # the probe
    assert sorted(published) == [r.pk for r in rows[1:]]  # published by the drain, not the next sweep


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_chunk_at_once_send_each_delivery_once(loopback):
    import threading

    from django.db import connections

    dest = Destination.objects.create(code="DOT", name="DOT", url=loopback.url, max_attempts=3)
    rows = _pending(dest, 200)
    ids = [r.pk for r in rows]
    barrier = threading.Barrier(4)

    def work():
        barrier.wait()
        try:
            outbox.deliveries_send_many(ids)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keys = [k for k, _b, _h in loopback.received]
    assert len(keys) == len(set(keys)) == 200
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 200
