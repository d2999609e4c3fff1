"""The clerk's pages at scale (issue 15), over HTTP against gunicorn with 2 workers, each beside Yardstick P
measured in the same seconds (tests/bench/harness.py):

- the ticket detail page at 1,000,000 tickets: <= 2x P, with a fixed query count;
- the intake queue (default, filtered, search by name and by license, all statuses), page of 25 <= 2x P and
  page of 100 <= 4x P each, and the next page by keyset;
- with BENCH_QUEUE_BIG=5000000 (make bench sets it), the same variants again after filling to 5,000,000
  tickets: each <= 1.2x its 1,000,000 figure (compared as multiples of P, so a machine that slows down in
  between does not count against the pages).

BENCH_PROFILE=1 prints a pyinstrument profile of the detail page and each queue variant (in-process, the test
client); BENCH_EXPLAIN=1 prints EXPLAIN ANALYZE of every page's slowest query.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from citations.models import Ticket
from tests.bench.fills import fill_tickets
from tests.bench.harness import Table, bench_server  # noqa: F401 - the fixture
from tests.factories import AgencyFactory, CourtFactory, make_user
from tests.feed.factories import make_ticket, store_tickets, ticket

TOTAL = int(os.environ.get("BENCH_QUEUE_TICKETS", "1000000"))
BIG = int(os.environ.get("BENCH_QUEUE_BIG", "0"))
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def _queries(client: Client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()  # the dashboard's figures uncached: the count a page has at worst
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def _profile(client: Client, url: str) -> None:
    from pyinstrument import Profiler

    client.get(url)
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(5):
            client.get(url)
    print(f"\n  --- profile of {url} (5 requests, in-process) ---")
    print(profiler.output_text(unicode=False, color=False, show_all=False, short_mode=False)[:6000])


def _explain(client: Client, name: str, url: str) -> None:
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    slowest = sorted(ctx.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:2]
    for q in slowest:
        print(f"  [{name}] {float(q['time']) * 1000:6.1f} ms  ...{q['sql'][-300:]}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            print("\n".join("      " + r[0] for r in cursor.fetchall()[:14]))


def _detail_ticket():
    """A ticket as the feed sends them, at the clerk's court, with a common name (the fill has thousands of
    SMITHs: the possible-match warning has to look), amended once (two versions), three violations."""
    rec = ticket()
    rec["defendant"]["last_name"] = "SMITH"
    rec["defendant"]["first_name"] = "PAT"
    rec["violations"] = [
        {**rec["violations"][0], "description": f"Speeding, count {i}", "penalty": "145.00"} for i in (1, 2, 3)
    ]
    store_tickets([rec])
    amended = {**rec, "version": 2, "agency_case_number": "OPD-26-002"}
    store_tickets([amended])
    return Ticket.objects.get(ticket_number=rec["ticket_number"])


def _measure(server, http, urls, table, *, suffix="", at=None):
    figures = {}
    for name, pattern in urls.items():
        for size in (25, 100):
            figure, p = server.compare(http, pattern.format(size=size), n=RUNS)
            figures[(name, size)] = (figure, p)
            if at is None:
                table.row(f"queue {name}, page of {size}{suffix}", figure, p, target=2.0 if size == 25 else 4.0)
    return figures


@pytest.mark.bench
def test_clerk_pages_at_scale(bench_server):  # noqa: F811 - the fixture
    from sector.accounts.roles import sync_roles

    sync_roles()
    agencies = [AgencyFactory(ori=f"WA01{i:05d}") for i in range(9)]
    agencies.append(AgencyFactory(ori="WA0340100", name="Olympia Police Department"))
    courts = [CourtFactory(code=f"B{i:02d}") for i in range(9)]
    clerk_court = CourtFactory(code="D34", name="Thurston County District Court")
    start = time.perf_counter()
    fill_tickets([a.pk for a in agencies], [c.pk for c in courts], clerk_court.pk, 1, TOTAL)
    load_s = time.perf_counter() - start
    clerk = make_user("bench-clerk", "court_clerk", court=clerk_court)
    detail = _detail_ticket()
    filed = make_ticket()  # a second one, for the deep checks of a page with fewer actions
    client = Client()
    client.force_login(clerk)
    urls = {
        "default": "/courts/intake/?size={size}",
        "filtered": f"/courts/intake/?size={{size}}&kind=criminal&late=yes&agency={agencies[3].pk}",
        "search name": "/courts/intake/?size={size}&q=SMITH",
        "search license": "/courts/intake/?size={size}&q=WDL500000",
        "all statuses": "/courts/intake/?size={size}&status=all",
    }
    detail_url = f"/courts/intake/tickets/{detail.pk}/"
    if os.environ.get("BENCH_EXPLAIN"):
        for name, pattern in {**urls, "detail": detail_url}.items():
            _explain(client, name, pattern.format(size=25))
    if os.environ.get("BENCH_PROFILE"):
        for pattern in [detail_url, *urls.values()]:
            _profile(client, pattern.format(size=25))

    table = Table(f"clerk pages at {TOTAL:,} tickets")
    with bench_server.client(clerk) as http:
        figure, p = bench_server.compare(http, detail_url, n=RUNS)
        table.row("ticket detail page", figure, p, target=2.0)
        figures = _measure(bench_server, http, urls, table)
        first = http.get("/courts/intake/?size=100")
        cursor = first.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
        figure, p = bench_server.compare(http, "/courts/intake/" + cursor, n=RUNS)
        table.row("queue next page (keyset), page of 100", figure, p, target=4.0)

    counts = {name: {_queries(client, u.format(size=s)) for s in (25, 100)} for name, u in urls.items()}
    detail_queries = _queries(client, detail_url)
    other_queries = _queries(client, f"/courts/intake/tickets/{filed.pk}/")
    at_court = Ticket.objects.filter(court=clerk_court).count()
    table.note(f"{TOTAL:,} tickets ({at_court:,} at the clerk's court) loaded by INSERT ... SELECT in {load_s:.1f} s")
    table.note(
        f"queries: detail {detail_queries} (another ticket: {other_queries}); queue "
        + ", ".join(f"{name} {'/'.join(str(n) for n in sorted(c))}" for name, c in counts.items())
    )

    table.print()  # the 1,000,000 rows now: the fill to BIG takes minutes
    if BIG > TOTAL:
        big_table = Table(f"intake queue at {BIG:,} tickets")
        start = time.perf_counter()
        fill_tickets([a.pk for a in agencies], [c.pk for c in courts], clerk_court.pk, TOTAL + 1, BIG)
        big_s = time.perf_counter() - start
        with bench_server.client(clerk) as http:
            figure, p = bench_server.compare(http, detail_url, n=RUNS)
            big_detail = figure.median / p.median
            big = _measure(bench_server, http, urls, big_table, at=BIG)
        for (name, size), (fig, p) in big.items():
            base_fig, base_p = figures[(name, size)]
            big_table.row(
                f"queue {name}, page of {size}, at {BIG:,} vs {TOTAL:,}",
                fig.median / p.median,
                base_fig.median / base_p.median,
                target=1.2,
                yardstick_name="1M",
                unit="xP",
                note=f"({fig.median:.1f} ms vs {base_fig.median:.1f} ms)",
            )
        big_table.note(f"filled to {BIG:,} tickets in {big_s:.1f} s more; detail page there {big_detail:.2f}x P")
        big_table.print()
    assert len(counts["default"]) == 1 and all(len(c) == 1 for c in counts.values()), counts
    table.assert_all()
    if BIG > TOTAL:
        big_table.assert_all()
