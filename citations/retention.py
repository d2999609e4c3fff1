"""Tickets as a record class of the retention schedule (sector/core/retention.py, issue 16 item 5).

A ticket is due when the court has finished with it (filed, dismissed, void confirmed or a duplicate) and its
last change is older than the cutoff. Its disposition anonymizes it: the defendant's name, date of birth,
license and plate go, and every stored version's raw record and defendant details are replaced by a marker.
The ticket's number, court, agency, dates and outcome stay, so the program's counts and the court's case
number still answer; the audit trail names the ticket, not the person.
"""

from __future__ import annotations

from django.db import transaction

from sector.core.retention import DueItem, RecordClass

from .choices import CLOSED_STATUSES, TicketStatus
from .models import Ticket, TicketVersion

ANONYMIZED = "(anonymized)"
DONE = (TicketStatus.ACCEPTED, *CLOSED_STATUSES)


def _due(cutoff, limit):
    rows = (
        Ticket.objects.filter(status__in=DONE, updated_at__lt=cutoff)
        .exclude(defendant_last_name=ANONYMIZED)
        .select_related("agency")
        .only("id", "ticket_number", "updated_at", "agency__ori")
        .order_by("updated_at", "id")[:limit]
    )
    return [DueItem(str(t.pk), f"Ticket {t.agency.ori} {t.ticket_number}", t.updated_at) for t in rows]


def _dispose(pks):
    ids = [int(pk) for pk in pks]
    with transaction.atomic():
        n = (
            Ticket.objects.filter(pk__in=ids, status__in=DONE)
            .exclude(defendant_last_name=ANONYMIZED)
            .update(
                defendant_last_name=ANONYMIZED, defendant_first_name="", defendant_dob=None, licence_number="",
                licence_state="", plate="",
            )
        )  # fmt: skip
        TicketVersion.objects.filter(ticket_id__in=ids).update(
            raw={"anonymized": True}, defendant={}, vehicle=None, changes={}
        )
    return n


ticket_class = RecordClass(
    key="citations.ticket",
    label="Tickets the court has finished with",
    closing="the ticket's last change after the court filed, dismissed or voided it",
    method="anonymized",
    due=_due,
    dispose=_dispose,
)
