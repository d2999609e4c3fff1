"""The daily reminder of reports past their 10-day review target (state business days, collisions.deadlines)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sector.orgs.models import Agency

from .choices import AWAITING
from .deadlines import overdue_before
from .models import CollisionReport, OverdueReminderSent
from .notify import notify_overdue


def overdue_reports(*, now=None):
    now = now or timezone.now()
    return CollisionReport.objects.filter(status__in=AWAITING, queued_at__lt=overdue_before(now))


def send_overdue_reminders(*, now=None) -> int:
    """One email per agency with overdue reports, to its reviewers, once per Pacific day: an agency already
    told today (OverdueReminderSent) is skipped. Returns the number of agencies told."""
    now = now or timezone.now()
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    by_agency: dict[int, list] = {}
    for r in (
        overdue_reports(now=now)
        .order_by("agency_id", "queued_at", "id")
        .only("id", "agency_id", "report_number", "queued_at", "severity")
    ):
        by_agency.setdefault(r.agency_id, []).append(r)
    told = 0
    already = set(OverdueReminderSent.objects.filter(sent_on=today).values_list("agency_id", flat=True))
    for agency in Agency.objects.filter(pk__in=set(by_agency) - already).order_by("id"):
        reports = by_agency[agency.pk]
        with transaction.atomic():
            _, created = OverdueReminderSent.objects.get_or_create(
                agency=agency, sent_on=today, defaults={"report_count": len(reports), "sent_at": now}
            )
            if created and notify_overdue(agency=agency, reports=reports[:200]):
                told += 1
    return told
