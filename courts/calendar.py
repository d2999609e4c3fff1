"""The filing calendar (GR 30, IRLJ 2.2, RCW 7.80.050): the court rules on the shared business calendar
(sector.core.calendar, which holds the state holidays and the day and hour arithmetic), plus one batch loader
that reads each court's hours and closures.

Dates are the court's local (Pacific) dates; elapsed time is counted in UTC, so a daylight-saving change
never adds or loses an hour.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from citations.choices import RESPONSE_DAYS, RESPONSE_DAYS_BY_MAIL, AppearanceWarning, Service
from sector.core.calendar import PACIFIC as TZ
from sector.core.calendar import BusinessCalendar, Due, weekday_hours

from .choices import DEFAULT_CLOSES, DEFAULT_DEADLINES, DEFAULT_OPENS, DeadlineUnit


def _clock(moment: time) -> str:
    return f"{moment:%I:%M %p}".lstrip("0")


@dataclass(frozen=True)
class Calendar:
    """A court's filing calendar: its hours and closures on the shared business calendar (sector.core.calendar)."""

    opens: time = DEFAULT_OPENS
    closes: time = DEFAULT_CLOSES
    closed_days: frozenset[date] = frozenset()
    # Why the court is closed on each of `closed_days` (the closure's reason as the clerk or AOC wrote it).
    reasons: Mapping[date, str] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def days(self) -> BusinessCalendar:
        return BusinessCalendar(
            hours=weekday_hours(self.opens, self.closes), closures=self.closed_days, closure_reasons=self.reasons
        )

    def response_due(self, issued_at: datetime, service: str) -> Due:
        """IRLJ 2.4's 30 days (33 served by mail) from issuance, on this court's calendar (GR 3, CRLJ 6(a))."""
        days = RESPONSE_DAYS_BY_MAIL if service == Service.MAIL else RESPONSE_DAYS
        return self.days.period_end(self.days.local_date(issued_at), days)

    def appearance_check(self, appearance_at: datetime | None, received_at: datetime) -> tuple[str, str]:
        """A warning code and sentence when the appearance the agency set cannot be kept as it stands: already
        past when the ticket arrived, on a day the court is closed, or outside its hours ("", "" when fine).
        Every problem found is in the sentence; the code is the most serious one."""
        if appearance_at is None:
            return "", ""
        local = appearance_at.astimezone(TZ)
        when = f"{local:%a %b} {local.day}, {local.year} at {_clock(local.time())} {local:%Z}"
        problems: list[tuple[str, str]] = []
        if appearance_at < received_at:
            received = received_at.astimezone(TZ)
            problems.append(
                (
                    AppearanceWarning.PAST,
                    f"was already past when the ticket was received ({received:%a %b} {received.day}, "
                    f"{_clock(received.time())} {received:%Z})",
                )
            )
        reason = self.days.closed_reason(local.date())
        if reason is not None:
            problems.append((AppearanceWarning.CLOSED_DAY, f"falls on a day the court is closed ({reason})"))
        elif not (self.opens <= local.time() < self.closes):
            problems.append(
                (
                    AppearanceWarning.OUTSIDE_HOURS,
                    f"is outside the court's hours ({_clock(self.opens)} to {_clock(self.closes)})",
                )
            )
        if not problems:
            return "", ""
        return problems[0][0], f"The appearance set for {when} " + " and ".join(p for _, p in problems) + "."

    def later_dates(
        self, *, issued_at: datetime, service: str, appearance_at, received_at: datetime, due: Due | None = None
    ) -> dict:
        """The ticket's columns that follow its applied version on this calendar (see FilingResult). `due`: the
        response due day when the caller already has it (`response_due(issued_at, service)`)."""
        due = due or self.response_due(issued_at, service)
        code, note = self.appearance_check(appearance_at, received_at)
        return {
            "response_due": due.day,
            "response_due_moved_from": due.moved_from,
            "response_due_reason": due.reason[:200],
            "appearance_warning": code,
            "appearance_warning_note": note[:300],
        }

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

    from .models import FilingDeadline

    if not items:
        return []
    start = min(i.issued_at for i in items).astimezone(TZ).date() - timedelta(days=1)
    latest = max(max(i.received_at, i.issued_at, i.appearance_at or i.issued_at) for i in items)
    calendars = calendars_for({i.court_id for i in items}, start, latest.astimezone(TZ).date() + timedelta(days=60))
    rules = {d.kind: (d.amount, d.unit) for d in FilingDeadline.objects.all()}
    out = []
    # A batch's tickets share a few courts, issue dates and one receipt time: each answer that depends only on
    # those is computed once per batch (a deadline counted in days, the response due day, the filing date).
    deadlines: dict[tuple, datetime] = {}
    dues: dict[tuple, Due] = {}
    filed: dict[tuple, date] = {}
    for item in items:
        cal = calendars[item.court_id]
        amount, unit = deadline_rule(item.kind, rules)
        if unit == DeadlineUnit.BUSINESS_HOURS:
            deadline = cal.deadline(item.issued_at, amount, unit)
        else:
            key = (item.court_id, cal.days.local_date(item.issued_at), amount, unit)
            deadline = deadlines.get(key) or deadlines.setdefault(key, cal.deadline(item.issued_at, amount, unit))
        due_key = (item.court_id, cal.days.local_date(item.issued_at), item.service)
        due = dues.get(due_key) or dues.setdefault(due_key, cal.response_due(item.issued_at, item.service))
        later = cal.later_dates(
            issued_at=item.issued_at,
            service=item.service,
            appearance_at=item.appearance_at,
            received_at=item.received_at,
            due=due,
        )
        filed_key = (item.court_id, item.received_at)
        filing_date = filed.get(filed_key) or filed.setdefault(filed_key, cal.filing_date(item.received_at))
        out.append(FilingResult(filing_date, deadline, item.received_at > deadline, **later))
    return out


def calendars_for(court_ids, start: date, end: date) -> dict[int, Calendar]:
    """Each court's calendar with its closures (its own and statewide ones) from `start` to `end` (2 queries)."""
    from .models import CourtCalendar, CourtClosure

    hours = {
        c.court_id: (c.opens_at, c.closes_at)
        for c in CourtCalendar.objects.filter(court_id__in=sorted(court_ids)).only("court_id", "opens_at", "closes_at")
    }
    statewide: dict[date, str] = {}
    per_court: dict[int, dict[date, str]] = {}
    for court_id, day, reason in (
        CourtClosure.objects.filter(date__range=(start, end))
        .filter(models_q_court(court_ids))
        .values_list("court_id", "date", "reason")
    ):
        (statewide if court_id is None else per_court.setdefault(court_id, {}))[day] = reason
    calendars = {}
    for court_id in court_ids:
        opens, closes = hours.get(court_id, (DEFAULT_OPENS, DEFAULT_CLOSES))
        reasons = {**statewide, **per_court.get(court_id, {})}
        calendars[court_id] = Calendar(opens, closes, frozenset(reasons), reasons)
    return calendars


def models_q_court(court_ids):
    from django.db.models import Q

    return Q(court_id__in=sorted(court_ids)) | Q(court__isnull=True)


def calendar_for(court_id: int, around: date | None = None) -> Calendar:
    """A court's calendar as it stands now, with its closures from a year before `around` (default today) to
    two years after (for services that recompute a ticket's dates)."""
    around = around or datetime.now(TZ).date()
    return calendars_for({court_id}, around - timedelta(days=400), around + timedelta(days=800))[court_id]
