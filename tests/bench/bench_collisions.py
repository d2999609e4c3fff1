"""Collision benchmarks (make bench): claim next and the review queue page at 200,000 reports over HTTP beside
Yardstick P (tests/bench/harness.py); 1,000 approved reports delivered to two loopback HTTP destinations by one
worker process."""

from __future__ import annotations

import os
import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from collisions.choices import ReportStatus
from collisions.models import CollisionReport
from sector.feed import bulk
from sector.orgs.models import Agency
from tests.bench.harness import Table, Timing, bench_server  # noqa: F401 - the fixture
from tests.bench.urls import YARDSTICK_P_URL
from tests.factories import AgencyFactory, make_user
from tests.reliability.conftest import broker, worker_factory  # noqa: F401 - the real broker and worker fixtures

pytestmark = [pytest.mark.bench]

TOTAL = 200_000
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
CLAIMS = 40


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


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db(transaction=True)
def test_claim_next_and_queue_page_at_200000_reports(world, bench_server):  # noqa: F811 - the fixture
    """Over HTTP against gunicorn (2 workers), beside Yardstick P: the review queue page at 200,000 reports
    (page of 25 <= 2x P; page of 100 and page 41 by keyset <= 4x P) and claim next (<= 1x P), each claim by a
    different reviewer as the browser posts it (the queue page's form, its CSRF token)."""
    agencies = [world.agency_a] + [AgencyFactory(ori=f"WA99{i:05d}") for i in range(19)]
    t0 = time.perf_counter()
    _fill(agencies, TOTAL)
    fill_s = time.perf_counter() - t0
    base = reverse("collisions:review_queue")
    table = Table(f"collision review at {TOTAL:,} reports")
    with bench_server.client(world.users["reviewer"]) as http:
        for size, target in ((25, 2.0), (100, 4.0)):
            url = f"{base}?agency={world.agency_a.pk}&size={size}"
            figure, p = bench_server.compare(http, url, n=RUNS)
            table.row(f"review queue, page of {size}", figure, p, target=target)
        url = f"{base}?agency={world.agency_a.pk}&size=100"
        for _ in range(40):  # a deep page: follow the cursor 40 pages in
            html = http.get(url).text
            url = base + html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
        figure, p = bench_server.compare(http, url, n=RUNS)
        table.row("review queue, page 41 of 100 (keyset)", figure, p, target=4.0)

    reviewers = [make_user(f"bench{i}", "collision_reviewer", agency=world.agency_a) for i in range(CLAIMS)]
    claims, p_samples = [], []
    for reviewer in reviewers:
        with bench_server.client(reviewer) as http:
            token = _csrf(http.get(f"{base}?agency={world.agency_a.pk}").text)  # the page the button is on
            for _ in range(2):
                bench_server.get(http, YARDSTICK_P_URL)
            p_samples.append(bench_server.get(http, YARDSTICK_P_URL)[0])
            start = time.perf_counter()
            response = http.post(
                reverse("collisions:claim_next"),
                data={"csrfmiddlewaretoken": token, "agency": world.agency_a.pk, "q": "", "severity": ""},
            )
            claims.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302 and "/collisions/" in response.headers["location"], response.text[:300]
            p_samples.append(bench_server.get(http, YARDSTICK_P_URL)[0])
    table.row(f"claim next ({CLAIMS} reviewers, one claim each)", Timing(claims), Timing(p_samples), target=1.0)
    held = CollisionReport.objects.filter(agency=world.agency_a, claimed_by__isnull=False).count()
    awaiting = CollisionReport.objects.filter(agency=world.agency_a, status=ReportStatus.PENDING).count()
    table.note(f"{TOTAL:,} reports filled by COPY in {fill_s:.1f} s; {awaiting:,} awaiting at agency A, {held} held")
    table.print()
    assert held == CLAIMS
    table.assert_all()


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
