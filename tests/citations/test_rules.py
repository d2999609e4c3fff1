"""The ticket's rules in one place (citations/rules.py): the status machine and `needs_clerk`."""

import itertools

import pytest

from citations.choices import CLOSED_STATUSES, TicketStatus
from citations.models import Ticket, TicketVersion
from citations.rules import TRANSITIONS, available_actions, needs_clerk, next_status
from tests.feed.factories import make_ticket, store_tickets

STATES = list(itertools.product(TicketStatus.values, [False, True], [False, True]))


def _ticket(status, amendment_pending=False, void_requested=False, **kw):
    return Ticket(status=status, amendment_pending=amendment_pending, void_requested=void_requested, **kw)


@pytest.mark.parametrize(
    ("status", "amendment", "void", "expected"),
    [
        ("received", False, False, {"accept", "transfer", "duplicate", "request_correction", "refer"}),
        ("received", True, False, {"apply_amendment", "transfer", "duplicate", "request_correction", "refer"}),
        ("received", False, True, {"confirm_void", "transfer", "duplicate", "request_correction", "refer"}),
        ("correction_requested", False, False, {"accept", "transfer", "duplicate"}),
        ("correction_requested", True, False, {"apply_amendment", "transfer", "duplicate"}),
        ("accepted", False, True, {"refer"}),
        ("accepted", True, False, {"refer", "apply_amendment"}),
        ("referred", True, False, {"decide", "apply_amendment"}),
        ("duplicate", True, True, set()),
        ("void_confirmed", False, False, set()),
        ("dismissed", True, False, set()),
    ],
)
def test_the_actions_a_clerk_may_take_follow_the_status_machine(status, amendment, void, expected):
    ticket = _ticket(status, amendment, void)
    assert available_actions(ticket) == expected == ticket.available_actions()
    assert ticket.can_be_accepted() == ("accept" in expected)


@pytest.mark.parametrize(("status", "amendment", "void"), STATES)
def test_a_closed_ticket_never_needs_a_clerk_and_an_undecided_one_always_does(status, amendment, void):
    result = needs_clerk(status=status, amendment_pending=amendment, void_requested=void)
    if status in CLOSED_STATUSES:
        assert result is False
    elif status in ("received", "referred") or amendment or void:
        assert result is True
    else:
        assert result is False
    assert _ticket(status, amendment, void).clerk_is_needed() == result


@pytest.mark.parametrize(("status", "amendment", "void"), STATES)
def test_every_allowed_action_leads_to_a_status(status, amendment, void):
    ticket = _ticket(status, amendment, void, status_before_referral="accepted")
    for action in available_actions(ticket):
        assert next_status(ticket, action, decision="denied") in TicketStatus.values


def test_decisions_and_amendments_pick_their_status_from_the_ticket():
    referred = _ticket("referred", status_before_referral="accepted")
    assert next_status(referred, "decide", decision="granted") == "dismissed"
    assert next_status(referred, "decide", decision="denied") == "accepted"
    assert next_status(_ticket("referred"), "decide", decision="denied") == "received"
    assert next_status(_ticket("correction_requested", True), "apply_amendment") == "received"
    assert next_status(_ticket("accepted", True), "apply_amendment") == "accepted"
    assert set(TRANSITIONS) == {
        "accept", "transfer", "duplicate", "request_correction", "refer", "decide", "confirm_void", "apply_amendment",
    }  # fmt: skip


@pytest.mark.django_db
def test_ingest_stores_the_same_needs_clerk_the_rules_compute(world):
    t = make_ticket()
    assert t.needs_clerk == t.clerk_is_needed() is True
    raw = TicketVersion.objects.get(ticket=t).raw
    store_tickets([{**raw, "version": 2, "void": True, "void_reason": "Spoiled"}])
    t.refresh_from_db()
    assert t.void_requested and t.needs_clerk == t.clerk_is_needed() is True
