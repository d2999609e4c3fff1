"""Issue 16 items 4 and 5: a year's purge of the audit log (one partition of N entries dropped) against what the
guard would otherwise demand; the burn-down on a court queue of M tickets. Prints the figures."""

import os
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from sector.core import partitions
from sector.core.models import RetentionPeriod
from sector.core.retention import disposition_preview, disposition_run

pytestmark = pytest.mark.django_db
N = int(os.environ.get("PURGE_N", "200000"))
M = int(os.environ.get("BURNDOWN_TICKETS", "20000"))


def test_a_years_purge_drops_one_partition(world):
    wsp = world.users["wsp"]
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO core_auditentry (at, actor_name, action, object_id, object_repr, changes, data, request_id) "
            "SELECT timestamptz '2021-01-02 00:00-08' + (g || ' seconds')::interval, 'system', 'bench.entry.made', "
            "'', '', '{}', '{}', '' FROM generate_series(1, %s) g",
            [N],
        )
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    RetentionPeriod.objects.create(
        record_class="core.auditentry", years=3, authority="bench", demo=True, set_at=timezone.now()
    )
    t0 = time.perf_counter()
    preview = disposition_preview(actor=wsp, record_class_key="core.auditentry")
    t1 = time.perf_counter()
    run = disposition_run(actor=wsp, record_class_key="core.auditentry", expected=["2021"])
    t2 = time.perf_counter()
    assert run.count == N and 2021 not in partitions.year_partitions("core_auditentry")
    print(f"\npurge of {N:,} audit entries (year 2021): preview {1000 * (t1 - t0):.0f} ms, "
          f"run (detach + drop + certificate) {1000 * (t2 - t1):.0f} ms; {len(preview.due)} year(s) due")  # fmt: skip


def test_the_burn_down_page_on_a_large_queue(world):
    from citations.models import Ticket
    from tests.feed.factories import make_ticket

    first = make_ticket(world)
    fields = {f.attname: getattr(first, f.attname) for f in Ticket._meta.concrete_fields if f.attname != "id"}
    Ticket.objects.bulk_create([Ticket(**{**fields, "ticket_number": f"9B{i:07d}"}) for i in range(M)], batch_size=2000)
    client = world.client_for("wsp")
    url = reverse("feed:burndown_live")
    client.get(url)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append(time.perf_counter() - t0)
    times.sort()
    print(f"\nburn-down fragment with {M + 1:,} tickets waiting at one court: median {1000 * times[2]:.0f} ms")
