"""Targets count WSP business hours: Monday-Friday 8-17 Pacific, minus Washington holidays and closures."""

from datetime import date, time, timedelta

import pytest

from sector.core.calendar import BusinessCalendar
from sector.support.business_hours import DEFAULT_HOURS, format_duration, load_calendar
from sector.support.models import BusinessDay, Closure
from tests.support.helpers import pacific

CAL = BusinessCalendar(hours=dict(DEFAULT_HOURS))


def test_hours_inside_one_business_day():
    assert CAL.add_business_hours(pacific(2026, 11, 16, 9, 0), 2) == pacific(2026, 11, 16, 11, 0)


def test_a_request_after_hours_counts_from_the_next_opening():
    # Monday 18:30 + 2 h -> Tuesday 10:00
    assert CAL.add_business_hours(pacific(2026, 11, 16, 18, 30), 2) == pacific(2026, 11, 17, 10, 0)


def test_a_request_before_opening_counts_from_opening():
    assert CAL.add_business_hours(pacific(2026, 11, 16, 6, 15), 1) == pacific(2026, 11, 16, 9, 0)


def test_the_clock_carries_over_closing_time():
    # Tuesday 16:00 + 4 h: 1 h on Tuesday, 3 h on Wednesday
    assert CAL.add_business_hours(pacific(2026, 11, 17, 16, 0), 4) == pacific(2026, 11, 18, 11, 0)


def test_a_weekend_does_not_count():
    # Friday 16:00 + 2 h -> Monday 9:00
    assert CAL.add_business_hours(pacific(2026, 11, 20, 16, 0), 2) == pacific(2026, 11, 23, 9, 0)
    assert CAL.add_business_hours(pacific(2026, 11, 21, 12, 0), 1) == pacific(2026, 11, 23, 9, 0)  # raised Saturday


def test_washington_state_holidays_do_not_count():
    # Wednesday before Thanksgiving 16:00 + 2 h: Thanksgiving and Native American Heritage Day (the Friday,
    # a Washington state holiday) and the weekend are skipped -> Monday 9:00.
    assert CAL.add_business_hours(pacific(2026, 11, 25, 16, 0), 2) == pacific(2026, 11, 30, 9, 0)
    # Independence Day 2026 falls on a Saturday: observed Friday July 3.
    assert CAL.add_business_hours(pacific(2026, 7, 2, 16, 30), 1) == pacific(2026, 7, 6, 8, 30)
    assert CAL.holiday_name(date(2026, 11, 27))


def test_recorded_closures_do_not_count():
    cal = BusinessCalendar(hours=dict(DEFAULT_HOURS), closures=frozenset({date(2026, 11, 17)}))
    assert cal.add_business_hours(pacific(2026, 11, 16, 16, 0), 2) == pacific(2026, 11, 18, 9, 0)


def test_daylight_saving_change_keeps_local_opening_hours():
    # DST starts Sunday March 8 2026: Friday 16:00 PST + 2 h -> Monday 9:00 PDT (not 8:00 or 10:00).
    result = CAL.add_business_hours(pacific(2026, 3, 6, 16, 0), 2)
    assert result == pacific(2026, 3, 9, 9, 0)
    assert result.utcoffset() == timedelta(hours=-7)


def test_business_time_between_skips_nights_weekends_and_holidays():
    assert CAL.business_time_between(pacific(2026, 11, 20, 16, 0), pacific(2026, 11, 23, 10, 0)) == timedelta(hours=3)
    assert CAL.business_time_between(pacific(2026, 11, 16, 18, 0), pacific(2026, 11, 16, 23, 0)) == timedelta(0)
    assert CAL.business_time_between(pacific(2026, 11, 25, 16, 0), pacific(2026, 11, 30, 9, 30)) == timedelta(hours=2.5)
    assert CAL.business_time_between(pacific(2026, 11, 17, 10, 0), pacific(2026, 11, 16, 10, 0)) == timedelta(0)


def test_adding_then_measuring_agree():
    start = pacific(2026, 12, 23, 14, 20)  # across Christmas
    end = CAL.add_business_hours(start, 40)
    assert CAL.business_time_between(start, end) == timedelta(hours=40)


def test_a_calendar_without_open_days_fails_loudly_instead_of_looping():
    with pytest.raises(ValueError):
        BusinessCalendar(hours={}).add_business_hours(pacific(2026, 11, 16, 9, 0), 1)


def test_format_duration():
    assert format_duration(timedelta(hours=3, minutes=20)) == "3 h 20 min"
    assert format_duration(timedelta(hours=2)) == "2 h"
    assert format_duration(timedelta(minutes=5)) == "5 min"
    assert format_duration(None) == "—"


@pytest.mark.django_db
def test_the_calendar_is_data():
    BusinessDay.objects.filter(weekday=0).update(opens=time(10, 0))  # Mondays open at 10
    Closure.objects.create(date=date(2026, 11, 17), reason="Office move")
    cal = load_calendar()
    assert cal.add_business_hours(pacific(2026, 11, 16, 7, 0), 1) == pacific(2026, 11, 16, 11, 0)
    assert cal.add_business_hours(pacific(2026, 11, 16, 16, 30), 1) == pacific(2026, 11, 18, 8, 30)
