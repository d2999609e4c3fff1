"""CSV and XLSX of the support queue, through the portal's escaping formats (sector.core.exports): a subject
like `=HYPERLINK(...)` stays text. Only request fields are written: the
conversation, and with it every internal note, never leaves the portal this way."""

from __future__ import annotations

import tablib
from django.http import HttpResponse
from django.utils import timezone

from sector.core.calendar import PACIFIC
from sector.core.exports import export_response

from .business_hours import load_calendar
from .selectors import measure

FORMATS = ("csv", "xlsx")
HEADERS = [
    "Reference", "Raised (Pacific)", "Organization", "ORI / court code", "Category", "Priority", "Status",
    "Subject", "Description", "Requester", "Assigned to", "First response (Pacific)", "First response due",
    "First response business hours", "First response breached", "Resolved (Pacific)", "Resolution due",
    "Resolution business hours", "Resolution breached",
]  # fmt: skip


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


def response(queryset, *, fmt: str) -> tuple[HttpResponse, int]:
    """The download and its row count (for the export's audit entry)."""
    dataset = tablib.Dataset(headers=HEADERS, title="Support requests")
    for row in rows(queryset):
        dataset.append(row)
    stamp = timezone.now().astimezone(PACIFIC).strftime("%Y%m%d-%H%M")
    return export_response(dataset, fmt, f"support-requests-{stamp}"), len(dataset)  # escapes every cell
