"""seed_demo: a few hundred tickets through the feed's ingest service, then some clerk work on them."""

from __future__ import annotations

import json
import random
from datetime import timedelta

from django.utils import timezone

from .demo import LIVE_SENDERS, PT, generate

DEMO_SYSTEM = "WSP-BACKOFFICE-DEMO"
# A scoped sender: TraCS, piloting with Olympia PD, may send Olympia's tickets only.
DEMO_SCOPED_SYSTEM = "TRACS-PILOT-DEMO"


def _send(credential, batch_id, records, received_at):
    from sector.feed.services import batch_ingest, parse_envelope

    body = json.dumps({"batch_id": batch_id, "sent_at": received_at.isoformat(), "records": records}).encode()
    return batch_ingest(credential=credential, envelope=parse_envelope(body), received_at=received_at)[1]


def _appearances_to_check(pairs) -> None:
    """Two recent D34 tickets whose appearance the court cannot keep as sent, so the intake queue shows its
    warnings: one set for a Saturday, one already past when the ticket arrived."""
    recent_d34 = [(rec, received) for rec, received in pairs if rec["court_code"] == "D34"][-6:-4]
    for (rec, received), when in zip(recent_d34, ("saturday", "past"), strict=False):
        local = received.astimezone(PT)
        if when == "saturday":
            day = local + timedelta(days=3)
            day += timedelta(days=(5 - day.weekday()) % 7)
        else:
            day = local - timedelta(days=1)
        at = day.replace(hour=9, minute=0, second=0, microsecond=0)
        rec["appearance"] = {"at": at.isoformat(), "location": "Courtroom 2"}


def seed_tickets(*, stdout=None) -> None:
    from sector.feed.models import Batch, FeedCredential
    from sector.orgs.models import Agency

    from .models import NumberBlock, Ticket

    credential = FeedCredential.objects.filter(system=DEMO_SYSTEM).first()
    if credential is None:
        from sector.feed.services import credential_create

        # The Back Office is the statewide sender: tickets for every agency.
        credential, _ = credential_create(system=DEMO_SYSTEM, record_types=["ticket"], agencies=None)
    if Batch.objects.filter(system=DEMO_SYSTEM).exists():
        if stdout:
            stdout.write("  demo tickets already sent")
        return
    rng = random.Random(4)
    now = timezone.now()
    pairs = generate(rng, count=320, start=100000, now=now, senders=LIVE_SENDERS)
    _appearances_to_check(pairs)
    # Batches of about 20, in receipt order; the batch's receipt time is its last record's.
    for b in range(0, len(pairs), 20):
        chunk = pairs[b : b + 20]
        _send(credential, f"DEMO-{b // 20:04d}", [r for r, _ in chunk], chunk[-1][1])
    records = {r["ticket_number"]: r for r, _ in pairs}
    recent = now - timedelta(hours=3)
    # Amendments and void requests, duplicates re-sent, unknown courts (feed exceptions).
    numbers = sorted(records)
    amended = [dict(records[n], version=2, agency_case_number="AMENDED-" + n[-4:]) for n in numbers[5:12]]
    voided = [dict(records[n], version=2, void=True, void_reason="Spoiled: wrong vehicle") for n in numbers[20:24]]
    resent = [records[n] for n in numbers[40:45]]
    unknown = [dict(records[n], ticket_number="9X" + n[2:], court_code="M99XXX") for n in numbers[60:66]]
    # Olympia's numbers sent by Spokane (number accountability shows them), filed where Spokane is live.
    other_agency = [
        dict(records[n], agency_ori="WA0320400", court_code="M32SPO")
        for n in numbers[80:83]
        if records[n]["agency_ori"] != "WA0320400"
    ]
    _send(credential, "DEMO-LATER-0001", amended + voided + resent + unknown + other_agency, recent)
    agency = Agency.objects.filter(ori="WA0340100").first()
    if agency is not None:
        NumberBlock.objects.get_or_create(
            agency=agency, prefix="5A", first=100000, defaults={"last": 100499, "width": 7, "note": "2026 allocation"}
        )
    _seed_scoped_sender(records, numbers, recent)
    if stdout:
        stdout.write(f"  {Ticket.objects.count()} tickets, {Batch.objects.filter(system=DEMO_SYSTEM).count()} batches")


def _seed_scoped_sender(records: dict, numbers: list[str], at) -> None:
    """TraCS's pilot credential (Olympia PD's tickets only) sends one batch: a new Olympia ticket is stored; a
    Spokane ticket (outside its agencies) and a re-send of a Back Office ticket (another system's record) are
    rejected, so the feed exceptions show `agency_not_allowed` and `owned_by_other_system`."""
    from sector.feed.models import Batch
    from sector.feed.services import credential_create
    from sector.orgs.models import Agency

    olympia = Agency.objects.filter(ori="WA0340100").first()
    if olympia is None or Batch.objects.filter(system=DEMO_SCOPED_SYSTEM).exists():
        return
    credential, _ = credential_create(system=DEMO_SCOPED_SYSTEM, record_types=["ticket"], agencies=[olympia])
    olympia_numbers = [n for n in numbers if records[n]["agency_ori"] == "WA0340100"]
    spokane_numbers = [n for n in numbers if records[n]["agency_ori"] == "WA0320400"]
    if not olympia_numbers or not spokane_numbers:
        return
    sample = records[olympia_numbers[-1]]
    new_ticket = dict(sample, ticket_number="5A0109999", agency_case_number="TRACS-PILOT-1")
    outside = dict(records[spokane_numbers[-1]], ticket_number=records[spokane_numbers[-1]]["ticket_number"][:-1] + "9")
    overwrite = dict(records[olympia_numbers[0]], version=9, agency_case_number="TRACS-RESENT")
    _send(credential, "TRACS-PILOT-0001", [new_ticket, outside, overwrite], at)
