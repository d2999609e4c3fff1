"""Contract checks (tier 1) for a collision record (contracts/FEED.md, Collision record). No database.

A record that fails any of these is rejected at the feed; the domain rules in validation.py run later
on stored records and never reject.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime
from typing import Any

from sector.core.uploads import IMAGE_KINDS, KINDS, image_dimensions, sniff
from sector.feed.choices import ErrorCode
from sector.feed.validation import NUMBER_RE, ORI_RE, Checker

from .choices import DIAGRAM_MAX_BYTES, MAX_PERSONS, MAX_UNITS, PersonRole, UnitType

COLLISION_FIELDS = {
    "type", "report_number", "version", "agency_ori", "agency_case_number", "officer", "occurred_at", "reported_at",
    "location", "weather", "light_condition", "road_surface", "manner_of_collision", "first_harmful_event", "units",
    "persons", "narrative", "diagram",
}  # fmt: skip
UNIT_FIELDS = {
    "unit_number", "unit_type", "hit_and_run", "vehicle", "driver", "damage_estimate", "contributing_circumstances",
    "distraction",
}  # fmt: skip
PERSON_FIELDS = {"unit_number", "role", "injury", "person"}
MMUCC_FIELDS = ("weather", "light_condition", "road_surface", "manner_of_collision", "first_harmful_event")
ATTRIBUTE_RE = re.compile(r"^[a-z0-9_]{1,60}$")
DIAGRAM_KINDS = {"image/png": "png", "image/jpeg": "jpeg"}  # media type -> kind of sector.core.uploads.KINDS
# Base64 of 2 MB is at most this long (plus padding); anything longer is refused before decoding.
_B64_MAX = (DIAGRAM_MAX_BYTES + 2) // 3 * 4


def check_collision(raw: Any, *, now: datetime | None = None) -> tuple[dict | None, list[dict], list[dict]]:
    """(typed record or None, errors, warnings)."""
    c = Checker(now=now)
    d = c.obj(raw, "", COLLISION_FIELDS)
    if d is None:
        return None, c.errors, c.warnings
    t: dict[str, Any] = {
        "report_number": c.string(
            d, "report_number", required=True, max_len=20, pattern=NUMBER_RE, what="report number (A-Z, 0-9, -)"
        ),
        "version": c.integer(d, "version", required=True, minimum=1),
        "agency_ori": c.string(d, "agency_ori", required=True, max_len=9, pattern=ORI_RE, what="ORI (e.g. WA0170000)"),
        "agency_case_number": c.string(d, "agency_case_number") or "",
        "officer": c.officer(d),
        "occurred_at": c.time(d, "occurred_at", required=True),
        "reported_at": c.time(d, "reported_at"),
        "location": c.location(c.get(d, "location")),
        "narrative": c.string(d, "narrative", required=True, max_len=20000),
    }
    for name in MMUCC_FIELDS:
        t[name] = c.string(d, name, required=True, max_len=60, pattern=ATTRIBUTE_RE, what="MMUCC attribute name")
    t["units"] = _units(c, c.get(d, "units"))
    t["persons"] = _persons(c, d.get("persons"))
    t["diagram"] = _diagram(c, d.get("diagram"))
    return (None if c.errors else t), c.errors, c.warnings


def _list(c: Checker, value: Any, field: str, low: int, high: int, what: str) -> list | None:
    if value is None or value.__class__ is object:
        if low:
            c.error(field, ErrorCode.REQUIRED, f"{field} is required: a list of {low} to {high} {what}.")
            return None
        return []
    if not isinstance(value, list):
        c.error(field, ErrorCode.INVALID, f"{field} must be a list of {low} to {high} {what}.")
        return None
    if not low <= len(value) <= high:
        c.error(field, ErrorCode.INVALID, f"{field} holds {low} to {high} {what}; this one has {len(value)}.")
        return None
    return value


def _units(c: Checker, value: Any) -> list[dict]:
    items = _list(c, value, "units", 1, MAX_UNITS, "units")
    out: list[dict] = []
    seen: set[int] = set()
    for i, item in enumerate(items or []):
        field = f"units[{i}]"
        u = c.obj(item, field, UNIT_FIELDS)
        if u is None:
            continue
        number = c.integer(u, "unit_number", field, required=True, minimum=1, maximum=999)
        if number is not None:
            if number in seen:
                c.error(f"{field}.unit_number", ErrorCode.INVALID, f"Unit number {number} appears twice.")
            seen.add(number)
        circumstances = u.get("contributing_circumstances")
        circ_out: list[str] = []
        if circumstances is not None:
            if not isinstance(circumstances, list) or len(circumstances) > 20:
                c.error(f"{field}.contributing_circumstances", ErrorCode.INVALID, "A list of at most 20 strings.")
            else:
                for j, circ in enumerate(circumstances):
                    if not isinstance(circ, str) or not 0 < len(circ) <= 60 or "\x00" in circ:
                        c.error(
                            f"{field}.contributing_circumstances[{j}]",
                            ErrorCode.INVALID,
                            "A text of 1 to 60 characters.",
                        )
                    else:
                        circ_out.append(circ)
        out.append(
            {
                "unit_number": number,
                "unit_type": c.string(u, "unit_type", field, required=True, choices=tuple(UnitType.values)),
                "hit_and_run": c.boolean(u, "hit_and_run", field, default=False),
                "vehicle": c.vehicle(u.get("vehicle"), f"{field}.vehicle"),
                "driver": c.person(u.get("driver"), f"{field}.driver", required=False),
                "damage_estimate": c.money(u, "damage_estimate", field),
                "contributing_circumstances": circ_out,
                "distraction": c.string(u, "distraction", field) or "",
            }
        )
    return out


def _persons(c: Checker, value: Any) -> list[dict]:
    items = _list(c, value, "persons", 0, MAX_PERSONS, "persons")
    out: list[dict] = []
    for i, item in enumerate(items or []):
        field = f"persons[{i}]"
        p = c.obj(item, field, PERSON_FIELDS)
        if p is None:
            continue
        out.append(
            {
                "unit_number": c.integer(p, "unit_number", field, required=True, minimum=1, maximum=999),
                "role": c.string(p, "role", field, required=True, choices=tuple(PersonRole.values)),
                "injury": c.string(p, "injury", field, required=True, choices=("K", "A", "B", "C", "O")),
                "person": c.person(c.get(p, "person"), f"{field}.person"),
            }
        )
    return out


def _diagram(c: Checker, value: Any) -> dict | None:
    """The diagram's bytes must decode as an image of the type named, at most 2 MB (`bad_diagram`)."""
    if value is None:
        return None
    d = c.obj(value, "diagram", {"media_type", "data_base64"}, required=False)
    if d is None:
        return None
    media_type = d.get("media_type")
    data = d.get("data_base64")
    if not isinstance(media_type, str) or media_type not in DIAGRAM_KINDS:
        c.error("diagram.media_type", ErrorCode.BAD_DIAGRAM, "A diagram is image/png or image/jpeg.")
        return None
    if not isinstance(data, str) or not data:
        c.error("diagram.data_base64", ErrorCode.BAD_DIAGRAM, "data_base64 must hold the image, base64-encoded.")
        return None
    if len(data) > _B64_MAX + 4:
        c.error("diagram.data_base64", ErrorCode.BAD_DIAGRAM, "The diagram is larger than 2 MB; send a smaller image.")
        return None
    try:
        blob = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        c.error("diagram.data_base64", ErrorCode.BAD_DIAGRAM, "data_base64 is not valid base64.")
        return None
    if len(blob) > DIAGRAM_MAX_BYTES:
        c.error("diagram.data_base64", ErrorCode.BAD_DIAGRAM, "The diagram is larger than 2 MB; send a smaller image.")
        return None
    actual = sniff(blob)
    size = image_dimensions(blob) if actual in IMAGE_KINDS else None
    if size is None:
        c.error("diagram.data_base64", ErrorCode.BAD_DIAGRAM, f"The diagram does not decode as a {media_type} image.")
        return None
    if actual != DIAGRAM_KINDS[media_type]:
        c.error(
            "diagram.media_type",
            ErrorCode.BAD_DIAGRAM,
            f"The diagram is named {media_type} but the bytes are a {KINDS[actual].label}.",
        )
        return None
    width, height = size
    return {"media_type": media_type, "data": blob, "width": width, "height": height}
