"""Accept through htmx: the actions card becomes the outcome and the status badge changes; errors stay in the
accept form; without htmx the full-page post goes on to the next ticket (issue 16)."""

from citations.models import Ticket
from tests.feed.factories import make_ticket

HX = {"HTTP_HX_REQUEST": "true"}


def test_accept_through_htmx_replaces_the_actions_with_the_outcome(as_persona, world):
    ticket = make_ticket(world)
    response = as_persona("clerk").post(
        f"/courts/intake/tickets/{ticket.pk}/accept/", {"revision": ticket.revision, "case_number": ""}, **HX
    )
    body = response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "accepted"
    assert "<html" not in body and f"filed as case <strong>{ticket.case_number}</strong>" in body
    assert 'id="ticket-status" hx-swap-oob="true"' in body


def test_a_bad_case_number_comes_back_in_the_accept_form(as_persona, world):
    ticket = make_ticket(world)
    response = as_persona("clerk").post(
        f"/courts/intake/tickets/{ticket.pk}/accept/", {"revision": ticket.revision, "case_number": "???"}, **HX
    )
    assert response["HX-Retarget"] == "#accept-region"
    assert "Accept and file" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status == "received"


def test_a_stale_form_is_refused_in_place(as_persona, world):
    ticket = make_ticket(world)
    response = as_persona("clerk").post(
        f"/courts/intake/tickets/{ticket.pk}/accept/", {"revision": ticket.revision + 5, "case_number": ""}, **HX
    )
    assert response["HX-Retarget"] == "#accept-region"
    assert Ticket.objects.get(pk=ticket.pk).status == "received"


def test_without_htmx_accept_goes_on_to_the_queue(as_persona, world):
    ticket = make_ticket(world)
    response = as_persona("clerk").post(f"/courts/intake/tickets/{ticket.pk}/accept/", {"revision": ticket.revision})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).status == "accepted"
