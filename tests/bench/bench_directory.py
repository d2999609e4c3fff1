"""The agency directory at scale: keyset pages stay flat with depth, unlike OFFSET (PERFORMANCE.md)."""

import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sector.orgs.models import Agency

N = 100_000


def _median_ms(fn, repeat=7):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


@pytest.mark.django_db
def test_directory_pages_at_100k_agencies(world):
    Agency.objects.bulk_create(
        [Agency(ori=f"WB{i:07d}", name=f"Agency {i:06d}", county="King", kind="police") for i in range(N)],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE orgs_agency")
    client = world.client_for("waspc")
    client.get("/orgs/agencies/")

    first_ms = _median_ms(lambda: client.get("/orgs/agencies/"))
    deep_url = "/orgs/agencies/"
    deep = Agency.objects.order_by("name", "id")[90_000]
    from sector.core.pagination import _encode

    deep_cursor = _encode([deep.name, deep.id])
    deep_ms = _median_ms(lambda: client.get(deep_url, {"cursor": deep_cursor}))
    offset_ms = _median_ms(lambda: list(Agency.objects.order_by("name", "id")[90_000:90_050]))
    keyset_sql_ms = _median_ms(lambda: list(Agency.objects.filter(name__gt=deep.name).order_by("name", "id")[:50]))
    with CaptureQueriesContext(connection) as first_q:
        client.get("/orgs/agencies/")
    with CaptureQueriesContext(connection) as deep_q:
        client.get(deep_url, {"cursor": deep_cursor})
    with CaptureQueriesContext(connection) as sql:
        client.get(deep_url, {"cursor": deep_cursor})
    sql_ms = sum(float(q["time"]) for q in sql.captured_queries) * 1000
    print(
        f"\nagency directory, {N:,} agencies ({connection.vendor}):"
        f"\n  first page (whole request)     {first_ms:7.1f} ms  {len(first_q)} queries"
        f"\n  page at row 90,000 (keyset)    {deep_ms:7.1f} ms  {len(deep_q)} queries"
        f"\n  of which SQL                   {sql_ms:7.1f} ms"
        f"\n  SQL only: OFFSET 90,000        {offset_ms:7.1f} ms"
        f"\n  SQL only: keyset at 90,000     {keyset_sql_ms:7.1f} ms"
    )
    assert len(first_q) == len(deep_q)
    assert sql_ms < 50
