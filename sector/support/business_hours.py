"""Service targets count WSP business hours: the support desk's opening hours (data), minus Washington state
holidays and the closures WSP records, on the shared business calendar (sector.core.calendar). Times are
Pacific whatever the server runs in.

The calendar is a plain value built once per request (two small queries) so a list of fifty requests measures
fifty durations without touching the database again.
"""

from __future__ import annotations

from datetime import time, timedelta

from sector.core.calendar import BusinessCalendar, weekday_hours

# Used only when the calendar tables are empty (a fresh test database after a flush): WSP's published hours.
DEFAULT_HOURS = weekday_hours(time(8, 0), time(17, 0))


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
