"""The filing calendar (GR 30, IRLJ 2.2, RCW 7.80.050): the court rules on the shared business calendar
(sector.core.calendar, which holds the state holidays and the day and hour arithmetic), plus one batch loader
that reads each court's hours and closures.

Dates are the court's local (Pacific) dates; elapsed time is counted in UTC, so a daylight-saving change
never adds or loses an hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from sector.core.calendar import PACIFIC as TZ
from sector.core.calendar import BusinessCalendar, weekday_hours

from .choices import DEFAULT_CLOSES, DEFAULT_DEADLINES, DEFAULT_OPENS, DeadlineUnit


@dataclass(frozen=True)
class Calendar:
    """A court's filing calendar: its hours and closures on the shared business calendar (sector.core.calendar)."""

    opens: time = DEFAULT_OPENS
    closes: time = DEFAULT_CLOSES
    closed_days: frozenset[date] = frozenset()

    @cached_property
    def days(self) -> BusinessCalendar:
        return BusinessCalendar(hours=weekday_hours(self.opens, self.closes), closures=self.closed_days)

    def is_business_day(self, day: date) -> bool:
        return self.days.is_open_on(day)

    def next_business_day(self, day: date) -> date:
        return self.days.next_open_day(day)

    def filing_date(self, received_at: datetime) -> date:
        """GR 30: filed on the day received during business hours, else the next business day. A ticket
        received before opening on a business day is filed when the office opens that day."""
        local = received_at.astimezone(TZ)
        day = local.date()
        if self.is_business_day(day) and local.time() < self.closes:
            return day
        return self.next_business_day(day)

    def deadline(self, issued_at: datetime, amount: int, unit: str) -> datetime:
        if unit == DeadlineUnit.BUSINESS_HOURS:
            return self.days.add_time_on_open_days(issued_at, timedelta(hours=amount))
        return self.days.end_of_day(self.days.add_open_days(self.days.local_date(issued_at), amount))


def deadline_rule(kind: str, rules: dict[str, tuple[int, str]] | None = None) -> tuple[int, str]:
    if rules and kind in rules:
        return rules[kind]
    amount, unit, _ = DEFAULT_DEADLINES.get(kind, DEFAULT_DEADLINES["criminal"])
    return amount, unit


def compute_filing(items):
    """The citations ingest hook: filing date, deadline and lateness for a batch's new tickets (3 queries)."""
    from citations.hooks import FilingResult

    from .models import CourtCalendar, CourtClosure, FilingDeadline

    if not items:
        return []
    court_ids = {i.court_id for i in items}
    start = min(i.issued_at for i in items).astimezone(TZ).date() - timedelta(days=1)
    end = max(max(i.received_at, i.issued_at) for i in items).astimezone(TZ).date() + timedelta(days=60)
    hours = {
        c.court_id: (c.opens_at, c.closes_at)
        for c in CourtCalendar.objects.filter(court_id__in=court_ids).only("court_id", "opens_at", "closes_at")
    }
    statewide, per_court = set(), {}
    for court_id, day in (
        CourtClosure.objects.filter(date__range=(start, end))
        .filter(models_q_court(court_ids))
        .values_list("court_id", "date")
    ):
        if court_id is None:
            statewide.add(day)
        else:
            per_court.setdefault(court_id, set()).add(day)
    rules = {d.kind: (d.amount, d.unit) for d in FilingDeadline.objects.all()}
    calendars = {}
    for court_id in court_ids:
        opens, closes = hours.get(court_id, (DEFAULT_OPENS, DEFAULT_CLOSES))
        calendars[court_id] = Calendar(opens, closes, frozenset(statewide | per_court.get(court_id, set())))
    out = []
    for item in items:
        cal = calendars[item.court_id]
        amount, unit = deadline_rule(item.kind, rules)
        deadline = cal.deadline(item.issued_at, amount, unit)
        out.append(FilingResult(cal.filing_date(item.received_at), deadline, item.received_at > deadline))
    return out


def models_q_court(court_ids):
    from django.db.models import Q

    return Q(court_id__in=sorted(court_ids)) | Q(court__isnull=True)


def calendar_for(court) -> Calendar:
    """A court's calendar as it stands now (for screens and services)."""
    from .models import CourtCalendar, CourtClosure

    cal = CourtCalendar.objects.filter(court=court).first()
    today = datetime.now(TZ).date()
    days = frozenset(
        CourtClosure.objects.filter(models_q_court({court.pk}), date__gte=today - timedelta(days=400)).values_list(
            "date", flat=True
        )
    )
    if cal is None:
        return Calendar(closed_days=days)
    return Calendar(cal.opens_at, cal.closes_at, days)
