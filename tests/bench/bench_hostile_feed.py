"""Hostile feed at volume (issue 13): 100,000 records (BENCH_HOSTILE_RECORDS), about half broken at a random
path with an edge value, posted to gunicorn in batches of 1,000. Asserts no 5xx answer, and that every record
answered "created" is stored (checked in bulk against the database afterwards)."""

import copy
import http.client
import json
import os
import random
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from citations.models import TicketVersion
from collisions.models import CollisionVersion
from sector.feed.choices import ErrorCode
from sector.feed.services import credential_create
from tests.bench.bench_ingest import gunicorn  # noqa: F401 - the fixture
from tests.feed.test_hostile_records import SWEEP_VALUES, base_record, mutate, paths

TOTAL = int(os.environ.get("BENCH_HOSTILE_RECORDS", "100000"))
BATCH = 1000
SENDERS = int(os.environ.get("BENCH_SENDERS", "2"))


def _records(rng: random.Random) -> list[dict]:
    templates = {kind: base_record(kind) for kind in ("ticket", "collision")}
    templates["collision"]["diagram"] = None  # the diagram's PNG decode would dominate; the unit tests cover it
    out = []
    for i in range(TOTAL):
        kind = "ticket" if rng.random() < 0.7 else "collision"
        rec = copy.deepcopy(templates[kind])
        number = f"B{i:09d}"[-10:]
        rec["ticket_number" if kind == "ticket" else "report_number"] = number
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 3)):
                found = paths(rec)
                if not found:
                    break
                path = rng.choice(found)
                value = copy.deepcopy(rng.choice(SWEEP_VALUES))
                rec = mutate(rec, path, value, delete=rng.random() < 0.2)
        out.append(rec)
    return out


def _send(port: int, token: str, bodies: list[tuple[bytes, list[dict]]]) -> tuple[dict, list[tuple[dict, dict]], int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    counts: dict = {}
    pairs = []
    worst = 0
    for body, sent in bodies:
        conn.request("POST", "/api/feed/v1/batches", body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})  # fmt: skip
        response = conn.getresponse()
        payload = response.read()
        worst = max(worst, response.status)
        assert response.status < 500, (response.status, payload[:300])
        assert response.status == 200, (response.status, payload[:300])
        for rec, result in zip(sent, json.loads(payload)["results"], strict=True):
            counts[result["status"]] = counts.get(result["status"], 0) + 1
            pairs.append((rec, result))
    conn.close()
    return counts, pairs, worst


@pytest.mark.bench
def test_100000_hostile_records_never_a_5xx_and_every_created_record_is_stored(gunicorn):  # noqa: F811
    from tests.factories import AgencyFactory, CourtFactory

    AgencyFactory(ori="WA0340100", name="Olympia Police Department")
    CourtFactory(code="D34", name="Thurston County District Court")
    _credential, token = credential_create(system="BENCH-HOSTILE")
    records = _records(random.Random(13))
    bodies = []
    for i in range(0, TOTAL, BATCH):
        chunk = records[i : i + BATCH]
        sent = copy.deepcopy(chunk)
        bodies.append((json.dumps({"batch_id": f"HOSTILE-{i // BATCH:05d}", "records": chunk}).encode(), sent))
    start = time.perf_counter()
    with ThreadPoolExecutor(SENDERS) as pool:
        parts = list(
            pool.map(lambda share: _send(gunicorn, token, share), [bodies[i::SENDERS] for i in range(SENDERS)])
        )
    elapsed = time.perf_counter() - start
    counts: dict = {}
    pairs = []
    for c, p, _worst in parts:
        pairs.extend(p)
        for k, v in c.items():
            counts[k] = counts.get(k, 0) + v
    assert len(pairs) == TOTAL
    codes = {e["code"] for _, r in pairs if r["status"] == "rejected" for e in r["errors"]}
    assert codes <= set(ErrorCode.values), codes
    created = [rec for rec, r in pairs if r["status"] == "created"]
    tickets = set(
        TicketVersion.objects.filter(ticket__agency__ori="WA0340100").values_list("ticket__ticket_number", "version")
    )
    reports = set(
        CollisionVersion.objects.filter(report__agency__ori="WA0340100").values_list("report__report_number", "version")
    )

    def is_stored(rec: dict) -> bool:
        if rec["type"] == "ticket":
            return (rec["ticket_number"], rec["version"]) in tickets
        return (rec["report_number"], rec["version"]) in reports

    missing = [rec for rec in created if not is_stored(rec)]
    print(
        f"\n[bench hostile feed] {TOTAL:,} records in batches of {BATCH}, {SENDERS} senders, gunicorn 2 workers: "
        f"{elapsed:.1f} s ({TOTAL / elapsed:,.0f} records/s); statuses {counts}; no 5xx; "
        f"{len(created):,} created, all stored; rejection codes {sorted(codes)}"
    )
    assert not missing, missing[:3]
    assert counts.get("created", 0) > TOTAL // 3
