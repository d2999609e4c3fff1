"""The business calendar: which days an office is open, its opening hours, and time counted on open days.

One engine for the courts' filing calendar (GR 30, IRLJ 2.2, RCW 7.80.050) and the WSP support desk's service
targets. Washington's state holidays come from the `holidays` library, here only; the days an office closes
besides those (a court's closures, WSP's closures) and its opening hours are the caller's data, passed in, so
each domain keeps its own models. A calendar is a plain value: built once per request or batch, it answers
any number of questions without touching the database.

Court-rule time computation (GR 3 / CRLJ 6(a)) is `period_end`: a period of 7 days or more counts calendar
days and, when its last day falls on a closed day (a weekend, a legal holiday of RCW 1.16.050, a closure of
GR 21), runs to the end of the next open day; a period under 7 days leaves the intermediate closed days out.
The answer (`Due`) says when the date was moved and why, so a page can show it. The library already moves a
holiday that falls on a weekend to its Friday or Monday observance (GR 2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

PACIFIC = ZoneInfo("America/Los_Angeles")  # Washington's time, whatever the server runs in
WEEKDAYS = range(5)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# CRLJ 6(a) / CR 6(a): "less than 7 days" leaves intermediate weekends and holidays out of the count.
SHORT_PERIOD_DAYS = 7
# No period the portal computes is years long; a calendar with no open day must fail, not loop forever.
SEARCH_LIMIT_DAYS = 3 * 366


@lru_cache(maxsize=1)
def washington_holidays() -> holidays.HolidayBase:
    """Washington's state holidays with their observed days (the library adds years as they are asked for)."""
    return holidays.country_holidays("US", subdiv="WA")


def is_state_holiday(day: date) -> bool:
    return day in washington_holidays()


def holiday_name(day: date) -> str | None:
    return washington_holidays().get(day)


def upcoming_holidays(today: date, days: int = 370) -> list[tuple[date, str]]:
    """The state holidays from `today` through `days` days later, in date order, with their names."""
    table = washington_holidays()
    span = (today + timedelta(days=n) for n in range(days + 1))
    return [(day, table[day]) for day in span if day in table]


def weekday_hours(opens: time, closes: time) -> dict[int, tuple[time, time]]:
    """The same opening hours Monday to Friday."""
    return {weekday: (opens, closes) for weekday in WEEKDAYS}


def state_business_days() -> BusinessCalendar:
    """Washington state business days (weekdays, state holidays excluded), for the program's own targets
    (an agency's review, an onboarding step): not a court's calendar, which has its own closures."""
    return BusinessCalendar(hours=weekday_hours(time(8, 0), time(17, 0)))


def short_date(day: date) -> str:
    """ "Fri Dec 25" (the year only when the reader might need it is the caller's choice)."""
    return f"{day:%a %b} {day.day}"


@dataclass(frozen=True)
class Due:
    """The last day of a period and, when it was moved off a closed day, from which day and why."""

    day: date
    moved_from: date | None = None
    reason: str = ""
    # Closed days a short period (under 7 days) left out of its count, with why each is closed.
    skipped: tuple[tuple[date, str], ...] = ()

    @property
    def moved(self) -> bool:
        return self.moved_from is not None

    @property
    def note(self) -> str:
        """What a page says beside the date: "moved from Fri Dec 25 (Christmas Day) to Mon Dec 28"."""
        if self.moved_from is not None:
            return f"moved from {short_date(self.moved_from)} ({self.reason}) to {short_date(self.day)}"
        if self.skipped:
            days = ", ".join(f"{short_date(d)} ({why})" for d, why in self.skipped)
            return f"closed days not counted: {days}"
        return ""


@dataclass(frozen=True)
class BusinessCalendar:
    """Open on the weekdays in `hours` (weekday → opening, closing time), except state holidays and `closures`."""

    hours: Mapping[int, tuple[time, time]]
    closures: frozenset[date] = field(default_factory=frozenset)
    state_holidays: bool = True
    tz: ZoneInfo = PACIFIC
    # Why the office is closed on each of `closures` ("Snow closure (GR 21)"), for the pages that say so.
    closure_reasons: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False)

    # ---------------------------------------------------------------- days

    def is_open_on(self, day: date) -> bool:
        # Remembered per calendar (a calendar is a value built for one request or batch): feed ingest asks
        # about the same few weeks of days for every ticket of a batch.
        known = self.__dict__.get("_open_on")
        if known is None:
            known = self.__dict__["_open_on"] = {}
        answer = known.get(day)
        if answer is None:
            answer = known[day] = (
                day.weekday() in self.hours
                and day not in self.closures
                and not (self.state_holidays and is_state_holiday(day))
            )
        return answer

    def holiday_name(self, day: date) -> str | None:
        return holiday_name(day) if self.state_holidays else None

    def closed_reason(self, day: date) -> str | None:
        """Why the office is closed on `day` (None when it is open): the closure's reason, the holiday's name,
        or "weekend"."""
        if self.is_open_on(day):
            return None
        if day in self.closures:
            return self.closure_reasons.get(day) or "closed"
        if (name := self.holiday_name(day)) is not None:
            return name
        return "weekend" if day.weekday() >= 5 else f"closed on {DAY_NAMES[day.weekday()]}s"

    def period_end(self, start: date, days: int) -> Due:
        """The last day of a period of `days` days after `start` (the day of the act is not counted), by
        GR 3 and CRLJ 6(a): under 7 days the intermediate closed days are left out; otherwise a last day
        on a closed day runs to the next open day."""
        if days < SHORT_PERIOD_DAYS:
            skipped, day = [], start
            for _ in range(days):
                day += timedelta(days=1)
                while not self.is_open_on(day):
                    skipped.append((day, self.closed_reason(day)))
                    day += timedelta(days=1)
            return Due(day=day, skipped=tuple(skipped))
        return self.last_day(start + timedelta(days=days))

    def last_day(self, nominal: date) -> Due:
        """A last day that falls on a closed day runs to the next open day (said with the reason)."""
        last = self.open_on_or_after(nominal)
        if last == nominal:
            return Due(day=last)
        return Due(day=last, moved_from=nominal, reason=self.closed_reason(nominal) or "")

    def open_on_or_after(self, day: date) -> date:
        """`day` when the office is open that day, else the next day it is."""
        for _ in range(SEARCH_LIMIT_DAYS):
            if self.is_open_on(day):
                return day
            day += timedelta(days=1)
        raise ValueError("the calendar has no open day in the next three years")

    def next_open_day(self, day: date) -> date:
        """The first open day after `day`."""
        return self.open_on_or_after(day + timedelta(days=1))

    def add_open_days(self, day: date, count: int) -> date:
        """The `count`-th open day after `day` (`day` itself is not counted)."""
        for _ in range(count):
            day = self.next_open_day(day)
        return day

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def end_of_day(self, day: date) -> datetime:
        """The last instant of a local day, in UTC."""
        return datetime.combine(day, time.max, tzinfo=self.tz).astimezone(UTC)

    # ---------------------------------------------------------------- opening hours

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's opening and closing moments, or None on a closed day."""
        if not self.is_open_on(day):
            return None
        opens, closes = self.hours[day.weekday()]
        return datetime.combine(day, opens, tzinfo=self.tz), datetime.combine(day, closes, tzinfo=self.tz)

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` of opening hours after `start` (a start after hours counts from the next opening)."""
        remaining = timedelta(hours=hours)
        cursor = start.astimezone(self.tz)
        day = cursor.date()
        for _ in range(SEARCH_LIMIT_DAYS):
            win = self.window(day)
            if win is not None:
                begin, end = max(cursor, win[0]), win[1]
                if begin < end:
                    if begin + remaining <= end:
                        return begin + remaining
                    remaining -= end - begin
            day += timedelta(days=1)
            cursor = datetime.combine(day, time(0), tzinfo=self.tz)
        raise ValueError("the calendar has no business hours in the next three years")

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Opening hours from `start` to `end` (zero when `end` is not after `start`)."""
        if end <= start:
            return timedelta(0)
        start, end = start.astimezone(self.tz), end.astimezone(self.tz)
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

    # ---------------------------------------------------------------- elapsed time on open days

    def add_time_on_open_days(self, start: datetime, duration: timedelta) -> datetime:
        """`duration` of real time after `start`, the whole of each closed day left out (RCW 7.80.050's "48
        hours, weekends and holidays excluded"). Counted in UTC, so a daylight-saving change neither adds
        nor loses an hour."""
        remaining = duration
        t = start.astimezone(UTC)
        for _ in range(SEARCH_LIMIT_DAYS):
            local_day = self.local_date(t)
            next_midnight = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=self.tz).astimezone(UTC)
            if self.is_open_on(local_day):
                step = next_midnight - t
                if step >= remaining:
                    return t + remaining
                remaining -= step
            t = next_midnight
        raise ValueError("the calendar has no open day in the next three years")
