"""Dates a court can rely on: the response deadline on the court's own calendar (GR 3, CRLJ 6(a)), and the
appearance the agency set checked against it (a warning on the ticket, in the queue, on the dashboard)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from citations.choices import AppearanceWarning
from citations.models import Ticket, TicketVersion
from courts import services
from courts.calendar import Calendar
from courts.models import CourtCalendar, CourtClosure
from sector.core.models import AuditEntry
from tests.feed.factories import make_ticket, recent, store_tickets, ticket

PT = ZoneInfo("America/Los_Angeles")


def at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), tzinfo=PT).isoformat()


def future_day(*, open_: bool, after: int = 10) -> date:
    """A day at least `after` days ahead on which court A (default calendar, no closures) is open or not."""
    cal = Calendar().days
    day = date.today() + timedelta(days=after)
    while cal.is_open_on(day) != open_:
        day += timedelta(days=1)
    return day


# ---------------------------------------------------------------- the response deadline


def test_a_response_due_on_christmas_runs_to_monday_and_the_ticket_page_says_why(world):
    t = make_ticket(issued_at="2026-11-25T10:00:00-08:00")  # + 30 days: Fri Dec 25 2026
    assert (t.response_due, t.response_due_moved_from, t.response_due_reason) == (
        date(2026, 12, 28),
        date(2026, 12, 25),
        "Christmas Day",
    )
    page = world.client_for("clerk").get(f"/courts/intake/tickets/{t.pk}/").content.decode()
    assert "Mon Dec 28, 2026" in page
    assert "Moved from Fri Dec 25 (Christmas Day) to Mon Dec 28" in page
    agency_page = world.client_for("lasa").get(f"/tickets/{t.pk}/").content.decode()
    assert "Moved from Fri Dec 25 (Christmas Day) to Mon Dec 28" in agency_page


def test_served_by_mail_counts_33_days_and_a_weekend_last_day_runs_to_monday(world):
    t = make_ticket(issued_at="2026-10-30T10:00:00-07:00", service="mail")  # + 33: Wed Dec 2
    assert t.response_due == date(2026, 10, 30) + timedelta(days=33)
    assert t.response_due_moved_from is None
    t = make_ticket(issued_at="2026-10-31T10:00:00-07:00", service="mail")  # + 33: Thu Dec 3
    assert t.response_due == date(2026, 12, 3)
    t = make_ticket(issued_at="2026-11-02T10:00:00-08:00", service="mail")  # + 33: Sat Dec 5 → Mon Dec 7
    assert (t.response_due, t.response_due_reason) == (date(2026, 12, 7), "weekend")


def test_a_court_closure_added_later_moves_the_deadline_and_removing_it_moves_it_back(world):
    clerk = world.users["clerk"]
    t = make_ticket(issued_at="2026-11-20T10:00:00-08:00")  # + 30: Sun Dec 20 → Mon Dec 21
    other = make_ticket(issued_at="2026-11-20T11:00:00-08:00", court_code=world.court_b.code)
    assert t.response_due == date(2026, 12, 21)
    closure = services.closure_add(actor=clerk, court=world.court_a, date=date(2026, 12, 21), reason="Power outage")
    t.refresh_from_db()
    other.refresh_from_db()
    assert (t.response_due, t.response_due_moved_from) == (date(2026, 12, 22), date(2026, 12, 20))
    assert other.response_due == date(2026, 12, 21)  # another court's calendar
    entry = AuditEntry.objects.get(action="courts.closure.added")
    assert entry.data["tickets_redated"] == [t.ticket_number]
    services.closure_remove(actor=clerk, closure=closure)
    t.refresh_from_db()
    assert t.response_due == date(2026, 12, 21)
    assert AuditEntry.objects.get(action="courts.closure.removed").data["tickets_redated"] == [t.ticket_number]


def test_a_statewide_closure_counts_at_every_court(world):
    t = make_ticket(issued_at="2026-11-20T10:00:00-08:00", court_code=world.court_b.code)
    services.closure_add(actor=world.users["aoc"], court=None, date=date(2026, 12, 21), reason="Snow (GR 21)")
    t.refresh_from_db()
    assert (t.response_due, t.response_due_reason) == (date(2026, 12, 22), "weekend")


def test_a_closure_at_ingest_names_itself_as_the_reason(world):
    CourtClosure.objects.create(court=world.court_a, date=date(2026, 12, 31), reason="Snow closure (GR 21)")
    t = make_ticket(issued_at="2026-12-01T10:00:00-08:00")  # + 30: Thu Dec 31, then New Year's Day, weekend
    assert (t.response_due, t.response_due_reason) == (date(2027, 1, 4), "Snow closure (GR 21)")


# ---------------------------------------------------------------- the appearance the agency set


def test_an_appearance_on_a_closed_day_is_flagged_in_the_result_the_queue_the_ticket_and_the_dashboard(world):
    saturday = future_day(open_=False)
    rec = ticket(kind="criminal", in_custody=True, appearance={"at": at(saturday, 9), "location": "Room 1"})
    [result] = store_tickets([rec])
    assert AppearanceWarning.CLOSED_DAY in {w["code"] for w in result["warnings"]}
    t = Ticket.objects.get(ticket_number=rec["ticket_number"])
    assert t.appearance_warning == AppearanceWarning.CLOSED_DAY
    assert "falls on a day the court is closed" in t.appearance_warning_note
    clerk = world.client_for("clerk")
    queue = clerk.get("/courts/intake/")
    row = queue.content.decode()
    assert "Appearance on a closed day" in row and "In custody" in row
    assert queue.context["dash"]["appearance"] == 1
    assert [x.ticket_number for x in clerk.get("/courts/intake/?appearance=on").context["page"]] == [t.ticket_number]
    page = clerk.get(f"/courts/intake/tickets/{t.pk}/").content.decode()
    assert "In custody" in page and "Appearance on a closed day" in page
    assert "falls on a day the court is closed" in page and "the portal cannot change it" in page


def test_an_appearance_outside_court_hours_is_flagged(world):
    CourtCalendar.objects.create(court=world.court_a, opens_at=time(8, 0), closes_at=time(16, 30))
    day = future_day(open_=True)
    t = make_ticket(appearance={"at": at(day, 17, 0), "location": "Room 1"})
    assert t.appearance_warning == AppearanceWarning.OUTSIDE_HOURS
    assert "outside the court's hours (8:00 AM to 4:30 PM)" in t.appearance_warning_note
    fine = make_ticket(appearance={"at": at(day, 9, 0), "location": "Room 1"})
    assert (fine.appearance_warning, fine.appearance_warning_note) == ("", "")


def test_an_appearance_already_past_when_received_is_flagged(world):
    t = make_ticket(issued_at=recent(72), appearance={"at": recent(30), "location": "Room 1"})
    assert t.appearance_warning == AppearanceWarning.PAST
    assert "was already past when the ticket was received" in t.appearance_warning_note


def test_an_appearance_on_a_day_a_later_closure_closes_is_flagged_then(world):
    day = future_day(open_=True)
    t = make_ticket(appearance={"at": at(day, 9, 0), "location": "Room 1"})
    assert t.appearance_warning == ""
    services.closure_add(actor=world.users["clerk"], court=world.court_a, date=day, reason="Judicial conference")
    t.refresh_from_db()
    assert t.appearance_warning == AppearanceWarning.CLOSED_DAY
    assert "(Judicial conference)" in t.appearance_warning_note


def test_applying_an_amendment_checks_its_appearance_again(world):
    clerk = world.users["clerk"]
    t = make_ticket(appearance={"at": at(future_day(open_=False), 9), "location": "Room 1"})
    assert t.appearance_warning == AppearanceWarning.CLOSED_DAY
    raw = TicketVersion.objects.get(ticket=t).raw
    store_tickets([{**raw, "version": 2, "appearance": {"at": at(future_day(open_=True), 9), "location": "Room 1"}}])
    t = services.ticket_apply_amendment(ticket=Ticket.objects.get(pk=t.pk), actor=clerk)
    assert (t.appearance_warning, t.appearance_warning_note) == ("", "")
    entry = AuditEntry.objects.get(action="courts.ticket.amendment_applied")
    assert entry.changes["appearance_warning"] == [AppearanceWarning.CLOSED_DAY, ""]


@pytest.mark.parametrize("size", [25, 100])
def test_the_queue_keeps_its_query_count_with_flagged_rows(world, size, django_assert_max_num_queries):
    from django.core.cache import cache

    c = world.client_for("clerk")
    store_tickets([ticket() for _ in range(3)])
    cache.clear()
    with django_assert_max_num_queries(17) as few:
        c.get(f"/courts/intake/?size={size}")
    saturday = future_day(open_=False)
    store_tickets([ticket(appearance={"at": at(saturday, 9), "location": "Room 1"}) for _ in range(30)])
    cache.clear()
    with django_assert_max_num_queries(17) as many:
        body = c.get(f"/courts/intake/?size={size}").content.decode()
    assert "Appearance on a closed day" in body
    assert len(many.captured_queries) == len(few.captured_queries)
