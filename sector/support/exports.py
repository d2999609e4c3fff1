"""CSV and XLSX of the support queue. Cells a spreadsheet would run as a formula are escaped (a leading
apostrophe), so a subject like `=HYPERLINK(...)` stays text. Only request fields are written: the
conversation, and with it every internal note, never leaves the portal this way."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone

from .business_hours import PACIFIC, load_calendar
from .selectors import measure

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
HEADERS = [
    "Reference", "Raised (Pacific)", "Organisation", "ORI / court code", "Category", "Priority", "Status",
    "Subject", "Description", "Requester", "Assigned to", "First response (Pacific)", "First response due",
    "First response business hours", "First response breached", "Resolved (Pacific)", "Resolution due",
    "Resolution business hours", "Resolution breached",
]  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _when(value) -> str:
    return value.astimezone(PACIFIC).strftime("%Y-%m-%d %H:%M") if value else ""


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def rows(queryset):
    calendar, now = load_calendar(), timezone.now()
    for sr in queryset.iterator(chunk_size=2000):
        m = measure(sr, calendar=calendar, now=now)
        org = sr.organisation
        yield [
            sr.reference,
            _when(sr.created_at),
            org.name,
            getattr(org, "ori", None) or getattr(org, "code", ""),
            sr.category.name,
            sr.priority.name,
            sr.get_status_display(),
            sr.subject,
            sr.description,
            _person(sr.requester),
            _person(sr.assignee),
            _when(sr.first_response_at),
            _when(sr.first_response_due),
            round(m.first_response_elapsed.total_seconds() / 3600, 2),
            "yes" if m.first_response_breached else "no",
            _when(sr.resolved_at),
            _when(sr.resolution_due),
            round(m.resolution_elapsed.total_seconds() / 3600, 2),
            "yes" if m.resolution_breached else "no",
        ]


def response(queryset, *, fmt: str) -> HttpResponse:
    content_type, extension = FORMATS[fmt]
    stamp = timezone.now().astimezone(PACIFIC).strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        for row in rows(queryset):
            writer.writerow([escape_cell(v) for v in row])
        body = ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Support requests")
        sheet.append(HEADERS)
        for row in rows(queryset):
            sheet.append([escape_cell(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        body = out.getvalue()
    resp = HttpResponse(body, content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="support-requests-{stamp}.{extension}"'
    return resp
