"""Ingest over HTTP (issue 15): 20,000 new tickets posted to gunicorn (2 workers) on loopback in batches of 1,000,
then re-sent (all `unchanged`); the yardstick is COPY of the same rows (tickets, versions, violations) into empty
copies of the tables with the same indexes, in the same run. Targets are ratios: new tickets >= 50% of COPY's
rate; a re-send at least as fast as the first send. Absolute figures are printed beside them, never asserted."""

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from citations.demo import generate
from citations.models import Ticket, TicketVersion, Violation
from sector.feed.services import credential_create
from tests.factories import AgencyFactory, CourtFactory

ROOT = Path(__file__).resolve().parents[2]
TOTAL = int(os.environ.get("BENCH_TICKETS", "20000"))
BATCH = 1000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def gunicorn(transactional_db):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "sector.settings.test"}
    proc = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sector.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    proc.terminate()
    proc.wait(timeout=20)


# Two connections per gunicorn worker, so a worker always has the next batch waiting while its sender reads an
# answer (with one each, a worker idles between batches: 0.22 of COPY instead of 0.35 in the same conditions).
SENDERS = int(os.environ.get("BENCH_SENDERS", "4"))


def _post_all(port, token, bodies):
    """Post every body over keep-alive connections, SENDERS at a time (two per gunicorn worker)."""
    from concurrent.futures import ThreadPoolExecutor

    def send(share):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        counts = {}
        for body in share:
            headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
            conn.request("POST", "/api/feed/v1/batches", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            assert response.status == 200, payload[:300]
            for r in json.loads(payload)["results"]:
                counts[r["status"]] = counts.get(r["status"], 0) + 1
        conn.close()
        return counts

    start = time.perf_counter()
    with ThreadPoolExecutor(SENDERS) as pool:
        parts = list(pool.map(send, [bodies[i::SENDERS] for i in range(SENDERS)]))
    elapsed = time.perf_counter() - start
    statuses = {}
    for counts in parts:
        for k, v in counts.items():
            statuses[k] = statuses.get(k, 0) + v
    return elapsed, statuses


def _copy_seconds(records_count: int) -> float:
    """COPY the rows ingest wrote (tickets, versions, violations) into empty copies of the tables."""
    tables = [Ticket._meta.db_table, TicketVersion._meta.db_table, Violation._meta.db_table]
    with connection.cursor() as cursor:
        raw = cursor.cursor
        dumps = {}
        for table in tables:
            buf = bytearray()
            with raw.copy(f"COPY {table} TO STDOUT") as copy:  # noqa: S608 - model table names
                for chunk in copy:
                    buf += chunk
            dumps[table] = bytes(buf)
            cursor.execute(f"CREATE TEMP TABLE bench_{table} (LIKE {table} INCLUDING ALL)")  # noqa: S608
        start = time.perf_counter()
        for table in tables:
            with raw.copy(f"COPY bench_{table} FROM STDIN") as copy:  # noqa: S608
                copy.write(dumps[table])
        return time.perf_counter() - start


@pytest.mark.bench
def test_ingest_over_http(gunicorn):
    AgencyFactory(ori="WA0340100", name="Olympia Police Department")
    AgencyFactory(ori="WA0340000", name="Thurston County Sheriff's Office")
    AgencyFactory(ori="WA0340300", name="Tumwater Police Department")
    AgencyFactory(ori="WA0320400", name="Spokane Police Department")
    for code in ("D34", "M34OLY", "M34TUM", "M32SPO", "D32"):
        CourtFactory(code=code, name=f"Court {code}")
    _credential, token = credential_create(system="BENCH")
    rng = random.Random(7)
    now = timezone.now() - timedelta(minutes=5)
    records = [r for r, _ in generate(rng, count=TOTAL, start=3_000_000, now=now, spread_days=1)]

    def bodies(prefix):
        return [
            json.dumps(
                {
                    "batch_id": f"{prefix}-{i // BATCH:04d}",
                    "sent_at": now.isoformat(),
                    "records": records[i : i + BATCH],
                }
            ).encode()
            for i in range(0, TOTAL, BATCH)
        ]

    first = bodies("NEW")
    size = sum(len(b) for b in first) / TOTAL
    new_s, new_statuses = _post_all(gunicorn, token, first)
    assert new_statuses == {"created": TOTAL}, new_statuses
    again_s, again_statuses = _post_all(gunicorn, token, bodies("AGAIN"))
    assert again_statuses == {"unchanged": TOTAL}, again_statuses
    copy_s = _copy_seconds(TOTAL)
    new_rate, again_rate, copy_rate = TOTAL / new_s, TOTAL / again_s, TOTAL / copy_s
    rows = [
        ("feed ingest over HTTP, new tickets", new_rate, copy_rate, new_rate / copy_rate, ">= 0.50 of COPY"),
        ("feed ingest over HTTP, re-sent (unchanged)", again_rate, copy_rate, again_rate / copy_rate, ">= new"),
    ]
    print(
        f"\n[bench ingest] {TOTAL:,} tickets, batches of {BATCH}, ~{size:.0f} bytes each, "
        f"gunicorn 2 workers on loopback, {SENDERS} senders; new {new_s:.2f} s, unchanged {again_s:.2f} s, "
        f"COPY {copy_s:.2f} s\n"
        + table(rows)
        + f"\n  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    assert new_rate >= 0.50 * copy_rate, f"new tickets at {new_rate / copy_rate:.2f} of COPY (target 0.50)"
    assert again_rate >= new_rate, "a re-send is slower than the first send"


def table(rows) -> str:
    """The bench's table: what | figure | yardstick (COPY, same rows, same run) | ratio | target."""
    head = ("what", "figure", "yardstick (COPY same rows same run)", "ratio", "target")
    lines = [f"  {head[0]:<44} | {head[1]:>12} | {head[2]:>36} | {head[3]:>5} | {head[4]}"]
    for what, figure, yardstick, ratio, target in rows:
        lines.append(f"  {what:<44} | {figure:>8,.0f} t/s | {yardstick:>32,.0f} t/s | {ratio:5.2f} | {target}")
    return "\n".join(lines)
