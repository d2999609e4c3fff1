"""The shared business calendar (sector.core.calendar) that court filing days and WSP support hours both use."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from sector.core.calendar import (
    PACIFIC,
    BusinessCalendar,
    holiday_name,
    is_state_holiday,
    upcoming_holidays,
    weekday_hours,
)

WEEKDAYS = BusinessCalendar(hours=weekday_hours(time(8, 0), time(17, 0)))


def pacific(*args):
    return datetime(*args, tzinfo=PACIFIC)


def test_washington_holidays_come_with_their_friday_or_monday_observance():
    # July 4 2026 is a Saturday: observed Friday July 3. July 4 2027 is a Sunday: observed Monday July 5.
    assert is_state_holiday(date(2026, 7, 3)) and is_state_holiday(date(2027, 7, 5))
    assert not WEEKDAYS.is_open_on(date(2026, 7, 3)) and not WEEKDAYS.is_open_on(date(2027, 7, 5))
    assert holiday_name(date(2026, 11, 26)) == "Thanksgiving Day"
    assert holiday_name(date(2026, 11, 24)) is None


def test_upcoming_holidays_include_both_ends_of_the_range():
    listed = upcoming_holidays(date(2026, 11, 26), days=29)
    assert listed[0] == (date(2026, 11, 26), "Thanksgiving Day")
    assert listed[-1] == (date(2026, 12, 25), "Christmas Day")
    assert [d for d, _ in listed] == sorted(d for d, _ in listed)


def test_closures_are_the_callers_data():
    closed = BusinessCalendar(hours=WEEKDAYS.hours, closures=frozenset({date(2026, 11, 24)}))
    assert WEEKDAYS.is_open_on(date(2026, 11, 24))
    assert not closed.is_open_on(date(2026, 11, 24))
    assert closed.next_open_day(date(2026, 11, 23)) == date(2026, 11, 25)


def test_state_holidays_can_be_left_out():
    assert BusinessCalendar(hours=WEEKDAYS.hours, state_holidays=False).is_open_on(date(2026, 11, 26))
    assert BusinessCalendar(hours=WEEKDAYS.hours, state_holidays=False).holiday_name(date(2026, 11, 26)) is None


def test_a_last_day_on_a_closed_day_runs_to_the_next_open_day():
    # The primitive GR 3 / CRLJ 6(a) period computation rests on.
    assert WEEKDAYS.open_on_or_after(date(2026, 11, 24)) == date(2026, 11, 24)
    assert WEEKDAYS.open_on_or_after(date(2026, 11, 26)) == date(2026, 11, 30)  # Thanksgiving, Friday, weekend
    assert WEEKDAYS.add_open_days(date(2026, 11, 25), 2) == date(2026, 12, 1)


def test_opening_hours_are_per_weekday():
    cal = BusinessCalendar(hours={0: (time(10, 0), time(12, 0)), 2: (time(8, 0), time(9, 0))})
    assert cal.window(date(2026, 11, 17)) is None  # Tuesday: closed
    assert cal.window(date(2026, 11, 16)) == (pacific(2026, 11, 16, 10, 0), pacific(2026, 11, 16, 12, 0))
    assert cal.add_business_hours(pacific(2026, 11, 16, 11, 0), 2) == pacific(2026, 11, 18, 9, 0)
    assert cal.business_time_between(pacific(2026, 11, 16, 0, 0), pacific(2026, 11, 19, 0, 0)) == timedelta(hours=3)


def test_elapsed_time_on_open_days_skips_whole_closed_days_and_keeps_real_hours_across_dst():
    # Friday noon PST + 48 h: the rest of Friday (12 h), then Monday (a 24 h day) and 12 h of Tuesday (PDT).
    end = WEEKDAYS.add_time_on_open_days(pacific(2026, 3, 6, 12, 0), timedelta(hours=48))
    assert end == pacific(2026, 3, 10, 12, 0)
    assert end.tzinfo is UTC


def test_a_calendar_without_open_days_fails_loudly():
    never = BusinessCalendar(hours={})
    for question in (
        lambda: never.next_open_day(date(2026, 11, 16)),
        lambda: never.add_business_hours(pacific(2026, 11, 16, 9, 0), 1),
        lambda: never.add_time_on_open_days(pacific(2026, 11, 16, 9, 0), timedelta(hours=1)),
    ):
        with pytest.raises(ValueError):
            question()


def test_end_of_day_is_the_last_local_instant_in_utc():
    assert WEEKDAYS.end_of_day(date(2026, 11, 24)) == datetime(2026, 11, 25, 7, 59, 59, 999999, tzinfo=UTC)


# ---------------------------------------------------------------- GR 3 / CRLJ 6(a) periods

SNOW = date(2026, 12, 31)
COURT = BusinessCalendar(
    hours=WEEKDAYS.hours, closures=frozenset({SNOW}), closure_reasons={SNOW: "Snow closure (GR 21)"}
)


@pytest.mark.parametrize(
    ("start", "days", "due", "moved_from", "reason"),
    [
        (date(2026, 10, 1), 30, date(2026, 11, 2), date(2026, 10, 31), "weekend"),
        (date(2026, 10, 2), 30, date(2026, 11, 2), date(2026, 11, 1), "weekend"),
        (date(2026, 11, 25), 30, date(2026, 12, 28), date(2026, 12, 25), "Christmas Day"),
        # Two closed days in a row: Thanksgiving, then Native American Heritage Day, then the weekend.
        (date(2026, 10, 27), 30, date(2026, 11, 30), date(2026, 11, 26), "Thanksgiving Day"),
        # July 4 2026 is a Saturday: observed on Friday July 3 (GR 2, RCW 1.16.050).
        (date(2026, 6, 3), 30, date(2026, 7, 6), date(2026, 7, 3), "Independence Day (observed)"),
        # A court closure (GR 21) on Dec 31, New Year's Day, then the weekend: Monday Jan 4 2027.
        (date(2026, 12, 1), 30, date(2027, 1, 4), SNOW, "Snow closure (GR 21)"),
        # Across the new year without a closure: Fri Dec 31 2027 is New Year's Day observed.
        (date(2027, 12, 1), 30, date(2028, 1, 3), date(2027, 12, 31), "New Year's Day (observed)"),
    ],
)
def test_a_period_ending_on_a_closed_day_runs_to_the_next_open_day(start, days, due, moved_from, reason):
    result = COURT.period_end(start, days)
    assert (result.day, result.moved_from, result.reason) == (due, moved_from, reason)
    assert result.moved


def test_the_note_says_when_the_date_was_moved_and_why():
    assert COURT.period_end(date(2026, 11, 25), 30).note == "moved from Fri Dec 25 (Christmas Day) to Mon Dec 28"


def test_a_period_ending_on_an_open_day_is_not_moved():
    result = COURT.period_end(date(2026, 10, 6), 30)
    assert (result.day, result.moved, result.note) == (date(2026, 11, 5), False, "")


def test_a_period_under_seven_days_leaves_intermediate_closed_days_out():
    # 5 days from Wed Dec 23 2026: Christmas Day and the weekend are not counted (CRLJ 6(a)).
    result = COURT.period_end(date(2026, 12, 23), 5)
    assert result.day == date(2027, 1, 4)  # counted: Dec 24, 28, 29, 30, Jan 4
    assert [d for d, _ in result.skipped] == [
        date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 31), date(2027, 1, 1),
        date(2027, 1, 2), date(2027, 1, 3),
    ]  # fmt: skip
    assert "Fri Dec 25 (Christmas Day)" in result.note
    assert not result.moved


def test_closed_reason_names_the_closure_the_holiday_or_the_weekday():
    assert COURT.closed_reason(SNOW) == "Snow closure (GR 21)"
    assert COURT.closed_reason(date(2026, 12, 25)) == "Christmas Day"
    assert COURT.closed_reason(date(2026, 12, 26)) == "weekend"
    assert BusinessCalendar(hours={0: (time(8), time(9))}).closed_reason(date(2026, 12, 22)) == "closed on Tuesdays"
    assert COURT.closed_reason(date(2026, 12, 24)) is None
