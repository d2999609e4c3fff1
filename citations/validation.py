"""Contract checks for a ticket record (contracts/FEED.md, Ticket record). Pure: no database."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sector.feed.choices import ErrorCode
from sector.feed.validation import (
    INT_MAX,
    NUMBER_RE,
    ORI_RE,
    Checker,
    Fallback,
    f_bool,
    f_choice,
    f_int,
    f_location,
    f_money,
    f_obj,
    f_officer,
    f_person,
    f_req,
    f_str,
    f_time,
    f_vehicle,
)

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
    """(typed ticket or None, errors, warnings). Typed values are those the models store.

    A well-formed record is read by the fast path (`_fast_ticket`); anything it cannot vouch for is walked
    by `Checker`, which says what is wrong. Both give the same answer for every record the fast path reads."""
    now = now or datetime.now(UTC)
    try:
        return _fast_ticket(raw, now)
    except Fallback:
        return checked_ticket(raw, now=now)


def checked_ticket(raw: Any, *, now: datetime | None = None) -> tuple[dict | None, list[dict], list[dict]]:
    """`check_ticket` through `Checker` alone: every rule, every error with its field and message."""
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


_TICKET = frozenset(TICKET_FIELDS)
_VIOLATION = frozenset(VIOLATION_FIELDS)
_CERTIFICATION = frozenset({"statement", "place"})
_APPEARANCE = frozenset({"at", "location"})


def _fast_ticket(raw: Any, now: datetime) -> tuple[dict, list[dict], list[dict]]:
    """`checked_ticket` for a record with no error, in straight-line code; raises Fallback on any doubt."""
    d = f_obj(raw, _TICKET)
    warnings: list[dict] = []
    number = f_req(d, "ticket_number", 20)
    ori = f_req(d, "agency_ori", 9)
    court_code = f_req(d, "court_code", 8)
    version = d.get("version")
    if (
        not NUMBER_RE.match(number)
        or not ORI_RE.match(ori)
        or not COURT_CODE_RE.match(court_code)
        or version.__class__ is not int
        or not 1 <= version <= INT_MAX
    ):
        raise Fallback
    kind = f_choice(d, "kind", KINDS)
    issued_at = f_time(d, "issued_at", now)
    if kind is None or issued_at is None:
        raise Fallback
    in_custody = f_bool(d, "in_custody", False)
    void = f_bool(d, "void", False)
    void_reason = f_str(d, "void_reason") or ""
    if (in_custody and kind != TicketKind.CRIMINAL) or (void and not void_reason):
        raise Fallback
    cert = f_obj(d.get("certification"), _CERTIFICATION)
    appearance = d.get("appearance")
    if appearance is not None:
        appearance = f_obj(appearance, _APPEARANCE)
        at = f_time(appearance, "at", None)
        if at is None:
            raise Fallback
        appearance = {"at": at, "location": f_req(appearance, "location")}
    t: dict[str, Any] = {
        "ticket_number": number,
        "version": version,
        "kind": kind,
        "agency_ori": ori,
        "agency_case_number": f_str(d, "agency_case_number") or "",
        "officer": f_officer(d.get("officer")),
        "court_code": court_code,
        "issued_at": issued_at,
        "service": f_choice(d, "service", SERVICES, Service.PERSONAL.value),
        "in_custody": in_custody,
        "location": f_location(d.get("location"), warnings),
        "defendant": f_person(d.get("defendant"), now),
        "vehicle": f_vehicle(d.get("vehicle"), now, warnings),
        "void": void,
        "void_reason": void_reason,
        "certification": {"statement": f_req(cert, "statement"), "place": f_req(cert, "place")},
        "appearance": appearance,
    }
    items = d.get("violations")
    if items.__class__ is not list or not 1 <= len(items) <= MAX_VIOLATIONS:
        raise Fallback
    violations = []
    for item in items:
        v = f_obj(item, _VIOLATION)
        law_kind = f_choice(v, "law_kind", LAW_KINDS)
        level = f_choice(v, "offense_level", LEVELS)
        if law_kind is None or level is None:
            raise Fallback
        violations.append(
            {
                "law": f_req(v, "law"),
                "law_kind": law_kind,
                "offense_level": level,
                "traffic": f_bool(v, "traffic", True),
                "description": f_req(v, "description", 500),
                "penalty": f_money(v, "penalty"),
                "speed": f_int(v, "speed", 0, 500),
                "posted_speed": f_int(v, "posted_speed", 0, 500),
                "zone": f_choice(v, "zone", ZONES, ""),
                "collision_report_number": f_str(v, "collision_report_number") or "",
            }
        )
    t["violations"] = violations
    return t, [], warnings
