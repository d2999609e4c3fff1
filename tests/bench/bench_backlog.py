"""The outage backlog (issue 14 item 4): 40,000 pending deliveries to two loopback destinations that answer
503 for a while, then recover. Two real `celery worker` processes drain it, driven only by the sweep (no
"retry all"). Prints the time to drain and deliveries/s; asserts 0 lost and 0 double acknowledgements."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from sector.feed.outbox import outbox_sweep
from sector.feed.outbox_models import Delivery, DeliveryStatus, Destination
from tests.outbox.loopback import Loopback
from tests.reliability.conftest import ROOT, app_broker

pytestmark = pytest.mark.django_db(transaction=True)
N = int(os.environ.get("BACKLOG_N", "40000"))
# Its own Redis database: the reliability tests flush theirs (5) and may run at the same time.
BROKER = os.environ.get("BACKLOG_BROKER_URL", "redis://127.0.0.1:6379/13")
THREADS = os.environ.get("BACKLOG_THREADS", "8")  # per worker: a delivery mostly waits on the destination


def _worker(db_name: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.backlog_worker_settings",
        "SECTOR_TEST_BROKER_URL": BROKER,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db_name}",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sector", "worker", "-Q", "deliveries", "-P", "threads", "-c", THREADS,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def _count(status) -> int:
    connections.close_all()
    return Delivery.objects.filter(status=status).count()


def test_a_40000_backlog_drains_after_the_outage_with_nothing_lost_or_doubled():
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    dot, dol = Loopback(fail_with=503), Loopback(fail_with=503)
    dests = [
        Destination.objects.create(code=code, name=code, url=srv.url, max_attempts=8, timeout_seconds=5)
        for code, srv in (("DOT", dot), ("DOL", dol))
    ]
    now = timezone.now()
    rows = [
        Delivery(destination=dest, record_type="collision", record_id=i, label=f"r{i}",
                 idempotency_key=f"WA0340100:E{i:06d}:1:{dest.code}", payload=b'{"n": %d}' % i,
                 next_attempt_at=now, created_at=now)
        for i in range(N // 2) for dest in dests
    ]  # fmt: skip
    Delivery.objects.bulk_create(rows, batch_size=5000)
    keys = set(Delivery.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == N
    workers = [_worker(connection.settings_dict["NAME"]) for _ in range(2)]
    try:
        with app_broker(BROKER):
            # The outage: the destinations answer 503; the sweep runs; both get paused, nothing fails.
            # (The workers may take a while to start on a busy machine: the outage lasts until both are paused.)
            outage_end = time.monotonic() + 120
            while time.monotonic() < outage_end:
                outbox_sweep(budget_seconds=2)
                time.sleep(1)
                connections.close_all()
                if Destination.objects.filter(paused_until__isnull=False).count() == 2:
                    break
            for _ in range(3):  # a few more sweeps while it is down: only probes go out
                outbox_sweep(budget_seconds=2)
                time.sleep(1)
            connections.close_all()
            assert Destination.objects.filter(paused_until__isnull=False).count() == 2, "not paused"
            assert _count(DeliveryStatus.FAILED) == 0
            burnt = Delivery.objects.filter(attempts__gt=0).count()
            dot.fail_with = dol.fail_with = None  # recovered
            started = time.monotonic()
            deadline = started + 900
            while _count(DeliveryStatus.DELIVERED) < N and time.monotonic() < deadline:
                outbox_sweep(budget_seconds=5)
                time.sleep(3)
            elapsed = time.monotonic() - started
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(30)
        dot.stop()
        dol.stop()
    delivered = _count(DeliveryStatus.DELIVERED)
    received = dot.received + dol.received
    per_key: dict[str, int] = {}
    for key, _body, _ in received:
        per_key[key] = per_key.get(key, 0) + 1
    doubles = sum(1 for n in per_key.values() if n > 1)
    if doubles:
        sample = [k for k, n in per_key.items() if n > 1][:5]
        for d in Delivery.objects.filter(idempotency_key__in=sample):
            print("doubled:", d.idempotency_key, d.attempts, d.last_status_code, d.last_error[:200])
    print(
        f"\nbacklog: {N} deliveries, 2 destinations, 2 workers x {THREADS} threads; attempts burnt during the outage: "
        f"{burnt}; drained in {elapsed:.1f} s after recovery = {delivered / elapsed:.0f} deliveries/s; "
        f"lost {N - len(per_key)}, double acknowledgements {doubles}"
    )
    assert delivered == N
    assert set(per_key) == keys, "a delivery was lost"
    assert doubles == 0, "an idempotency key was acknowledged twice"
