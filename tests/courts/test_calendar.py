"""The filing calendar: GR 30 filing dates, IRLJ 2.2 / RCW 7.80.050 deadlines, lateness from portal receipt."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from citations.hooks import FilingInput
from courts.calendar import Calendar, compute_filing
from courts.models import CourtCalendar, CourtClosure

PT = ZoneInfo("America/Los_Angeles")
cal = Calendar()  # 08:00–16:30, WA holidays, no closures


def pt(*args):
    return datetime(*args, tzinfo=PT)


def test_received_during_business_hours_is_filed_that_day():
    assert cal.filing_date(pt(2026, 11, 24, 10, 0)) == date(2026, 11, 24)  # Tuesday


def test_received_after_hours_is_filed_the_next_business_day():
    assert cal.filing_date(pt(2026, 11, 24, 16, 30)) == date(2026, 11, 25)
    assert cal.filing_date(pt(2026, 11, 24, 23, 59)) == date(2026, 11, 25)


def test_received_before_opening_is_filed_when_the_office_opens_that_day():
    assert cal.filing_date(pt(2026, 11, 24, 6, 0)) == date(2026, 11, 24)


def test_weekend_receipt_is_filed_monday():
    assert cal.filing_date(pt(2026, 11, 21, 11, 0)) == date(2026, 11, 23)  # Saturday -> Monday
    assert cal.filing_date(pt(2026, 11, 20, 23, 59)) == date(2026, 11, 23)  # Friday 23:59 -> Monday


def test_state_holidays_from_the_holiday_library_are_skipped():
    # Thanksgiving (Thu 26) and Native American Heritage Day (Fri 27), then the weekend.
    assert cal.filing_date(pt(2026, 11, 25, 17, 0)) == date(2026, 11, 30)
    assert cal.filing_date(pt(2026, 11, 26, 10, 0)) == date(2026, 11, 30)


def test_a_court_closure_is_skipped():
    closed = Calendar(closed_days=frozenset({date(2026, 11, 24)}))
    assert closed.filing_date(pt(2026, 11, 24, 10, 0)) == date(2026, 11, 25)
    assert closed.filing_date(pt(2026, 11, 23, 17, 0)) == date(2026, 11, 25)


def test_court_hours_are_per_court():
    early = Calendar(opens=time(7, 0), closes=time(15, 0))
    assert early.filing_date(pt(2026, 11, 24, 15, 30)) == date(2026, 11, 25)
    assert cal.filing_date(pt(2026, 11, 24, 15, 30)) == date(2026, 11, 24)


def test_times_sent_in_utc_are_judged_in_pacific_time():
    # 00:30Z Wednesday is 16:30 PST Tuesday: after closing, so filed Wednesday.
    assert cal.filing_date(datetime(2026, 11, 25, 0, 30, tzinfo=UTC)) == date(2026, 11, 25)
    # 23:00Z Tuesday is 15:00 PST Tuesday: filed Tuesday.
    assert cal.filing_date(datetime(2026, 11, 24, 23, 0, tzinfo=UTC)) == date(2026, 11, 24)


def test_infraction_deadline_is_five_business_days_excluding_weekends_and_holidays():
    # Issued Friday 23:59 before Thanksgiving week:
    # Mon 23, Tue 24, Wed 25, (Thu 26, Fri 27 holidays), Mon 30, Tue Dec 1.
    deadline = cal.deadline(pt(2026, 11, 20, 23, 59), 5, "business_days")
    assert deadline.astimezone(PT).date() == date(2026, 12, 1)
    assert deadline.astimezone(PT).time() == time(23, 59, 59, 999999)


def test_a_ticket_signed_at_23_59_on_friday_counts_from_friday():
    signed = pt(2026, 11, 13, 23, 59)  # Friday
    deadline = cal.deadline(signed, 5, "business_days")
    assert deadline.astimezone(PT).date() == date(2026, 11, 20)  # Mon16..Fri20
    assert cal.deadline(pt(2026, 11, 14, 0, 1), 5, "business_days").astimezone(PT).date() == date(2026, 11, 20)


def test_civil_infraction_48_hours_skip_weekends_and_holidays():
    # Thursday 10:00 + 48 h: Thu 14 h left + Fri 24 h = 38 h, skip Sat/Sun, +10 h Monday -> Monday 10:00.
    deadline = cal.deadline(pt(2026, 11, 12, 10, 0), 48, "business_hours")
    assert deadline.astimezone(PT) == pt(2026, 11, 16, 10, 0)
    # Veterans Day (Wed Nov 11) is skipped: Tue 10:00 -> Tue 14 h, skip Wed, Thu 24 h, Fri 10 h -> Fri 10:00.
    assert cal.deadline(pt(2026, 11, 10, 10, 0), 48, "business_hours").astimezone(PT) == pt(2026, 11, 13, 10, 0)


def test_daylight_saving_change_counts_real_hours():
    # Spring forward Sunday 2026-03-08. Friday Mar 6 12:00 PST + 48 h: Fri 12 h, skip weekend, Mon 24 h, Tue 12 h.
    deadline = cal.deadline(pt(2026, 3, 6, 12, 0), 48, "business_hours")
    assert deadline.astimezone(PT) == pt(2026, 3, 10, 12, 0)
    assert deadline.utcoffset() is not None and deadline.astimezone(PT).utcoffset().total_seconds() == -7 * 3600
    # Fall back Sunday 2026-11-01: an after-hours receipt on Saturday Oct 31 is filed Monday Nov 2.
    assert cal.filing_date(datetime(2026, 11, 2, 16, 30, tzinfo=UTC)) == date(2026, 11, 2)  # 08:30 PST Monday
    assert cal.filing_date(datetime(2026, 11, 2, 15, 30, tzinfo=UTC)) == date(2026, 11, 2)  # 07:30 PST (before opening)
    # 23:59 PDT on Friday Mar 6 is still Friday even though the next Monday is on PDT.
    assert cal.deadline(pt(2026, 3, 6, 23, 59), 5, "business_days").astimezone(PT).date() == date(2026, 3, 13)


@pytest.mark.django_db
def test_compute_filing_uses_court_hours_closures_and_statewide_closures(world):
    CourtCalendar.objects.create(court=world.court_a, opens_at=time(9, 0), closes_at=time(16, 0))
    CourtClosure.objects.create(court=world.court_a, date=date(2026, 11, 23), reason="Furlough")
    CourtClosure.objects.create(court=None, date=date(2026, 11, 24), reason="Statewide closure")
    issued = pt(2026, 11, 20, 10, 0)
    received = pt(2026, 11, 20, 16, 15)
    [a, b] = compute_filing(
        [
            FilingInput(world.court_a.pk, "infraction", issued, received),
            FilingInput(world.court_b.pk, "infraction", issued, received),
        ]
    )
    assert a.filing_date == date(2026, 11, 25)  # after 16:00 Friday; Mon closed, Tue statewide closed
    assert b.filing_date == date(2026, 11, 20)  # court B still open at 16:15 (default 16:30)
    # Court A: Wed 25, Mon 30, Tue Dec 1, Wed 2, Thu 3 (Mon 23, Tue 24 closed; Thu 26, Fri 27 holidays)
    assert a.deadline_at.astimezone(PT).date() == date(2026, 12, 3)
    # Court B has only the statewide closure: Mon 23, Wed 25, Mon 30, Tue Dec 1, Wed 2
    assert b.deadline_at.astimezone(PT).date() == date(2026, 12, 2)
    assert not a.late


@pytest.mark.django_db
def test_late_is_judged_by_portal_receipt_not_by_the_clerk(world):
    issued = pt(2026, 11, 2, 10, 0)  # Monday
    on_time, late = compute_filing(
        [
            FilingInput(
                world.court_a.pk, "infraction", issued, pt(2026, 11, 9, 23, 0)
            ),  # within Mon+5 (Veterans Day skipped)
            FilingInput(world.court_a.pk, "infraction", issued, pt(2026, 11, 10, 0, 1)),
        ]
    )
    assert on_time.deadline_at.astimezone(PT).date() == date(2026, 11, 9)
    assert not on_time.late and late.late
