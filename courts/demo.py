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
    if len(tickets) > 29:
        # A number typed from the court's case system with two digits swapped, then corrected: the history
        # shows the number before and after, and why.
        from django.utils import timezone

        form, _ = services.case_number_form(tickets[29].court)
        now = timezone.localtime()
        filed = services.ticket_accept(ticket=tickets[29], actor=clerk, case_number=form.format(seq=900012, when=now))
        services.ticket_correct_case_number(
            ticket=filed,
            actor=clerk,
            case_number=form.format(seq=900021, when=now),
            reason="The last two digits were swapped when typed from the case system.",
        )
    if len(tickets) > 30:
        # One sent on to the Olympia Municipal Court: D34 still finds it (read only) by searching.
        from sector.orgs.models import Court

        olympia = Court.objects.filter(code="M34OLY", accepts_etickets=True).first()
        if olympia is not None:
            services.ticket_transfer(
                ticket=tickets[30], actor=clerk, court=olympia, note="Within Olympia city limits: municipal court."
            )
    if stdout:
        stdout.write(f"  clerk work on {min(len(tickets), 31)} tickets at D34")
