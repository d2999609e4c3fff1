"""50 concurrent signed-in clerks (issue 15) against gunicorn with 2 workers, over real HTTP: each opens the
intake queue, opens a ticket from it, accepts it (the form as the browser posts it: CSRF token, revision, the
case number left empty for the court's next one) and goes on to the next ticket the portal sends them to.
Each clerk pauses to read every page (BENCH_LOAD_THINK_MS, 2-5 s). Bounded in time (BENCH_LOAD_SECONDS, 45 s)
and count (BENCH_LOAD_CYCLES per clerk, 20). Target: p95 of every
request <= 10x Yardstick P (measured alone in the same run), no error (a transport error, a 5xx or any answer
a browser would not expect); throughput printed. Two clerks of one court reaching for the same ticket is the
day's ordinary conflict: the second is told so (a redirect back to the ticket), counted, not an error."""

from __future__ import annotations

import asyncio
import os
import random
import re
import time

import pytest

from citations.models import Ticket
from tests.bench.fills import fill_tickets
from tests.bench.harness import Table, Timing, bench_server  # noqa: F401 - the fixture
from tests.factories import AgencyFactory, CourtFactory, make_user

CLERKS = int(os.environ.get("BENCH_LOAD_CLERKS", "50"))
COURTS = 5
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "45"))
# A clerk reads each page before the next click: a pause drawn from this range (ms) after every response. Without
# one, 50 clients in a closed loop against 2 workers measure only the queue in front of the workers.
THINK = tuple(int(x) for x in os.environ.get("BENCH_LOAD_THINK_MS", "2000-5000").split("-"))
CYCLES = int(os.environ.get("BENCH_LOAD_CYCLES", "20"))
TICKETS = int(os.environ.get("BENCH_LOAD_TICKETS", "100000"))

ROW = re.compile(r'href="(/courts/intake/tickets/\d+/)" data-row-link')
ACCEPT = re.compile(r'action="(/courts/intake/tickets/\d+/accept/)">\s*<input type="hidden" name="csrfmiddlewaretoken" '
                    r'value="([^"]+)"><input type="hidden" name="revision" value="(\d+)">')  # fmt: skip


class Errors(Exception):
    pass


async def _clerk(index: int, http, deadline: float, samples: list, stats: dict) -> None:
    rng = random.Random(index)

    async def think():
        await asyncio.sleep(rng.uniform(*THINK) / 1000)

    async def get(url):
        start = time.perf_counter()
        response = await http.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise Errors(f"GET {url}: {response.status_code}")
        await think()
        return response

    await asyncio.sleep(rng.uniform(0, THINK[1]) / 1000)  # clerks do not all start in the same millisecond
    for _ in range(CYCLES):
        if time.monotonic() > deadline:
            return
        queue = await get("/courts/intake/?size=25")
        rows = ROW.findall(queue.text)
        if not rows:
            return
        page = await get(rows[(index // COURTS) % len(rows)])  # clerks of one court spread over the page
        form = ACCEPT.search(page.text)
        if form is None:  # accepted by a colleague between the queue and the page
            stats["conflicts"] += 1
            continue
        action, token, revision = form.groups()
        start = time.perf_counter()
        posted = await http.post(action, data={"csrfmiddlewaretoken": token, "revision": revision, "case_number": ""})
        samples.append((time.perf_counter() - start) * 1000)
        await think()
        if posted.status_code != 302:
            raise Errors(f"POST {action}: {posted.status_code} {posted.text[:200]}")
        target = posted.headers["location"]
        if target.rstrip("/").endswith(action.rsplit("/", 2)[0].rstrip("/")):
            stats["conflicts"] += 1  # back to the same ticket: someone filed it first
        else:
            stats["accepted"] += 1
        await get(target)  # the next ticket (or the queue when none waits)


async def _run(server, clerks) -> tuple[list[float], dict, list[str], float]:
    samples: list[float] = []
    stats = {"accepted": 0, "conflicts": 0}
    errors: list[str] = []
    clients = [server.async_client(user) for user in clerks]
    deadline = time.monotonic() + SECONDS

    async def one(i, http):
        try:
            await _clerk(i, http, deadline, samples, stats)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
            errors.append(f"clerk {i}: {type(exc).__name__}: {exc}")

    start = time.perf_counter()
    try:
        await asyncio.gather(*(one(i, http) for i, http in enumerate(clients)))
    finally:
        for http in clients:
            await http.aclose()
    return samples, stats, errors, time.perf_counter() - start


@pytest.mark.bench
def test_fifty_concurrent_clerks(bench_server):  # noqa: F811 - the fixture
    from sector.accounts.roles import sync_roles

    sync_roles()
    agencies = [AgencyFactory(ori=f"WA02{i:05d}") for i in range(5)]
    courts = [CourtFactory(code=f"L{i:02d}", name=f"Load Court {i}") for i in range(COURTS)]
    # Every ticket at one of the clerks' courts (the first court also gets every tenth).
    fill_tickets([a.pk for a in agencies], [c.pk for c in courts], courts[0].pk, 1, TICKETS)
    clerks = [make_user(f"load-clerk{i}", "court_clerk", court=courts[i % COURTS]) for i in range(CLERKS)]
    with bench_server.client(clerks[0]) as http:
        p = bench_server.yardstick(http, n=30)
    samples, stats, errors, elapsed = asyncio.run(_run(bench_server, clerks))
    timing = Timing(samples)
    filed = Ticket.objects.filter(court__in=courts, status="accepted", accepted_at__isnull=False).count()
    table = Table(f"{CLERKS} concurrent clerks")
    table.row(f"p95 of {len(samples):,} requests under load", timing.p95, p, target=10.0)
    table.note(
        f"{elapsed:.1f} s: {len(samples) / elapsed:.1f} requests/s, {stats['accepted'] / elapsed:.1f} accepts/s "
        f"({stats['accepted']} accepted, {stats['conflicts']} conflicts between colleagues, {len(errors)} errors); "
        f"median {timing.median:.1f} ms; think time {THINK[0]}-{THINK[1]} ms; Yardstick P alone {p}"
    )
    table.note(f"tickets filed by the portal during the run: {filed}")
    for error in errors[:5]:
        table.note(f"error: {error}")
    table.print()
    assert not errors
    assert stats["accepted"] > 0 and filed == stats["accepted"]
    table.assert_all()
