"""Outbox reliability with a real PostgreSQL, a real broker (Redis) and real `celery worker` processes.

No eager mode and no mocks: reports are approved through the service, the deliveries are published to the
broker after commit, and a separate worker process sends them to loopback HTTP destinations.
"""

import time

import pytest
from django.db import connections

from collisions.models import CollisionReport
from collisions.services import report_approve
from sector.feed.outbox import outbox_sweep
from sector.feed.outbox_models import Delivery, DeliveryStatus, Destination
from tests.collisions.factories import collision, make_destination, store
from tests.outbox.loopback import Loopback
from tests.reliability.conftest import app_broker, free_port, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]


def _approve_many(world, n: int) -> list[int]:
    recs = [collision() for _ in range(n)]
    store(recs)
    ids = list(
        CollisionReport.objects.filter(report_number__in=[r["report_number"] for r in recs]).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        report_approve(actor=world.users["reviewer"], report_id=pk)
    return ids


def _all_delivered() -> bool:
    connections.close_all()  # a fresh snapshot each poll
    return not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()


def _assert_each_key_once_with_one_body(servers, expected_keys):
    bodies: dict[str, set[bytes]] = {}
    for server in servers:
        for key, body_set in server.keys().items():
            bodies.setdefault(key, set()).update(body_set)
    assert set(bodies) == set(expected_keys), "a delivery is missing"
    assert all(len(b) == 1 for b in bodies.values()), "an idempotency key arrived with two different bodies"


def test_a_destination_down_then_back_receives_every_delivery(world, broker, worker_factory):
    port = free_port()
    make_destination("DOT", url=f"http://127.0.0.1:{port}/collisions", max_attempts=60, timeout_seconds=2)
    worker_factory()
    with app_broker(broker):
        _approve_many(world, 15)
        keys = list(Delivery.objects.values_list("idempotency_key", flat=True))
        assert len(keys) == 15
        # Down: nothing listens; after a few failures in a row the destination is paused and the deliveries
        # wait without burning their attempts (issue 14 item 4).
        assert wait_for(lambda: Destination.objects.filter(paused_until__isnull=False).exists(), timeout=15)
        for _ in range(4):
            outbox_sweep()  # only probes go out while it is down
            time.sleep(0.5)
        assert not Delivery.objects.filter(status=DeliveryStatus.DELIVERED).exists()
        assert not Delivery.objects.filter(status=DeliveryStatus.FAILED).exists()
        assert sum(Delivery.objects.values_list("attempts", flat=True)) <= 5
        server = Loopback(port=port)
        try:
            assert wait_for(_all_delivered, timeout=30, interval=0.5, every=outbox_sweep)
        finally:
            server.stop()
    _assert_each_key_once_with_one_body([server], keys)
    assert all(d.ack.startswith('{"receipt"') for d in Delivery.objects.all())


def test_a_worker_killed_mid_run_loses_nothing(world, broker, worker_factory):
    dot, dol = Loopback(), Loopback()
    dot.delay = dol.delay = 0.02
    make_destination("DOT", url=dot.url)
    make_destination("DOL", url=dol.url)
    first = worker_factory()
    try:
        with app_broker(broker):
            _approve_many(world, 60)  # 120 deliveries
            keys = list(Delivery.objects.values_list("idempotency_key", flat=True))
            assert wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() >= 10, timeout=20)
            first.kill()
            delivered_at_kill = Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
            assert delivered_at_kill < len(keys), "the worker finished before it could be killed"
            worker_factory()  # restarted; the sweep re-publishes whatever is due or whose lease expired
            assert wait_for(_all_delivered, timeout=40, interval=0.5, every=outbox_sweep)
    finally:
        dot.stop()
        dol.stop()
    _assert_each_key_once_with_one_body([dot, dol], keys)


def test_broker_unreachable_during_approval_then_delivered_after_it_returns(world, broker, worker_factory):
    server = Loopback()
    make_destination("DOT", url=server.url)
    try:
        with app_broker("redis://127.0.0.1:1/5"):  # nothing listens there
            recs = [collision()]
            store(recs)
            report = CollisionReport.objects.get(report_number=recs[0]["report_number"])
            report_approve(actor=world.users["reviewer"], report_id=report.pk)  # no error for the reviewer
        report.refresh_from_db()
        assert report.status == "approved"
        [delivery] = Delivery.objects.all()
        assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
        worker_factory()
        with app_broker(broker):
            assert wait_for(_all_delivered, timeout=20, interval=0.5, every=outbox_sweep)
    finally:
        server.stop()
    _assert_each_key_once_with_one_body([server], [delivery.idempotency_key])
