"""Feed exceptions as a record class of the retention schedule (sector/core/retention.py, issue 16 item 5).

A rejected record the Back Office sent is kept raw (it may hold a defendant's details) until WSP support
reprocesses or dismisses it; once that is older than the cutoff the exception is removed."""

from __future__ import annotations

from sector.core.retention import DueItem, RecordClass

from .choices import ExceptionStatus
from .models import FeedException

CLOSED = (ExceptionStatus.RESOLVED, ExceptionStatus.DISMISSED)


def _due(cutoff, limit):
    rows = (
        FeedException.objects.filter(status__in=CLOSED, resolved_at__lt=cutoff)
        .only("id", "record_type", "number", "agency_ori", "resolved_at")
        .order_by("resolved_at", "id")[:limit]
    )
    return [
        DueItem(
            str(e.pk), f"Exception {e.pk}: {e.record_type or 'record'} {e.agency_ori} {e.number}".strip(), e.resolved_at
        )
        for e in rows
    ]


def _dispose(pks):
    deleted, _ = FeedException.objects.filter(pk__in=[int(pk) for pk in pks], status__in=CLOSED).delete()
    return deleted


exception_class = RecordClass(
    key="feed.feedexception",
    label="Feed exceptions reprocessed or dismissed",
    closing="the day WSP support reprocessed or dismissed it",
    method="removed",
    due=_due,
    dispose=_dispose,
)
