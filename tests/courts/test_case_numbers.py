"""Case numbers a court can rely on, and clerk actions that cannot slip (issue 11, items 3, 6 and 14)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from citations.models import Ticket
from courts import services
from courts.case_numbers import CaseNumberForm
from courts.models import ClerkPreference, CourtCalendar
from courts.services import CaseNumberError, TicketActionError
from sector.core.models import AuditEntry
from tests.feed.factories import make_ticket

PT = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def clerk(world):
    return world.users["clerk"]


@pytest.mark.parametrize(
    "pattern, good, bad, form",
    [
        (
            "{court}-{yy}-{seq:06d}",
            ["D34-26-000123", "d34-27-1234567"],
            ["D34-26-123", "D35-26-000123", "X-1"],
            "D34-YY-NNNNNN",
        ),
        ("{yyyy}{court}{seq:05d}", ["2026D3400042"], ["26D3400042", "2026D34042"], "YYYYD34NNNNN"),
        ("IN{yy}.{seq}", ["IN26.7", "in26.12345"], ["IN26-7", "IN2.7"], "IN.YY.N".replace(".YY.", "YY.")),
    ],
)
def test_the_court_pattern_reads_both_ways(pattern, good, bad, form):
    f = CaseNumberForm(pattern=pattern, court_code="D34")
    assert all(f.matches(n) for n in good) and not any(f.matches(n) for n in bad)
    assert f.placeholder == form
    assert f.matches(f.format(seq=42, when=datetime(2026, 3, 1, tzinfo=PT)))


def test_a_typed_case_number_that_does_not_fit_the_court_form_is_refused_with_the_expected_form(world, clerk):
    t = make_ticket()
    with pytest.raises(CaseNumberError) as exc:
        services.ticket_accept(ticket=t, actor=clerk, case_number="26-123")
    assert "D34-YY-NNNNNN" in str(exc.value) and "for example D34-" in str(exc.value)
    t.refresh_from_db()
    assert t.status == "received" and not t.case_number


def test_the_accept_form_shows_the_error_beside_the_field_and_keeps_what_was_typed(world, clerk):
    t = make_ticket()
    c = world.client_for("clerk")
    assert "in the form D34-YY-NNNNNN" in c.get(f"/courts/intake/tickets/{t.pk}/").content.decode()
    r = c.post(f"/courts/intake/tickets/{t.pk}/accept/", {"case_number": "26-123", "revision": t.revision})
    body = r.content.decode()
    assert r.status_code == 200 and "does not match D34" in body and 'value="26-123"' in body
    assert Ticket.objects.get(pk=t.pk).status == "received"


def test_a_clerk_corrects_a_filed_case_number_with_a_reason_and_the_audit_keeps_both(world, clerk):
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-000120")
    t = services.ticket_correct_case_number(
        ticket=t, actor=clerk, case_number="d34-26-000210", reason="Digits swapped when typed."
    )
    assert t.case_number == "D34-26-000210" and t.status == "accepted"
    entry = AuditEntry.objects.for_object(t).get(action="courts.ticket.case_number_corrected")
    assert entry.changes["case_number"] == ["D34-26-000120", "D34-26-000210"]
    assert entry.data["reason"] == "Digits swapped when typed." and entry.actor == clerk


def test_a_correction_needs_a_reason_a_filed_ticket_a_fitting_and_free_number(world, clerk):
    open_ticket = make_ticket()
    with pytest.raises(TicketActionError, match="cannot be corrected the case number"):
        services.ticket_correct_case_number(ticket=open_ticket, actor=clerk, case_number="D34-26-000001", reason="x")
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-000300")
    services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-000301")
    with pytest.raises(TicketActionError, match="Say why"):
        services.ticket_correct_case_number(ticket=t, actor=clerk, case_number="D34-26-000302", reason=" ")
    with pytest.raises(CaseNumberError, match="D34-YY-NNNNNN"):
        services.ticket_correct_case_number(ticket=t, actor=clerk, case_number="302", reason="typo")
    with pytest.raises(CaseNumberError, match="already used"):
        services.ticket_correct_case_number(ticket=t, actor=clerk, case_number="D34-26-000301", reason="typo")
    with pytest.raises(TicketActionError, match="not at your court"):
        services.ticket_correct_case_number(
            ticket=t, actor=world.users["clerk2"], case_number="D34-26-000399", reason="typo"
        )


def test_the_correction_screen_on_the_ticket_page(world, clerk):
    t = services.ticket_accept(ticket=make_ticket(), actor=clerk, case_number="D34-26-000500")
    c = world.client_for("clerk")
    url = f"/courts/intake/tickets/{t.pk}/case-number/"
    assert "Correct the case number" in c.get(f"/courts/intake/tickets/{t.pk}/").content.decode()
    r = c.post(url, {"case_number": "bad", "reason": "typo", "revision": t.revision})
    assert r.status_code == 200 and "does not match D34" in r.content.decode()
    r = c.post(url, {"case_number": "D34-26-000505", "reason": "typo", "revision": t.revision}, follow=True)
    assert "Case number corrected from D34-26-000500 to D34-26-000505." in r.content.decode()
    assert "Digits" not in r.content.decode() and Ticket.objects.get(pk=t.pk).case_number == "D34-26-000505"


def test_bulk_accept_lists_the_numbers_it_will_give_asks_and_then_says_what_it_gave(world, clerk):
    calendar, _ = CourtCalendar.objects.get_or_create(court=world.court_a)
    calendar.next_case_seq = 41
    calendar.save()
    a, b = make_ticket(), make_ticket()
    c = world.client_for("clerk")
    yy = f"{datetime.now(PT).year % 100:02d}"
    r = c.post("/courts/intake/accept/", {"ids": [a.pk, b.pk]})
    body = r.content.decode()
    assert r.status_code == 200 and "Accept 2 tickets?" in body
    assert f"Ticket {a.ticket_number} (D34) → case D34-{yy}-000041" in body
    assert f"Ticket {b.ticket_number} (D34) → case D34-{yy}-000042" in body
    assert Ticket.objects.filter(status="accepted").count() == 0  # nothing done before confirming
    r = c.post("/courts/intake/accept/", {"ids": [a.pk, b.pk], "confirmed": "1"}, follow=True)
    assert f"{a.ticket_number} → D34-{yy}-000041" in r.content.decode()
    assert set(Ticket.objects.filter(status="accepted").values_list("pk", flat=True)) == {a.pk, b.pk}


def test_bulk_accept_all_on_this_page_takes_every_eligible_row_shown(world, clerk):
    tickets = [make_ticket() for _ in range(3)]
    services.ticket_refer(ticket=tickets[2], actor=clerk, question="?")
    c = world.client_for("clerk")
    page = c.get("/courts/intake/")
    assert sorted(page.context["bulk_ids"]) == sorted(t.pk for t in tickets[:2])
    assert "Select all on this page" in page.content.decode()
    data = {"all_on_page": "1", "page_ids": page.context["bulk_ids"], "ids": [], "confirmed": "1"}
    c.post("/courts/intake/accept/", data)
    assert {t.pk for t in Ticket.objects.filter(status="accepted")} == {t.pk for t in tickets[:2]}


def test_transfer_and_mark_duplicate_ask_first_and_name_what_will_happen(world, clerk):
    t, original = make_ticket(), make_ticket()
    c = world.client_for("clerk")
    url = f"/courts/intake/tickets/{t.pk}/transfer/"
    r = c.post(url, {"court": world.court_b.pk, "revision": t.revision})
    assert r.status_code == 200 and f"Transfer ticket {t.ticket_number} to {world.court_b.name}?" in r.content.decode()
    assert Ticket.objects.get(pk=t.pk).court == world.court_a
    url = f"/courts/intake/tickets/{t.pk}/duplicate/"
    r = c.post(url, {"original": original.ticket_number, "revision": t.revision})
    assert "duplicate transmission of ticket " + original.ticket_number in r.content.decode()
    assert Ticket.objects.get(pk=t.pk).status == "received"
    c.post(url, {"original": original.ticket_number, "revision": t.revision, "confirmed": "1"})
    assert Ticket.objects.get(pk=t.pk).status == "duplicate"
    t2 = make_ticket()
    c.post(f"/courts/intake/tickets/{t2.pk}/transfer/", {"court": world.court_b.pk, "revision": 0, "confirmed": "1"})
    assert Ticket.objects.get(pk=t2.pk).court == world.court_b


def test_next_ticket_follows_queue_order_and_accept_goes_straight_to_it(world, clerk):
    first, second, third = make_ticket(), make_ticket(), make_ticket()
    c = world.client_for("clerk")
    r = c.get(f"/courts/intake/tickets/{first.pk}/")
    assert r.context["next_ticket"].pk == second.pk and "Next ticket" in r.content.decode()
    assert c.get(f"/courts/intake/tickets/{third.pk}/").context["next_ticket"].pk == first.pk  # wraps to the top
    r = c.post(f"/courts/intake/tickets/{first.pk}/accept/", {"case_number": "", "revision": first.revision})
    assert r.status_code == 302 and r.url == f"/courts/intake/tickets/{second.pk}/"
    r = c.post(f"/courts/intake/tickets/{third.pk}/accept/", {"case_number": "", "revision": third.revision})
    assert r.url == f"/courts/intake/tickets/{second.pk}/"
    r = c.post(f"/courts/intake/tickets/{second.pk}/accept/", {"case_number": "", "revision": second.revision})
    assert r.url == "/courts/intake/"  # nothing else waits


def test_compact_mode_is_remembered_per_user(world, clerk):
    c = world.client_for("clerk")
    assert not c.get("/courts/intake/").context["compact"]
    r = c.post("/courts/intake/compact/", {"compact": "1", "next": "/courts/intake/?sort=defendant"})
    assert r.url == "/courts/intake/?sort=defendant"
    assert ClerkPreference.objects.get(user=clerk).compact
    assert "queue-compact" in world.client_for("clerk").get("/courts/intake/").content.decode()
    assert not world.client_for("clerk2").get("/courts/intake/").context["compact"]
    assert c.post("/courts/intake/compact/", {"compact": "0", "next": "https://evil.example/"}).url == "/courts/intake/"
    assert not ClerkPreference.objects.get(user=clerk).compact


def test_a_pattern_with_an_unknown_placeholder_is_refused_when_saved(world):
    from django.core.exceptions import ValidationError

    calendar = CourtCalendar(court=world.court_a, case_number_pattern="{court}-{month}-{seq}")
    with pytest.raises(ValidationError, match="unknown placeholder"):
        calendar.full_clean()
    CourtCalendar(court=world.court_a, case_number_pattern="{yyyy}-{seq:05d}").full_clean()
