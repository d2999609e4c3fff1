"""The daily reminder of reports past their 10-day review target (state business days, collisions.deadlines)."""

from __future__ import annotations

from django.utils import timezone

from sector.orgs.models import Agency

from .choices import AWAITING
from .deadlines import overdue_before
from .models import CollisionReport
from .notify import notify_overdue


def overdue_reports(*, now=None):
    now = now or timezone.now()
    return CollisionReport.objects.filter(status__in=AWAITING, queued_at__lt=overdue_before(now))


def send_overdue_reminders(*, now=None) -> int:
    """One email per agency with overdue reports, to its reviewers. Returns the number of agencies told."""
    by_agency: dict[int, list] = {}
    for r in (
        overdue_reports(now=now)
        .order_by("agency_id", "queued_at", "id")
        .only("id", "agency_id", "report_number", "queued_at", "severity")
    ):
        by_agency.setdefault(r.agency_id, []).append(r)
    told = 0
    for agency in Agency.objects.filter(pk__in=by_agency).order_by("id"):
        if notify_overdue(agency=agency, reports=by_agency[agency.pk][:200]):
            told += 1
    return told
