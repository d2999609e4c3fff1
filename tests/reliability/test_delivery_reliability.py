"""Outbox reliability with a real PostgreSQL, a real broker (Redis) and real `celery worker` processes.

No eager mode and no mocks: reports are approved through the service, the deliveries are published to the
broker after commit, and a separate worker process sends them to loopback HTTP destinations.
"""

import json
import time

import pytest
from django.db import connections, transaction

from collisions.choices import Section
from collisions.models import CollisionReport
from collisions.services import report_approve, report_return
from sector.core.mail import mail_sweep
from sector.core.models import OutgoingMail
from sector.feed.outbox import outbox_sweep
from sector.feed.outbox_models import Delivery, DeliveryStatus, Destination
from tests.collisions.factories import collision, make_destination, store
from tests.outbox.loopback import Loopback
from tests.reliability.conftest import IdempotentDestination, app_broker, free_port, wait_for
from tests.smtp_catcher import SmtpCatcher

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


def _assert_acknowledged_once(destinations, deliveries):
    """Each key got exactly one receipt at its destination, and the portal stored that receipt."""
    receipts = {k: r for d in destinations for k, r in d.receipts.items()}
    assert set(receipts) == {d.idempotency_key for d in deliveries}, "a delivery is missing"
    for d in deliveries:
        assert d.status == DeliveryStatus.DELIVERED
        assert json.loads(d.ack) == {"receipt": receipts[d.idempotency_key]}, d.idempotency_key


def test_a_worker_killed_mid_delivery_loses_nothing(world, broker, worker_factory):
    """SIGKILL while a delivery is in flight (the destination issued its receipt, the answer has not gone
    out): no acknowledgment reaches the portal, the lease runs out, the sweep re-drives it to a new worker and
    the destination's repeat answer (same key, same receipt) is stored. Nothing lost, one receipt per key."""
    dot, dol = IdempotentDestination(), IdempotentDestination()
    dot.delay = dol.delay = 0.02
    make_destination("DOT", url=dot.url)
    make_destination("DOL", url=dol.url)
    first = worker_factory()
    try:
        with app_broker(broker):
            _approve_many(world, 60)  # 120 deliveries
            keys = list(Delivery.objects.values_list("idempotency_key", flat=True))
            assert wait_for(lambda: Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() >= 10, timeout=20)
            dot.hold_next()
            assert dot.held.wait(20), "no delivery reached the destination after the hold was set"
            first.kill()
            in_flight = Delivery.objects.get(idempotency_key=dot.held_key)
            assert in_flight.status == DeliveryStatus.PENDING and in_flight.ack == ""  # received, never acknowledged
            delivered_at_kill = Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count()
            assert delivered_at_kill < len(keys), "the worker finished before it could be killed"
            dot.release.set()  # the killed worker's connection is gone; this answer reaches nobody
            worker_factory()  # restarted; the sweep re-publishes whatever is due or whose lease expired
            assert wait_for(_all_delivered, timeout=40, interval=0.5, every=outbox_sweep)
    finally:
        dot.release.set()
        dot.stop()
        dol.stop()
    _assert_each_key_once_with_one_body([dot, dol], keys)
    assert dot.times_received(dot.held_key) >= 2  # the in-flight delivery was sent again, with the same bytes
    _assert_acknowledged_once([dot, dol], list(Delivery.objects.all()))


def test_the_broker_stopped_mid_approval_loses_nothing(world, private_broker, worker_factory, settings):
    """The broker (a redis-server of this test's own) dies while a reviewer approves three reports and returns
    a fourth: the database transaction commits, the publishes after commit fail without an error for the
    reviewer, the reports, their deliveries and the officer's mail are all stored. When the broker is back on
    the same port (empty: what it held died with it) the sweeps re-publish; everything is delivered and sent
    once."""
    settings.MAIL_SWEEP_GRACE_SECONDS = 0  # the beat's mail sweep, without waiting out its 30 s grace
    server = IdempotentDestination()
    smtp = SmtpCatcher()
    make_destination("DOT", url=server.url)
    reviewer = world.users["reviewer"]
    lasa = world.users["lasa"]  # a returned report is mailed to the agency's LASAs
    worker_factory(private_broker.url, SECTOR_TEST_SMTP_PORT=str(smtp.port))
    try:
        with app_broker(private_broker.url):
            before = _approve_many(world, 2)  # the broker up: delivered as usual
            assert wait_for(_all_delivered, timeout=30, interval=0.3)
            recs = [collision() for _ in range(4)]
            store(recs)
            *approved, returned = CollisionReport.objects.filter(
                report_number__in=[r["report_number"] for r in recs]
            ).order_by("pk")
            started = time.monotonic()
            with transaction.atomic():  # one request of the reviewer's, say
                for report in approved:
                    report_approve(actor=reviewer, report_id=report.pk)
                report_return(actor=reviewer, report_id=returned.pk, notes={Section.values[0]: "Redraw the diagram."})
                private_broker.kill()  # mid-approval: the rows are written, the commit's publishes are next
            assert time.monotonic() - started < 20  # the publishes gave up quickly (CELERY_PUBLISH_RETRY_POLICY)
            assert set(
                CollisionReport.objects.filter(pk__in=[r.pk for r in approved]).values_list("status", flat=True)
            ) == {"approved"}
            assert CollisionReport.objects.get(pk=returned.pk).status == "returned"
            waiting = Delivery.objects.filter(record_id__in=[r.pk for r in approved])
            assert waiting.count() == 3 and {d.status for d in waiting} == {DeliveryStatus.PENDING}
            [mail] = OutgoingMail.objects.filter(to__contains=[lasa.email], sent_at__isnull=True)
            time.sleep(1)
            assert not Delivery.objects.filter(record_id__in=[r.pk for r in approved], attempts__gt=0).exists()
            private_broker.start()  # back on the same port, empty

            def sweep():
                outbox_sweep()
                mail_sweep()

            def sent() -> bool:
                return _all_delivered() and OutgoingMail.objects.get(pk=mail.pk).sent_at is not None

            assert wait_for(sent, timeout=45, interval=0.5, every=sweep)
    finally:
        server.stop()
        smtp.stop()
    deliveries = list(Delivery.objects.all())
    assert len(deliveries) == len(before) + 3
    _assert_acknowledged_once([server], deliveries)
    _assert_each_key_once_with_one_body([server], [d.idempotency_key for d in deliveries])
    assert len(smtp.to(lasa.email, containing=returned.report_number)) == 1  # the officer's notice, once
