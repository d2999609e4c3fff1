"""A ticket's custody chain: signed by the officer, sent by the Back Office, received by the portal, filed
(GR 30), accepted by the court with its case number. Built from the ticket's own fields, its first version
and the clerk's audit entries: one query (the audit entries) on top of what the detail pages already load."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from sector.core.custody import Hop, after, hop
from sector.core.formatting import pacific
from sector.core.models import AuditEntry

from .choices import (
    CLOSED_STATUSES,
    CUSTODY_ACCEPT_DAYS,
    CUSTODY_RECEIVE_HOURS,
    CUSTODY_SEND_HOURS,
    TicketStatus,
)
from .rules import BEFORE_ACCEPTANCE

if TYPE_CHECKING:
    from .models import Ticket, TicketVersion

# The court's audit entries the chain reads (courts.services names them; citations only reads them).
ACCEPTED = "courts.ticket.accepted"
TRANSFERRED = "courts.ticket.transferred"


def accept_expected_by(received_at):
    return after(received_at, timedelta(days=CUSTODY_ACCEPT_DAYS))


def court_entries(ticket: Ticket) -> list[AuditEntry]:
    """The acceptance and transfer entries of one ticket, oldest first (one query, the audit object index)."""
    return list(
        AuditEntry.objects.for_object(ticket)
        .filter(action__in=(ACCEPTED, TRANSFERRED))
        .only("at", "actor_name", "action")
        .order_by("at", "id")
    )


def chain_for(ticket: Ticket, versions: Sequence[TicketVersion]) -> list[Hop]:
    """The chain for a detail page that has loaded the versions already: one query more."""
    return ticket_chain(ticket, versions, court_entries(ticket))


def ticket_chain(ticket: Ticket, versions: Sequence[TicketVersion], entries: Sequence[AuditEntry]) -> list[Hop]:
    now = timezone.now()
    first = min(versions, key=lambda v: v.version) if versions else None
    officer = ticket.officer_name or (first.officer_name if first else "")
    place = first.certification_place if first else ""
    sent_by = ticket.source_system or "the sending system"
    hops = [
        hop(
            "Signed by the officer",
            at=ticket.issued_at,
            by=officer,
            detail=f"Certified at {place}" if place else "",
        ),
        hop(
            "Sent by the Back Office",
            at=ticket.sent_at,
            by=sent_by,
            expected_by=after(ticket.issued_at, timedelta(hours=CUSTODY_SEND_HOURS)),
            optional=True,
        ),
        hop(
            "Received by the portal",
            at=ticket.received_at,
            by="SECTOR Program Portal",
            detail=f"Acknowledged to {sent_by} in the batch answer",
            expected_by=after(ticket.sent_at, timedelta(hours=CUSTODY_RECEIVE_HOURS)),
        ),
    ]
    if ticket.filing_date:
        hops.append(
            hop(
                "Filed (GR 30)",
                at=ticket.received_at,
                by=ticket.court.name,
                detail=f"Filing date {ticket.filing_date:%b} {ticket.filing_date.day}, {ticket.filing_date.year}"
                + (f"; deadline {pacific(ticket.deadline_at)}" if ticket.deadline_at else "")
                + ("; late" if ticket.late else ""),
                expected_by=ticket.deadline_at,
            )
        )
    for e in entries:
        if e.action == TRANSFERRED:
            hops.append(hop("Transferred to another court", at=e.at, by=e.actor_name))
    accepted = next((e for e in reversed(entries) if e.action == ACCEPTED), None)
    label = "Accepted by the court"
    if ticket.accepted_at:
        hops.append(
            hop(
                label,
                at=ticket.accepted_at,
                by=accepted.actor_name if accepted else (ticket.court.name),
                detail=f"Case {ticket.case_number}" if ticket.case_number else "",
                expected_by=accept_expected_by(ticket.received_at),
            )
        )
    elif ticket.status in CLOSED_STATUSES:
        hops.append(hop(label, at=None, closed=True, detail=f"Closed: {ticket.get_status_display().lower()}"))
    elif ticket.status == TicketStatus.REFERRED:
        hops.append(hop(label, at=None, optional=True, detail="Referred to a judge first"))
    else:
        hops.append(
            hop(
                label,
                at=None,
                by=ticket.court.name,
                detail="Waiting in the court's intake queue"
                + (" (correction requested)" if ticket.status == TicketStatus.CORRECTION_REQUESTED else ""),
                expected_by=accept_expected_by(ticket.received_at),
                now=now,
            )
        )
    return hops


def awaiting_acceptance_q():
    """Tickets the court has not accepted yet and still owes a decision (for the overdue list)."""
    from django.db.models import Q

    return Q(status__in=list(BEFORE_ACCEPTANCE), accepted_at__isnull=True)


# --- the overdue list on the feed screens -----------------------------------------------------------------


def _overdue_tickets(user, now):
    from .models import Ticket

    return (
        Ticket.objects.restrict(user)
        .filter(awaiting_acceptance_q(), received_at__lt=now - timedelta(days=CUSTODY_ACCEPT_DAYS))
        .select_related("agency", "court")
        .only("id", "ticket_number", "received_at", "status", "agency__name", "court__name")
    )


def _overdue_row(t):
    from sector.feed.registry import OverdueRow

    return OverdueRow(
        record=f"Ticket {t.ticket_number} ({t.agency.name})",
        url=reverse("citations:ticket_detail", kwargs={"pk": t.pk}),
        where=f"{t.court.name} ({t.get_status_display().lower()})",
        since=t.received_at,
        expected_by=accept_expected_by(t.received_at),
    )


def overdue_source():
    from sector.feed.registry import OverdueSource

    return OverdueSource(
        key="tickets",
        label="Tickets not accepted",
        hop="Accepted by the court with its case number",
        expectation=f"{CUSTODY_ACCEPT_DAYS} days after the portal received the ticket",
        queryset=_overdue_tickets,
        order=("received_at", "id"),
        row=_overdue_row,
        perm="citations.view_ticket",
    )
