"""The 10-day review target runs on Washington state business days (not a court deadline): a tenth day on a
weekend or state holiday moves to the next business day, and the queue, the panel and the reminder agree."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse

from collisions.deadlines import overdue_before, review_due
from collisions.models import CollisionReport
from collisions.reminders import overdue_reports
from sector.core.calendar import PACIFIC
from tests.collisions.factories import make_report


def pt(*args):
    return datetime(*args, tzinfo=PACIFIC)


def test_a_target_on_thanksgiving_runs_past_the_holidays_and_the_weekend():
    due = review_due(pt(2026, 11, 16, 9, 0))  # + 10: Thu Nov 26, Thanksgiving; Fri Native American Heritage Day
    assert (due.day, due.moved_from, due.reason) == (date(2026, 11, 30), date(2026, 11, 26), "Thanksgiving Day")
    assert review_due(pt(2026, 11, 13, 9, 0)).day == date(2026, 11, 23)  # a Monday: not moved
    assert not review_due(pt(2026, 11, 13, 9, 0)).moved


def test_the_cutoff_leaves_out_reports_whose_target_was_moved_to_today_or_later():
    # On Mon Nov 30 the reports queued Nov 16-19 are due today (moved off the holidays and weekend).
    assert overdue_before(pt(2026, 11, 30, 12, 0)) == datetime.combine(date(2026, 11, 16), time(0), tzinfo=PACIFIC)
    # The next day they are overdue, and so is Nov 20's (due Mon Nov 30).
    assert overdue_before(pt(2026, 12, 1, 12, 0)) == datetime.combine(date(2026, 11, 21), time(0), tzinfo=PACIFIC)


@pytest.mark.django_db
def test_the_reminder_and_the_report_page_use_the_moved_target(world):
    moved, overdue = make_report(), make_report()
    CollisionReport.objects.filter(pk=moved.pk).update(queued_at=pt(2026, 11, 16, 9, 0))
    CollisionReport.objects.filter(pk=overdue.pk).update(queued_at=pt(2026, 11, 13, 9, 0))
    assert list(overdue_reports(now=pt(2026, 11, 30, 12, 0))) == [overdue]
    assert set(overdue_reports(now=pt(2026, 12, 1, 12, 0))) == {moved, overdue}
    page = world.client_for("reviewer").get(reverse("collisions:report_detail", args=[moved.pk])).content.decode()
    assert "Review due" in page and "Mon Nov 30, 2026" in page
    assert "moved from Thu Nov 26 (Thanksgiving Day) to Mon Nov 30" in page
