from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sector.accounts.models import User

from .choices import TicketStatus
from .models import NumberBlock, Ticket

AGENCY_LIST_FIELDS = (
    "id", "ticket_number", "kind", "status", "issued_at", "received_at", "late", "defendant_last_name",
    "defendant_first_name", "case_number", "court_id", "court__code", "court__name", "transferred_from_id",
    "correction_reason", "agency_id", "agency__name", "void_requested", "amendment_pending", "latest_version",
    "applied_version",
)  # fmt: skip


def agency_tickets(*, user: User, filters: dict[str, Any]) -> QuerySet[Ticket]:
    qs = Ticket.objects.restrict(user).select_related("court", "agency").only(*AGENCY_LIST_FIELDS)
    if filters.get("needs_action"):
        qs = qs.filter(status=TicketStatus.CORRECTION_REQUESTED, amendment_pending=False)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    q = (filters.get("q") or "").strip().upper()
    if q:
        qs = qs.filter(Q(ticket_number=q) | Q(defendant_last_name__istartswith=q))
    return qs


def needs_action_count(user: User) -> int:
    return (
        Ticket.objects.restrict(user).filter(status=TicketStatus.CORRECTION_REQUESTED, amendment_pending=False).count()
    )


def block_report(block: NumberBlock) -> dict[str, Any]:
    """Numbers of the block received, voided, not yet seen, and duplicates (same number from this agency
    sent again is one ticket by identity, so duplicates are closed duplicate transmissions and numbers
    another agency also used)."""
    width = len(block.prefix) + block.width
    numbers = {
        t.ticket_number: t
        for t in Ticket.objects.filter(
            agency_id=block.agency_id,
            ticket_number__startswith=block.prefix,
            ticket_number__gte=block.label_first,
            ticket_number__lte=block.label_last,
        ).only("ticket_number", "status", "void_requested")
        if len(t.ticket_number) == width and t.ticket_number[len(block.prefix) :].isdigit()
    }
    received = len(numbers)
    voided = sum(1 for t in numbers.values() if t.status == TicketStatus.VOID_CONFIRMED or t.void_requested)
    duplicates = sorted(n for n, t in numbers.items() if t.status == TicketStatus.DUPLICATE)
    other_agency = sorted(
        set(
            Ticket.objects.filter(ticket_number__in=list(numbers) or [""])
            .exclude(agency_id=block.agency_id)
            .values_list("ticket_number", flat=True)
        )
    )
    unseen = []
    if block.size <= 100_000:
        for n in range(block.first, block.last + 1):
            label = block.number(n)
            if label not in numbers:
                unseen.append(label)
    return {
        "size": block.size,
        "received": received,
        "voided": voided,
        "unseen_count": block.size - received,
        "unseen_sample": unseen[:200],
        "duplicates": duplicates + other_agency,
    }
