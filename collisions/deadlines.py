"""The review target: an agency reviews a queued report within 10 days. It is the program's target for the
agency, not a court deadline, so it runs on Washington state business days (sector.core.calendar): a tenth
day that falls on a weekend or a state holiday moves to the next business day, and the report is overdue
from the day after."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sector.core.calendar import PACIFIC, Due, state_business_days

from .choices import REVIEW_DAYS


def review_due(queued_at: datetime) -> Due:
    return state_business_days().last_day(timezone.localtime(queued_at, PACIFIC).date() + timedelta(days=REVIEW_DAYS))


def overdue_before(now: datetime) -> datetime:
    """Reports queued before this moment are past their review target at `now` (one cutoff, so the queue,
    the panel and the reminder filter in the database)."""
    today = timezone.localtime(now, PACIFIC).date()
    calendar = state_business_days()
    queued: date = today - timedelta(days=REVIEW_DAYS + 1)
    # The due day never comes before its nominal day and grows with the queued day: walk back to the last
    # queued day whose target, moved or not, ended before today.
    while calendar.last_day(queued + timedelta(days=REVIEW_DAYS)).day >= today:
        queued -= timedelta(days=1)
    return datetime.combine(queued + timedelta(days=1), time(0), tzinfo=PACIFIC)
