"""The JINDEX-outage backlog (issue 15): 40,000 ticket records arrive at once as feed batches of 1,000 from 4 senders
(4 credentials, each scoped to its own agency), posted concurrently over HTTP to gunicorn (2 workers). Asserts every
record stored once (0 lost, 0 duplicates by agency, ticket number and version) and the backlog cleared at >= 40%
of the rate of COPY of the same rows in the same run (the yardstick of bench_ingest)."""

import http.client
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from citations.demo import SENDERS, generate
from citations.models import Ticket, TicketVersion, Violation
from sector.feed.services import credential_create
from sector.orgs.models import Agency
from tests.bench.bench_ingest import _copy_seconds, gunicorn, table  # noqa: F401 - gunicorn is a fixture
from tests.factories import AgencyFactory, CourtFactory

TOTAL = int(os.environ.get("BENCH_BACKLOG_RECORDS", "40000"))
BATCH = 1000


def _send(port: int, token: str, bodies: list[bytes]) -> dict[str, int]:
    """One sender: its batches one after the other on one keep-alive connection, as a sender's queue drains."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    counts: dict[str, int] = {}
    try:
        for body in bodies:
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
            conn.request("POST", "/api/feed/v1/batches", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            assert response.status == 200, payload[:300]
            for r in json.loads(payload)["results"]:
                counts[r["status"]] = counts.get(r["status"], 0) + 1
    finally:
        conn.close()
    return counts


@pytest.mark.bench
def test_a_40000_record_backlog_from_4_senders_is_stored_once_at_40_percent_of_copy(gunicorn):  # noqa: F811
    for ori, _prefix, _officers, _courts in SENDERS:
        AgencyFactory(ori=ori, name=f"Agency {ori}")
    for code in ("D34", "M34OLY", "M34TUM", "M32SPO", "D32"):
        CourtFactory(code=code, name=f"Court {code}")
    now = timezone.now() - timedelta(minutes=5)
    per_sender = TOTAL // len(SENDERS)
    senders = []
    for n, sender in enumerate(SENDERS):
        ori = sender[0]
        _credential, token = credential_create(
            system=f"BACKLOG-{n}", record_types=["ticket"], agencies=[Agency.objects.get(ori=ori)]
        )
        rng = random.Random(100 + n)
        records = [
            r for r, _ in generate(rng, count=per_sender, start=5_000_000, now=now, spread_days=2, senders=[sender])
        ]
        bodies = [
            json.dumps(
                {
                    "batch_id": f"OUTAGE-{n}-{i // BATCH:04d}",
                    "sent_at": now.isoformat(),
                    "records": records[i : i + BATCH],
                }
            ).encode()
            for i in range(0, per_sender, BATCH)
        ]
        senders.append((token, bodies))
    total = per_sender * len(SENDERS)

    start = time.perf_counter()
    with ThreadPoolExecutor(len(senders)) as pool:
        parts = list(pool.map(lambda s: _send(gunicorn, *s), senders))
    cleared_s = time.perf_counter() - start
    statuses: dict[str, int] = {}
    for counts in parts:
        for k, v in counts.items():
            statuses[k] = statuses.get(k, 0) + v

    stored = Ticket.objects.count()
    versions = TicketVersion.objects.count()
    doubled = (
        TicketVersion.objects.values("ticket__agency_id", "ticket__ticket_number", "version")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    copy_s = _copy_seconds(total)
    rate, copy_rate = total / cleared_s, total / copy_s
    print(
        f"\n[bench backlog feed] {total:,} records, batches of {BATCH}, {len(senders)} senders at once, gunicorn 2 "
        f"workers: cleared in {cleared_s:.2f} s; COPY of the same rows {copy_s:.2f} s; "
        f"stored {stored:,} tickets, {versions:,} versions, {Violation.objects.count():,} violations\n"
        + table([("40,000-record backlog, 4 senders at once", rate, copy_rate, rate / copy_rate, ">= 0.40 of COPY")])
        + f"\n  lost {total - stored:,}, duplicates {doubled:,}; load average now: {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    assert statuses == {"created": total}, statuses
    assert stored == versions == total, "a record was lost or stored twice"
    assert doubled == 0, "a (ticket, version) was stored twice"
    assert rate >= 0.40 * copy_rate, f"backlog cleared at {rate / copy_rate:.2f} of COPY (target 0.40)"
