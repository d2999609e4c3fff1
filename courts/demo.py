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


# The counter's demo: a defendant with two tickets at D34 whose license the sample barcode below reads (a
# Washington card, AAMVA version 10). `make run` offers the sample on the counter page (DEBUG only), so the
# lookup can be tried without a scanner.
DEMO_LICENCE = {"number": "WDLRIVERMA123", "state": "WA", "commercial": False}
DEMO_SCAN = (
    "@\n\x1e\rANSI 636045100002DL00410273ZW03140015DLDCAC\nDCBNONE\nDCDNONE\nDBA08152030\nDCSRIVERA\nDACMARIA\n"
    "DADELENA\nDBD08152022\nDBB03141990\nDBC2\nDAYBRO\nDAU064 IN\nDAG1500 JEFFERSON ST SE\nDAIOLYMPIA\nDAJWA\n"
    "DAK985010000  \nDAQWDLRIVERMA123\nDCFWDLRIVERMA12320220815\nDCGUSA\nDDEN\nDDFN\nDDGN\nDAZBLK\n"
    "DCK22227WDL0000001\nDDAF\nDDB12102019\n\rZWZWAWAHQ\nZWBY\r"
)


def seed_counter(*, stdout=None) -> None:
    import json
    import random
    from datetime import timedelta

    from django.utils import timezone

    from citations.demo import SENDERS, ticket_record
    from citations.demo_seed import DEMO_SYSTEM
    from citations.models import Ticket
    from sector.feed.models import FeedCredential
    from sector.feed.services import batch_ingest, parse_envelope

    if Ticket.objects.filter(licence_number=DEMO_LICENCE["number"]).exists():
        return
    credential = FeedCredential.objects.filter(system=DEMO_SYSTEM, revoked_at__isnull=True).first()
    sender = next((s for s in SENDERS if s[0] == "WA0340100"), None)
    if credential is None or sender is None:
        return
    rng = random.Random(16)
    now = timezone.now()
    records = []
    for i, days in enumerate((40, 2)):
        rec = ticket_record(
            rng, number=f"5A{990100 + i:07d}", ori=sender[0], officer=sender[2][0], court="D34",
            issued=now - timedelta(days=days, hours=3),
        )  # fmt: skip
        rec["defendant"].update(
            last_name="RIVERA", first_name="MARIA", middle_name="ELENA", date_of_birth="1990-03-14", sex="F",
            licence=DEMO_LICENCE,
        )  # fmt: skip
        records.append(rec)
    body = json.dumps({"batch_id": "DEMO-COUNTER-0001", "sent_at": now.isoformat(), "records": records}).encode()
    batch_ingest(credential=credential, envelope=parse_envelope(body), received_at=now - timedelta(hours=1))
    if stdout:
        stdout.write("  counter demo: two tickets for the sample license at D34")
