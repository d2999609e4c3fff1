"""seed_demo: some clerk work on the demo tickets at D34, so every screen has real content."""

from __future__ import annotations


def seed_intake(*, stdout=None) -> None:
    from citations.models import Ticket
    from sector.accounts.models import User

    from . import services

    clerk = User.objects.filter(username="clerk").first()
    if clerk is None or Ticket.objects.filter(court__code="D34").exclude(status="received").exists():
        return
    tickets = list(
        Ticket.objects.filter(
            court__code="D34", status="received", amendment_pending=False, void_requested=False
        ).order_by("received_at", "id")[:40]
    )
    for t in tickets[:25]:
        services.ticket_accept(ticket=t, actor=clerk)
    for t in tickets[25:27]:
        services.ticket_request_correction(
            ticket=t,
            actor=clerk,
            reason="defendant",
            note="The defendant's address is incomplete; send the full address.",
        )
    if len(tickets) > 28:
        services.ticket_refer(
            ticket=tickets[28], actor=clerk, question="Officer asks whether the speed count can be dismissed."
        )
    if stdout:
        stdout.write(f"  clerk work on {min(len(tickets), 29)} tickets at D34")
