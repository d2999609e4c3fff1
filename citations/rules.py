"""The ticket's rules, written once: its status machine, when it needs a clerk, and what follows from its
applied version.

Why citations owns them: the ticket's state (status, pending amendment, void request, `needs_clerk`, the
typed columns of the applied version) is the citations model, and two doors change it: feed ingest
(citations) and the clerk's actions (courts). The only allowed arrow between them is courts → citations,
so the rules both doors must obey can live only on the citations side; courts' services call them inside
their lock and keep what is the court's own (who may act, case numbers, the filing calendar, e-mails,
the audit entry). A rule written here holds whichever door a change comes through, and a new status or
action is one edit in this file rather than one in each app.

Nothing here writes: services do (citations/ingest.py, courts/services.py). The functions take the
ticket's values rather than a model instance where ingest has only a row, so ingest and the clerk's
actions compute `needs_clerk` with the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sector.core.calendar import PACIFIC

from .choices import CLOSED_STATUSES, JUVENILE_AGE, ReferralDecision, TicketKind, TicketStatus

if TYPE_CHECKING:
    from .models import Ticket

INITIAL_STATUS = TicketStatus.RECEIVED
BEFORE_ACCEPTANCE = frozenset({TicketStatus.RECEIVED, TicketStatus.CORRECTION_REQUESTED})
NOT_CLOSED = frozenset(TicketStatus) - frozenset(CLOSED_STATUSES)


@dataclass(frozen=True)
class Transition:
    """A clerk action: the statuses it may start from, a guard on the ticket's flags, and where it leads.

    `to` None: the action decides the status from its own input (`next_status`).
    """

    sources: frozenset[str]
    to: str | None
    requires_void_request: bool | None = None  # True: only with a void request; False: only without one
    requires_amendment: bool | None = None  # likewise for a pending amendment


TRANSITIONS: dict[str, Transition] = {
    # A pending amendment or void request must be settled before the ticket is filed.
    "accept": Transition(
        BEFORE_ACCEPTANCE, TicketStatus.ACCEPTED, requires_void_request=False, requires_amendment=False
    ),
    "transfer": Transition(BEFORE_ACCEPTANCE, TicketStatus.RECEIVED),
    "duplicate": Transition(BEFORE_ACCEPTANCE, TicketStatus.DUPLICATE),
    "confirm_void": Transition(BEFORE_ACCEPTANCE, TicketStatus.VOID_CONFIRMED, requires_void_request=True),
    "request_correction": Transition(frozenset({TicketStatus.RECEIVED}), TicketStatus.CORRECTION_REQUESTED),
    "refer": Transition(frozenset({TicketStatus.RECEIVED, TicketStatus.ACCEPTED}), TicketStatus.REFERRED),
    # Granted: dismissed; denied: back where it was before the referral.
    "decide": Transition(frozenset({TicketStatus.REFERRED}), None),
    # The amended version answers a correction request; otherwise the status stays.
    "apply_amendment": Transition(NOT_CLOSED, None, requires_amendment=True),
}


def _flag_ok(required: bool | None, value: bool) -> bool:
    return required is None or required == bool(value)


def allows(ticket: Ticket, action: str) -> bool:
    """The guard predicate of one action (`Ticket.can_be_accepted()` and friends call this)."""
    transition = TRANSITIONS.get(action)
    return (
        transition is not None
        and ticket.status in transition.sources
        and _flag_ok(transition.requires_void_request, ticket.void_requested)
        and _flag_ok(transition.requires_amendment, ticket.amendment_pending)
    )


def available_actions(ticket: Ticket) -> set[str]:
    """The one answer to "what may a clerk do with this ticket now" (buttons and POST checks both use it)."""
    return {action for action in TRANSITIONS if allows(ticket, action)}


def next_status(ticket: Ticket, action: str, *, decision: str = "") -> str:
    """The status `action` leads to from the ticket's current state (checked with `allows` first)."""
    transition = TRANSITIONS[action]
    if transition.to is not None:
        return transition.to
    if action == "decide":
        if decision == ReferralDecision.GRANTED:
            return TicketStatus.DISMISSED
        return ticket.status_before_referral or TicketStatus.RECEIVED
    if ticket.status == TicketStatus.CORRECTION_REQUESTED:  # apply_amendment
        return TicketStatus.RECEIVED
    return ticket.status


def needs_clerk(*, status: str, amendment_pending: bool, void_requested: bool) -> bool:
    """Whether something waits for the court's clerk (the intake queue is the tickets for which this holds).

    An open ticket the court has not decided yet, or any not-closed ticket with an amendment or a void
    request to settle; a closed ticket never.
    """
    if status in CLOSED_STATUSES:
        return False
    return status in (TicketStatus.RECEIVED, TicketStatus.REFERRED) or amendment_pending or void_requested


# ---------------------------------------------------------------- what follows from the applied version


def search_key(value: str | None) -> str:
    """How plates and agency case numbers are stored for search and how a query is compared with them:
    upper case, without spaces or hyphens ("abc-1234" finds "ABC 1234")."""
    return (value or "").upper().replace(" ", "").replace("-", "")


def _age_on(dob, day) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def queue_position(*, kind: str, in_custody: bool, appearance_at, received_at) -> tuple[int, datetime]:
    """Queue order: 0 in-custody criminal, 1 set appearance (soonest first), 2 the rest (oldest first)."""
    if kind == TicketKind.CRIMINAL and in_custody:
        return 0, received_at
    if appearance_at is not None:
        return 1, appearance_at
    return 2, received_at


def typed_ticket_fields(t: dict[str, Any]) -> dict[str, Any]:
    """The Ticket columns copied from a checked version (`validation.check_ticket`'s typed dict), so the
    queue, search and lists read the applied version without opening its JSON."""
    defendant = t["defendant"]
    licence = defendant.get("licence") or {}
    appearance = t["appearance"] or {}
    return {
        "kind": t["kind"],
        "issued_at": t["issued_at"],
        "service": t["service"],
        "in_custody": t["in_custody"],
        "appearance_at": appearance.get("at"),
        "defendant_last_name": defendant["last_name"],
        "defendant_first_name": defendant.get("first_name") or "",
        "defendant_dob": defendant.get("date_of_birth"),
        "licence_number": licence.get("number") or "",
        "licence_state": licence.get("state") or "",
        "plate": search_key((t.get("vehicle") or {}).get("plate"))[:12],
        "agency_case_number": search_key(t.get("agency_case_number"))[:60],
        "officer_name": t["officer"]["name"],
        "juvenile": bool(
            defendant.get("date_of_birth")
            and _age_on(defendant["date_of_birth"], t["issued_at"].astimezone(PACIFIC).date()) < JUVENILE_AGE
        ),
    }
