"""The filing calendar (GR 30, IRLJ 2.2, RCW 7.80.050), pure functions plus one batch loader.

All arithmetic is done on aware datetimes converted to UTC, so a daylight-saving change never adds or
loses an hour; dates are the court's local (Pacific) dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from .choices import DEFAULT_CLOSES, DEFAULT_DEADLINES, DEFAULT_OPENS, PACIFIC, DeadlineUnit

TZ = ZoneInfo(PACIFIC)
END_OF_DAY = time(23, 59, 59, 999999)


@lru_cache(maxsize=1)
def _wa_holidays():
    return holidays.country_holidays("US", subdiv="WA")


def is_state_holiday(day: date) -> bool:
    return day in _wa_holidays()


def holiday_name(day: date) -> str | None:
    return _wa_holidays().get(day)


def upcoming_holidays(today: date, days: int = 370) -> list[tuple[date, str]]:
    end = today + timedelta(days=days)
    out = []
    for year in range(today.year, end.year + 1):
        for day, name in holidays.country_holidays("US", subdiv="WA", years=year).items():
            if today <= day <= end:
                out.append((day, name))
    return sorted(out)


@dataclass(frozen=True)
class Calendar:
    opens: time = DEFAULT_OPENS
    closes: time = DEFAULT_CLOSES
    closed_days: frozenset[date] = frozenset()

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and not is_state_holiday(day) and day not in self.closed_days

    def next_business_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

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
            return self._add_business_hours(issued_at, amount)
        day = issued_at.astimezone(TZ).date()
        for _ in range(amount):
            day = self.next_business_day(day)
        return datetime.combine(day, END_OF_DAY, tzinfo=TZ).astimezone(UTC)

    def _add_business_hours(self, start: datetime, hours: int) -> datetime:
        """Count `hours` of real time, skipping whole weekend days, holidays and closures."""
        remaining = timedelta(hours=hours)
        t = start.astimezone(UTC)
        for _ in range(3660):  # bounded: ten years of days
            local_day = t.astimezone(TZ).date()
            next_midnight = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=TZ).astimezone(UTC)
            if self.is_business_day(local_day):
                step = next_midnight - t
                if step >= remaining:
                    return t + remaining
                remaining -= step
            t = next_midnight
        return t


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
