"""CSV and XLSX exports of the clerk's filtered list. Every cell is formula-escaped; juveniles are left out."""

from __future__ import annotations

import csv
import io

from django.utils import timezone

from sector.core.exports import escape_cell

HEADERS = [
    "Ticket number",
    "Defendant",
    "Agency",
    "Kind",
    "Issued",
    "Received",
    "Filed",
    "Filing",
    "Status",
    "Case number",
]
MAX_ROWS = 50_000


def _row(t) -> list[str]:
    return [
        escape_cell("" if v is None else v)
        for v in (
            t.ticket_number,
            t.defendant_name,
            t.agency.name,
            t.get_kind_display(),
            timezone.localtime(t.issued_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(t.received_at).strftime("%Y-%m-%d %H:%M"),
            t.filing_date.isoformat() if t.filing_date else "",
            "Late" if t.late else "On time",
            t.get_status_display(),
            t.case_number,
        )
    ]


def rows(queryset):
    for t in (
        queryset.filter(juvenile=False).order_by("queue_rank", "queue_at", "id")[:MAX_ROWS].iterator(chunk_size=2000)
    ):
        yield _row(t)


def row_count(queryset) -> int:
    """How many rows `rows` writes (for the export's audit entry)."""
    return min(queryset.filter(juvenile=False).count(), MAX_ROWS)


def to_csv(queryset) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    writer.writerows(rows(queryset))
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(queryset) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Tickets")
    ws.append(HEADERS)
    for r in rows(queryset):
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
