"""Clerk actions through the services: guards, audit, no ticket ever discarded."""

import pytest
from django.core import mail

from citations.models import Ticket, TicketVersion
from citations.rules import available_actions
from courts import services
from courts.services import TicketActionError
from sector.core.models import AuditEntry
from tests.factories import PersonFactory
from tests.feed.factories import make_ticket, store_tickets


@pytest.fixture
def clerk(world):
    return world.users["clerk"]


def test_accepting_records_the_case_number_from_the_case_system(world, clerk):
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="d34-26-000123")
    assert t.status == "accepted" and t.case_number == "D34-26-000123" and not t.needs_clerk
    entry = AuditEntry.objects.for_object(t).get(action="courts.ticket.accepted")
    assert entry.changes["status"] == ["received", "accepted"] and entry.actor == clerk


def test_accepting_without_a_number_generates_one_from_the_court_pattern_unique_per_court(world, clerk):
    a = services.ticket_accept(ticket=make_ticket(), actor=clerk)
    b = services.ticket_accept(ticket=make_ticket(), actor=clerk)
    assert a.case_number.startswith("D34-") and a.case_number != b.case_number


def test_a_case_number_is_unique_per_court(world, clerk):
    services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-900001")
    with pytest.raises(TicketActionError, match="already used"):
        services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-900001")


def test_a_stale_form_is_refused_and_says_who_acted(world, clerk):
    t = make_ticket()
    services.ticket_refer(ticket=t, actor=clerk, question="Dismiss?", expected_revision=0)
    with pytest.raises(TicketActionError, match="referred to a judge"):
        services.ticket_accept(ticket=t, actor=world.users["admin"], expected_revision=0)


def test_transfer_moves_the_ticket_to_a_court_that_then_sees_it(world, clerk):
    t = services.ticket_transfer(ticket=make_ticket(), actor=clerk, court=world.court_b)
    assert t.court == world.court_b and t.transferred_from == world.court_a and t.status == "received"
    assert Ticket.objects.restrict(world.users["clerk2"]).filter(pk=t.pk).exists()
    assert not Ticket.objects.restrict(clerk).filter(pk=t.pk, court=world.court_a).exists()
    assert t.court_status_label == "Transferred"


def test_marking_a_duplicate_closes_the_copy_and_keeps_the_original(world, clerk):
    original, copy = make_ticket(), make_ticket()
    t = services.ticket_mark_duplicate(ticket=copy, actor=clerk, original=original)
    assert t.status == "duplicate" and t.duplicate_of == original and not t.needs_clerk
    original.refresh_from_db()
    assert original.status == "received"
    assert Ticket.objects.filter(pk=copy.pk).exists()


def test_requesting_a_correction_emails_the_lasa_and_officer_and_the_amendment_answers_it(
    world, clerk, django_capture_on_commit_callbacks
):
    officer = world.users["officer"]
    officer.email = "officer@example.test"
    officer.save()
    PersonFactory(agency=world.agency_a, personnel_number="1123", user=officer)
    t = make_ticket(ticket_number="5A7000001")
    with django_capture_on_commit_callbacks(execute=True):
        t = services.ticket_request_correction(ticket=t, actor=clerk, reason="defendant", note="Add the <b>address</b>")
    assert t.status == "correction_requested" and not t.needs_clerk and t.court == world.court_a
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"lasa@example.test", "officer@example.test"}
    assert "5A7000001" in mail.outbox[0].subject and "Add the <b>address</b>" in mail.outbox[0].body
    # The agency answers with version 2.
    v1 = TicketVersion.objects.get(ticket=t).raw
    store_tickets(
        [
            {
                **v1,
                "version": 2,
                "defendant": {
                    **v1["defendant"],
                    "address": {"line1": "2 Oak", "city": "Lacey", "state": "WA", "postal_code": "98503"},
                },
            }
        ]
    )
    t.refresh_from_db()
    assert t.amendment_pending and t.needs_clerk and t.status == "correction_requested"
    t = services.ticket_apply_amendment(ticket=t, actor=clerk)
    assert t.status == "received" and t.applied_version == 2 and not t.amendment_pending
    assert TicketVersion.objects.get(ticket=t, version=1).disposition == "superseded"
    assert TicketVersion.objects.get(ticket=t, version=2).disposition == "applied"


def test_apply_amendment_updates_the_typed_fields(world, clerk):
    t = make_ticket()
    raw = TicketVersion.objects.get(ticket=t).raw
    store_tickets([{**raw, "version": 2, "defendant": {**raw["defendant"], "last_name": "SMITH"}}])
    t.refresh_from_db()
    assert t.defendant_last_name == "DOE"
    assert "accept" not in available_actions(t)
    t = services.ticket_apply_amendment(ticket=t, actor=clerk)
    assert t.defendant_last_name == "SMITH"


def test_confirming_a_void_before_acceptance_keeps_the_ticket(world, clerk):
    t = make_ticket()
    raw = TicketVersion.objects.get(ticket=t).raw
    store_tickets([{**raw, "version": 2, "void": True, "void_reason": "Spoiled"}])
    t.refresh_from_db()
    assert available_actions(t) >= {"confirm_void"} and "accept" not in available_actions(t)
    t = services.ticket_confirm_void(ticket=t, actor=clerk)
    assert t.status == "void_confirmed" and not t.needs_clerk
    assert TicketVersion.objects.filter(ticket=t).count() == 2


def test_a_void_after_acceptance_goes_to_a_judge(world, clerk):
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk)
    raw = TicketVersion.objects.get(ticket=t).raw
    store_tickets([{**raw, "version": 2, "void": True, "void_reason": "Wrong driver"}])
    t.refresh_from_db()
    assert t.needs_clerk and "confirm_void" not in available_actions(t)
    t = services.ticket_refer(ticket=t, actor=clerk, question="Agency asks to void: wrong driver")
    assert t.status == "referred"
    t = services.ticket_record_decision(ticket=t, actor=clerk, decision="granted", note="Dismissed")
    assert t.status == "dismissed" and not t.void_requested and not t.needs_clerk


def test_a_denied_referral_returns_the_ticket_to_where_it_was(world, clerk):
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk)
    t = services.ticket_refer(ticket=t, actor=clerk, question="Dismiss?")
    t = services.ticket_record_decision(ticket=t, actor=clerk, decision="denied")
    assert t.status == "accepted" and t.case_number


def test_bulk_accept_reports_what_it_could_not_do(world, clerk):
    a, b = make_ticket(), make_ticket()
    services.ticket_refer(ticket=b, actor=clerk, question="?")
    done, problems = services.tickets_bulk_accept(tickets=[a, b], actor=clerk)
    assert [t.pk for t in done] == [a.pk] and len(problems) == 1


def test_a_clerk_of_another_court_cannot_act(world):
    with pytest.raises(TicketActionError, match="not at your court"):
        services.ticket_accept(ticket=make_ticket(), actor=world.users["clerk2"])


def test_actions_over_http_are_post_only_and_show_the_result(world, clerk):
    t = make_ticket()
    client = world.client_for("clerk")
    url = f"/courts/intake/tickets/{t.pk}/accept/"
    assert client.get(url).status_code == 405
    r = client.post(url, {"case_number": "", "revision": t.revision}, follow=True)
    assert r.status_code == 200 and b"filed as case D34-" in r.content
    r = client.post(url, {"case_number": "", "revision": t.revision}, follow=True)
    assert "cannot be filed now" in r.content.decode() or "filed ticket" in r.content.decode()


def test_the_detail_page_shows_versions_warnings_and_escapes_text(world, clerk):
    t = make_ticket(agency_case_number="<script>alert(1)</script>")
    make_ticket(ticket_number=t.ticket_number, agency_ori=world.agency_b.ori)
    r = world.client_for("clerk").get(f"/courts/intake/tickets/{t.pk}/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;" in body
    assert "Duplicate number" in body and "WDLABC123456" in body
    assert "Response due" in body


def test_the_pdf_renders(world, clerk):
    from io import BytesIO

    from pypdf import PdfReader

    t = make_ticket(defendant={"last_name": "<b>O'NEIL</b>"}, service="mail")
    r = world.client_for("clerk").get(f"/courts/intake/tickets/{t.pk}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(r.content)).pages[0].extract_text()
    assert t.ticket_number in text and "<b>O'NEIL</b>" in text


def test_closures_are_added_by_the_court_and_count_for_later_tickets(world, clerk):
    from datetime import date

    from courts.models import CourtClosure

    c = world.client_for("clerk")
    r = c.post("/courts/calendar/", {"court": world.court_a.pk, "date": "2026-12-24", "reason": "Early close"})
    assert r.status_code == 302
    closure = CourtClosure.objects.get()
    assert closure.court == world.court_a and closure.date == date(2026, 12, 24)
    # A clerk cannot add a statewide closure or one for another court.
    r = c.post("/courts/calendar/", {"court": world.court_b.pk, "date": "2026-12-26", "reason": "x"})
    assert r.status_code == 200 and CourtClosure.objects.count() == 1
    r = c.post("/courts/calendar/", {"court": "", "date": "2026-12-26", "reason": "x"})
    assert r.status_code == 200 and CourtClosure.objects.count() == 1
    # AOC may close every court.
    r = world.client_for("aoc").post("/courts/calendar/", {"court": "", "date": "2026-12-31", "reason": "Statewide"})
    assert r.status_code == 302 and CourtClosure.objects.filter(court__isnull=True).count() == 1
    assert "Christmas Day" in c.get("/courts/calendar/").content.decode()


def test_a_statewide_closure_is_shown_to_clerks_and_removed_only_by_aoc(world):
    from datetime import date

    from courts.models import CourtClosure

    closure = CourtClosure.objects.create(court=None, date=date(2026, 12, 28), reason="Ice storm")
    clerk = world.client_for("clerk")
    assert "Ice storm" in clerk.get("/courts/calendar/").content.decode()
    assert clerk.post(f"/courts/calendar/{closure.pk}/delete/").status_code == 403
    a_closure = CourtClosure.objects.create(court=world.court_a, date=date(2026, 12, 29), reason="Training day")
    assert world.client_for("clerk2").post(f"/courts/calendar/{a_closure.pk}/delete/").status_code == 404
    assert world.client_for("aoc").post(f"/courts/calendar/{closure.pk}/delete/").status_code == 302
    assert not CourtClosure.objects.filter(pk=closure.pk).exists()


def test_an_applied_amendment_naming_another_officer_moves_the_ticket_to_that_officer(world, clerk):
    from sector.orgs.models import Person

    first = Person.objects.create(first_name="J", last_name="Park", personnel_number="1123", agency=world.agency_a)
    other = Person.objects.create(first_name="L", last_name="Lane", personnel_number="2200", agency=world.agency_a)
    t = make_ticket()
    assert t.officer == first
    raw = TicketVersion.objects.get(ticket=t).raw
    store_tickets([{**raw, "version": 2, "officer": {**raw["officer"], "personnel_number": "2200"}}])
    t.refresh_from_db()
    assert t.officer == first  # a pending amendment changes nothing yet
    t = services.ticket_apply_amendment(ticket=t, actor=clerk)
    t.refresh_from_db()
    assert t.officer == other
