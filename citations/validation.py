"""Contract checks for a ticket record (contracts/FEED.md, Ticket record). Pure: no database."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sector.feed.choices import ErrorCode
from sector.feed.validation import NUMBER_RE, ORI_RE, Checker

from .choices import LawKind, OffenseLevel, Service, TicketKind, Zone

TICKET_FIELDS = {
    "type", "ticket_number", "version", "kind", "agency_ori", "agency_case_number", "officer", "court_code",
    "issued_at", "certification", "service", "in_custody", "appearance", "location", "defendant", "vehicle",
    "violations", "void", "void_reason",
}  # fmt: skip
VIOLATION_FIELDS = {
    "law", "law_kind", "offense_level", "traffic", "description", "penalty", "speed", "posted_speed", "zone",
    "collision_report_number",
}  # fmt: skip
COURT_CODE_RE = re.compile(r"^[A-Z0-9]{2,8}$")
MAX_VIOLATIONS = 10
KINDS, SERVICES = tuple(TicketKind.values), tuple(Service.values)
LAW_KINDS, LEVELS, ZONES = tuple(LawKind.values), tuple(OffenseLevel.values), tuple(Zone.values)


def check_ticket(raw: Any, *, now: datetime | None = None) -> tuple[dict | None, list[dict], list[dict]]:
    """(typed ticket or None, errors, warnings). Typed values are those the models store."""
    c = Checker(now=now)
    d = c.obj(raw, "", TICKET_FIELDS)
    if d is None:
        return None, c.errors, c.warnings
    t: dict[str, Any] = {
        "ticket_number": c.string(
            d, "ticket_number", required=True, max_len=20, pattern=NUMBER_RE, what="ticket number (A-Z, 0-9, -)"
        ),
        "version": c.integer(d, "version", required=True, minimum=1),
        "kind": c.string(d, "kind", required=True, choices=KINDS),
        "agency_ori": c.string(d, "agency_ori", required=True, max_len=9, pattern=ORI_RE, what="ORI (e.g. WA0170000)"),
        "agency_case_number": c.string(d, "agency_case_number") or "",
        "officer": c.officer(d),
        "court_code": c.string(d, "court_code", required=True, max_len=8, pattern=COURT_CODE_RE, what="court code"),
        "issued_at": c.time(d, "issued_at", required=True),
        "service": c.string(d, "service", choices=SERVICES) or Service.PERSONAL.value,
        "in_custody": c.boolean(d, "in_custody", default=False),
        "location": c.location(c.get(d, "location")),
        "defendant": c.person(c.get(d, "defendant"), "defendant"),
        "vehicle": c.vehicle(d.get("vehicle"), "vehicle"),
        "void": c.boolean(d, "void", default=False),
        "void_reason": c.string(d, "void_reason") or "",
    }
    cert = c.obj(c.get(d, "certification"), "certification", {"statement", "place"})
    t["certification"] = None
    if cert is not None:
        t["certification"] = {
            "statement": c.string(cert, "statement", "certification", required=True),
            "place": c.string(cert, "place", "certification", required=True),
        }
    appearance = c.obj(d.get("appearance"), "appearance", {"at", "location"}, required=False)
    t["appearance"] = None
    if appearance is not None:
        t["appearance"] = {
            "at": c.time(appearance, "at", "appearance", required=True, past=False),
            "location": c.string(appearance, "location", "appearance", required=True),
        }
    if t["in_custody"] and t["kind"] not in (None, TicketKind.CRIMINAL):
        c.error("in_custody", ErrorCode.INVALID, "in_custody applies to criminal citations only.")
    if t["void"] and not t["void_reason"]:
        c.error("void_reason", ErrorCode.REQUIRED, "A void carries its void_reason.")
    t["violations"] = _violations(c, c.get(d, "violations"))
    return (None if c.errors else t), c.errors, c.warnings


def _violations(c: Checker, value: Any) -> list[dict]:
    if not isinstance(value, list):
        if value is None or value.__class__ is object:
            c.error("violations", ErrorCode.REQUIRED, "violations is required: a list of 1 to 10 violations.")
        else:
            c.error("violations", ErrorCode.INVALID, "violations must be a list of 1 to 10 violations.")
        return []
    if not value:
        c.error("violations", ErrorCode.REQUIRED, "A ticket has at least one violation.")
        return []
    if len(value) > MAX_VIOLATIONS:
        c.error("violations", ErrorCode.INVALID, f"A ticket has at most {MAX_VIOLATIONS} violations.")
        return []
    out = []
    for i, item in enumerate(value):
        field = f"violations[{i}]"
        v = c.obj(item, field, VIOLATION_FIELDS)
        if v is None:
            continue
        out.append(
            {
                "law": c.string(v, "law", field, required=True),
                "law_kind": c.string(v, "law_kind", field, required=True, choices=LAW_KINDS),
                "offense_level": c.string(v, "offense_level", field, required=True, choices=LEVELS),
                "traffic": c.boolean(v, "traffic", field, default=True),
                "description": c.string(v, "description", field, required=True, max_len=500),
                "penalty": c.money(v, "penalty", field),
                "speed": c.integer(v, "speed", field, maximum=500),
                "posted_speed": c.integer(v, "posted_speed", field, maximum=500),
                "zone": c.string(v, "zone", field, choices=ZONES) or "",
                "collision_report_number": c.string(v, "collision_report_number", field) or "",
            }
        )
    return out
