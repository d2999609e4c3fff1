"""Tickets waiting at each court's clerk, for the outage burn-down (sector/feed/outages.py, issue 16 item 4)."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from sector.feed.registry import BacklogRow

from .choices import TicketStatus
from .models import Ticket


def ticket_backlog(*, since) -> tuple[str, list[BacklogRow]]:
    """Per court (one grouped query): tickets received and not yet acted on, those that arrived since `since`,
    and those a clerk acted on since then."""
    waiting = Q(status=TicketStatus.RECEIVED)
    rows = (
        Ticket.objects.filter(waiting | Q(received_at__gte=since) | Q(last_action_at__gte=since))
        .values("court__name")
        .annotate(
            waiting=Count("id", filter=waiting),
            arrived=Count("id", filter=Q(received_at__gte=since)),
            cleared=Count("id", filter=Q(last_action_at__gte=since) & ~waiting),
            oldest=Min("received_at", filter=waiting),
        )
        .order_by("-waiting", "court__name")
    )
    return "Tickets waiting at each court", [
        BacklogRow(r["court__name"], r["waiting"], r["arrived"], r["cleared"], r["oldest"]) for r in rows
    ]
