"""Service targets count WSP business hours: the support desk's opening hours (data), minus Washington state
holidays (the `holidays` library) and the closures WSP records. Times are Pacific whatever the server runs in.

The calendar is a plain value built once per request (two small queries) so a list of fifty requests measures
fifty durations without touching the database again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

PACIFIC = ZoneInfo(settings.TIME_ZONE)
# Used only when the calendar tables are empty (a fresh test database after a flush): WSP's published hours.
DEFAULT_HOURS = {wd: (time(8, 0), time(17, 0)) for wd in range(5)}
_SEARCH_LIMIT_DAYS = 3 * 366  # no target is years long; a calendar with no open day must not loop forever


@dataclass(frozen=True)
class BusinessCalendar:
    hours: dict[int, tuple[time, time]]
    closures: frozenset[date] = field(default_factory=frozenset)
    state_holidays: bool = True

    @cached_property
    def _holidays(self):
        return holidays.US(subdiv="WA") if self.state_holidays else {}

    def is_open_on(self, day: date) -> bool:
        return day.weekday() in self.hours and day not in self.closures and day not in self._holidays

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day) if self.state_holidays else None

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        if not self.is_open_on(day):
            return None
        opens, closes = self.hours[day.weekday()]
        return datetime.combine(day, opens, tzinfo=PACIFIC), datetime.combine(day, closes, tzinfo=PACIFIC)

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` business hours after `start` (a start after hours counts from the next opening)."""
        remaining = timedelta(hours=hours)
        cursor = start.astimezone(PACIFIC)
        day = cursor.date()
        for _ in range(_SEARCH_LIMIT_DAYS):
            win = self.window(day)
            if win is not None:
                begin, end = max(cursor, win[0]), win[1]
                if begin < end:
                    if begin + remaining <= end:
                        return begin + remaining
                    remaining -= end - begin
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0), tzinfo=PACIFIC)
        raise ValueError("the support calendar has no business hours in the next three years")

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from `start` to `end` (zero when `end` is not after `start`)."""
        if end <= start:
            return timedelta(0)
        start, end = start.astimezone(PACIFIC), end.astimezone(PACIFIC)
        total = timedelta(0)
        day = start.date()
        while day <= end.date():
            win = self.window(day)
            if win is not None:
                begin, finish = max(start, win[0]), min(end, win[1])
                if begin < finish:
                    total += finish - begin
            day += timedelta(days=1)
        return total


def load_calendar() -> BusinessCalendar:
    """The calendar as WSP recorded it (two queries)."""
    from .models import BusinessDay, Closure

    hours = {d.weekday: (d.opens, d.closes) for d in BusinessDay.objects.all()}
    closures = frozenset(Closure.objects.values_list("date", flat=True))
    return BusinessCalendar(hours=hours or dict(DEFAULT_HOURS), closures=closures)


def format_duration(value: timedelta | None) -> str:
    """'3 h 20 min' of business time; '—' when there is nothing to show."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    h, m = divmod(minutes, 60)
    if h and m:
        return f"{h} h {m} min"
    if h:
        return f"{h} h"
    return f"{m} min"
