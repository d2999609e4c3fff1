"""The counter lookup: a scanned license opens that person's tickets at the clerk's own courts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from citations.models import Ticket
from citations.rules import search_key
from sector.core.audit import log_action

from .aamva import LicenceScan
from .choices import COUNTER_MATCHES
from .selectors import LIST_FIELDS, court_tickets

if TYPE_CHECKING:
    from sector.accounts.models import User


def counter_match_q(scan: LicenceScan) -> Q:
    """By license number and issuing state (the number alone when the barcode names no state), or by last
    name and date of birth: tickets written before the license number was on them, or with it mistyped."""
    cond = Q(pk__in=[])
    if scan.licence_number:
        numbers = sorted({scan.licence_number, search_key(scan.licence_number)})
        by_number = Q(licence_number__in=numbers)
        if scan.jurisdiction:
            by_number &= Q(licence_state__in=[scan.jurisdiction, ""])
        cond |= by_number
    if scan.last_name and scan.date_of_birth:
        cond |= Q(defendant_last_name__iexact=scan.last_name, defendant_dob=scan.date_of_birth)
    return cond


def counter_tickets(*, user: User, scan: LicenceScan) -> QuerySet[Ticket]:
    """The person's tickets at the user's courts, newest first (one query, capped)."""
    return (
        court_tickets(user)
        .filter(counter_match_q(scan))
        .select_related("agency", "court")
        .only(*LIST_FIELDS, "licence_state", "defendant_dob")
        .order_by("-issued_at", "-id")[:COUNTER_MATCHES]
    )


def counter_lookup_logged(*, actor: User, scan: LicenceScan, matches: int) -> None:
    """Who looked whom up at the counter: the license number masked to its last four (the audit log masks
    `licence_number` itself), never the scanned string or the person's name and birth date."""
    log_action(
        "courts.counter.license_looked_up",
        actor=actor,
        data={"licence_number": scan.licence_number, "state": scan.jurisdiction, "matches": matches},
    )
