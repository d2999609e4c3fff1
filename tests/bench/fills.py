"""Fast fills for the benchmarks: tickets by one INSERT ... SELECT over generate_series (no Python per row)."""

from __future__ import annotations

from django.db import connection

from citations.models import Ticket

NAMES = ["JOHNSON", "NGUYEN", "GARCIA", "SMITH", "MARTINEZ", "LEE", "PATEL", "ANDERSON", "KIM", "WILSON", "TRAN"]


def fill_tickets(agency_ids, court_ids, clerk_court_id, first: int, last: int, *, every: int = 10) -> None:
    """Tickets numbered `first`..`last` (inclusive): every `every`-th at the clerk's court (g % every = 1), the
    rest spread over `court_ids`; four in five wait for a clerk, one in thirteen late, a few in custody or with
    an appearance."""
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
    names = "ARRAY[" + ",".join(f"'{n}'" for n in NAMES) + "]"
    agencies = "ARRAY[" + ",".join(str(i) for i in agency_ids) + "]"
    courts = "ARRAY[" + ",".join(str(i) for i in court_ids) + "]"
    received = "(now() - (g % 200000) * interval '3 minutes')"
    clerk_court = str(clerk_court_id) if isinstance(clerk_court_id, int) else clerk_court_id
    exprs = {
        "agency_id": f"({agencies})[1 + (g / {every}) % {len(agency_ids)}]",
        "ticket_number": "'B' || lpad(g::text, 9, '0')",
        "court_id": f"CASE WHEN g % {every} = 1 THEN {clerk_court} ELSE ({courts})[1 + g % {len(court_ids)}] END",
        "kind": "(ARRAY['infraction','infraction','civil_infraction','criminal'])[1 + (g / 3) % 4]",
        "status": "CASE WHEN (g / 7) % 5 = 0 THEN 'accepted' ELSE 'received' END",
        "needs_clerk": "(g / 7) % 5 <> 0",
        "case_number": "CASE WHEN (g / 7) % 5 = 0 THEN 'BC' || g::text ELSE '' END",
        "latest_hash": "md5(g::text) || md5(g::text)",
        "issued_at": f"{received} - interval '5 hours'",
        "received_at": received,
        "in_custody": "g % 997 = 3",
        "appearance_at": "CASE WHEN g % 53 = 7 THEN now() + (g % 30) * interval '1 day' END",
        "defendant_last_name": (
            f"({names})[1 + g % {len(NAMES)}] || CASE WHEN g % 3 = 0 THEN '' ELSE chr(65 + g % 26) END"
        ),
        "defendant_first_name": "'PAT'",
        "licence_number": "'WDL' || g::text",
        "licence_state": "'WA'",
        "officer_name": "'Ofc. Bench'",
        "late": "g % 13 = 0",
        "queue_rank": "CASE WHEN g % 997 = 3 AND g % 4 = 3 THEN 0 WHEN g % 53 = 7 THEN 1 ELSE 2 END",
        "queue_at": f"CASE WHEN g % 53 = 7 THEN now() + (g % 30) * interval '1 day' ELSE {received} END",
        "filing_date": f"({received})::date",
        "deadline_at": f"{received} + interval '3 days'",
        "updated_at": "now()",
    }
    columns, values, params = [], [], []
    for f in fields:
        columns.append(connection.ops.quote_name(f.column))
        if f.attname in exprs:
            values.append(exprs[f.attname].replace("%", "%%"))
        else:
            values.append("%s")
            params.append(f.get_default() if f.has_default() else ("" if not f.null else None))
    sql = (
        f"INSERT INTO {Ticket._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 - built from model meta
        f"SELECT {', '.join(values)} FROM generate_series({int(first)}, {int(last)}) AS g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    with connection.cursor() as cursor:  # autovacuum's work, done now: statistics and the visibility map
        cursor.execute(("ANALYZE " if connection.in_atomic_block else "VACUUM ANALYZE ") + Ticket._meta.db_table)
