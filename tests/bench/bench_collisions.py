"""Collision benchmarks (make bench): claim next and the queue page at 200,000 reports; 1,000 approved reports
delivered to two loopback HTTP destinations by one worker process. Prints medians beside the issue's targets."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from collisions.choices import ReportStatus
from collisions.models import CollisionReport
from collisions.services import claim_next
from sector.feed import bulk
from sector.orgs.models import Agency
from tests.factories import AgencyFactory, make_user
from tests.reliability.conftest import broker, worker_factory  # noqa: F401 - the real broker and worker fixtures

pytestmark = [pytest.mark.bench]

TOTAL = 200_000


def _fill(agencies: list[Agency], total: int) -> None:
    """200,000 reports over 20 agencies: most approved, a few thousand per agency awaiting review."""
    now = timezone.now()
    rows = []
    for i in range(total):
        agency = agencies[i % len(agencies)]
        status = (
            ReportStatus.PENDING if i % 10 == 0 else (ReportStatus.RETURNED if i % 10 == 1 else ReportStatus.APPROVED)
        )
        at = now - timedelta(minutes=total - i)
        rows.append(
            {
                "agency_id": agency.pk,
                "report_number": f"B{i:09d}",
                "status": status,
                "latest_version": 1,
                "latest_hash": "x" * 64,
                "review_version": 1,
                "occurred_at": at,
                "location_text": "I-5 NB, Olympia, Thurston County (MP 105)",
                "severity": "O",
                "error_count": 0,
                "warning_count": i % 3,
                "officer_name": "Ofc. Bench",
                "officer_personnel_number": "B1",
                "received_at": at,
                "queued_at": at,
                "updated_at": at,
            }  # fmt: skip
        )
        if len(rows) == 50_000:
            bulk.insert_rows(CollisionReport, rows)
            rows = []
    if rows:
        bulk.insert_rows(CollisionReport, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE collisions_collisionreport")


def _median_ms(samples):
    return statistics.median(samples) * 1000


@pytest.mark.django_db
def test_claim_next_and_queue_page_at_200000_reports(world, django_db_blocker):
    agencies = [world.agency_a] + [AgencyFactory(ori=f"WA99{i:05d}") for i in range(19)]
    t0 = time.perf_counter()
    _fill(agencies, TOTAL)
    fill_s = time.perf_counter() - t0
    reviewers = [make_user(f"bench{i}", "collision_reviewer", agency=world.agency_a) for i in range(60)]
    samples = []
    for r in reviewers[:60]:
        t = time.perf_counter()
        got = claim_next(actor=r, agency_id=world.agency_a.pk)
        samples.append(time.perf_counter() - t)
        assert got is not None
    claim_ms = _median_ms(samples)

    client = world.client_for("reviewer")
    base = reverse("collisions:review_queue")
    client.get(base)
    results = {}
    for size in (25, 100):
        url = f"{base}?agency={world.agency_a.pk}&size={size}"
        times = []
        for _ in range(7):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t)
            assert response.status_code == 200
        results[size] = (_median_ms(times), len(ctx.captured_queries))
    # A deep page: follow the cursor 40 pages in.
    url = f"{base}?agency={world.agency_a.pk}&size=100"
    for _ in range(40):
        html = client.get(url).content.decode()
        nxt = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
        url = base + nxt
    deep = []
    for _ in range(7):
        t = time.perf_counter()
        client.get(url)
        deep.append(time.perf_counter() - t)
    awaiting = CollisionReport.objects.filter(agency=world.agency_a, status=ReportStatus.PENDING).count()
    print(f"\n[collisions] {TOTAL:,} reports (filled by COPY in {fill_s:.1f} s), {awaiting:,} awaiting at agency A")
    print(f"[collisions] claim next: median {claim_ms:.1f} ms over 60 claims (target < 50 ms)")
    for size, (ms, q) in results.items():
        print(f"[collisions] queue page of {size}: median {ms:.1f} ms, {q} queries (target < 100 ms)")
    print(f"[collisions] queue page 41 of 100 (keyset): median {_median_ms(deep):.1f} ms")
    assert results[25][1] == results[100][1], "the queue's query count depends on the page size"


@pytest.mark.reliability
@pytest.mark.django_db(transaction=True)
def test_delivery_throughput_two_loopback_destinations(world, broker, worker_factory):  # noqa: F811 - fixtures
    from django.db import connections, transaction

    from sector.feed.outbox import deliveries_create
    from sector.feed.outbox_models import Delivery, DeliveryStatus
    from tests.collisions.factories import make_destination
    from tests.outbox.loopback import Loopback
    from tests.reliability.conftest import app_broker, wait_for

    dot, dol = Loopback(), Loopback()
    make_destination("DOT", url=dot.url)
    make_destination("DOL", url=dol.url)
    n = 1000
    payload = b'{"type":"collision","report_number":"E2026-00001","narrative":"' + b"x" * 2000 + b'"}'
    worker_factory()
    try:
        with app_broker(broker):
            # Warm the worker with one delivery, then 1,000 reports' deliveries committed at once.
            with transaction.atomic():
                deliveries_create(
                    record_type="collision", record_id=0, label="warm", key_prefix="WARM:0:1", payload=payload
                )
            assert wait_for(lambda: not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists(), timeout=30)
            with transaction.atomic():
                for i in range(1, n + 1):
                    deliveries_create(
                        record_type="collision",
                        record_id=i,
                        label=f"E{i}",
                        key_prefix=f"WA0340100:E{i}:1",
                        payload=payload,
                    )
            t0 = time.perf_counter()

            def done():
                connections.close_all()
                return not Delivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()

            assert wait_for(done, timeout=300, interval=0.25)
            elapsed = time.perf_counter() - t0
    finally:
        dot.stop()
        dol.stop()
    total = 2 * n
    assert len(dot.keys()) == n + 1 and len(dol.keys()) == n + 1
    print(
        f"\n[outbox] {total:,} deliveries ({n:,} reports x DOT, DOL) by one worker (4 threads): {elapsed:.1f} s, "
        f"{total / elapsed:.0f} deliveries/s (target >= 50/s)"
    )
