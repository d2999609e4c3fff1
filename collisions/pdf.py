"""What a collision PDF shows: the diagram embedded as a data URI, and the redacted view a release gets.
Rendering itself is sector.core.pdf.render_pdf."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable


def diagram_data_uri(diagram) -> str | None:
    if diagram is None:
        return None
    return f"data:{diagram.media_type};base64,{base64.b64encode(bytes(diagram.data)).decode()}"


REDACTED = "[redacted]"


def redact_person(person: dict | None) -> dict | None:
    """Keep the role-level facts a release may show; remove the personal details of a party."""
    if not person:
        return person
    return {"last_name": REDACTED, "first_name": "", "redacted": True}


def redacted_view(persons, units, keep_position: int | None):
    """Persons and units for a release PDF: other parties' names, addresses, dates of birth, licenses and
    plates are removed; the party's own person (when named) stays."""
    kept_unit = kept_driver_unit = None
    out_persons = []
    for p in persons:
        if keep_position is not None and p.position == keep_position:
            kept_unit = p.unit_number
            kept_driver_unit = p.unit_number if p.role == "driver" else None
            out_persons.append(
                {
                    "unit_number": p.unit_number,
                    "role": p.get_role_display(),
                    "injury": p.get_injury_display(),
                    "person": p.person,
                }
            )
        else:
            out_persons.append(
                {
                    "unit_number": p.unit_number,
                    "role": p.get_role_display(),
                    "injury": p.get_injury_display(),
                    "person": redact_person(p.person),
                }
            )
    out_units = []
    for u in units:
        vehicle = dict(u.vehicle or {})
        if u.unit_number != kept_unit:
            for key in ("plate", "vin"):
                if vehicle.get(key):
                    vehicle[key] = REDACTED
        driver = u.driver if u.unit_number == kept_driver_unit else redact_person(u.driver)
        out_units.append(
            {
                "unit_number": u.unit_number,
                "unit_type": u.get_unit_type_display(),
                "vehicle": vehicle,
                "driver": driver,
                "damage_estimate": u.damage_estimate,
            }
        )
    return out_persons, out_units


# ----------------------------------------------------------------------------- the second guard on free text

_NAME_KEYS = ("last_name", "first_name", "middle_name")
_MIN_TERM = 2


def _person_terms(person: dict | None) -> tuple[set[str], set[str], set[str]]:
    """(names, phrases, identifiers) that identify one person: names are matched as words, phrases (street
    addresses) with any spacing, identifiers (license numbers) with any separators between their characters."""
    names: set[str] = set()
    phrases: set[str] = set()
    ids: set[str] = set()
    if not person:
        return names, phrases, ids
    for key in _NAME_KEYS:
        value = str(person.get(key) or "").strip()
        if value:
            names.add(value)
            names.update(part for part in re.split(r"[\s-]+", value) if len(part) >= 3)
    address = person.get("address") or {}
    for key in ("line1", "line2"):
        if address.get(key):
            phrases.add(str(address[key]).strip())
    if address.get("postal_code"):
        ids.add(str(address["postal_code"]))
    if person.get("date_of_birth"):
        phrases.add(str(person["date_of_birth"]))
    licence = person.get("licence") or {}
    if isinstance(licence, dict) and licence.get("number"):
        ids.add(str(licence["number"]))
    return names, phrases, ids


def _pattern(names: set[str], phrases: set[str], ids: set[str]) -> re.Pattern[str] | None:
    alternatives = []
    for term in sorted(names | phrases, key=len, reverse=True):
        if len(term) >= _MIN_TERM:
            alternatives.append(r"\s+".join(re.escape(word) for word in term.split()))
    for term in sorted(ids, key=len, reverse=True):
        chars = [c for c in term if c.isalnum()]
        if len(chars) >= _MIN_TERM:
            alternatives.append(r"[\s./-]*".join(re.escape(c) for c in chars))
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def other_parties_mask(persons, units, keep_position: int | None) -> Callable[[str], str]:
    """A function that masks, in free text (a narrative, a location), every name, street address, date of birth,
    license number, plate and VIN of the report's parties other than the released-to person. A term the kept
    person shares (a family name) stays: it is theirs too. The second guard behind the reviewer's redaction."""
    kept = next((p for p in persons if keep_position is not None and p.position == keep_position), None)
    kept_unit = kept.unit_number if kept is not None else None
    kept_driver_unit = kept.unit_number if kept is not None and kept.role == "driver" else None
    keep: list[set[str]] = [set(), set(), set()]
    other: list[set[str]] = [set(), set(), set()]

    def add(into: list[set[str]], person: dict | None) -> None:
        for bucket, terms in zip(into, _person_terms(person), strict=True):
            bucket.update(terms)

    for p in persons:
        add(keep if p is kept else other, p.person)
    for u in units:
        add(keep if u.unit_number == kept_driver_unit else other, u.driver)
        vehicle = u.vehicle or {}
        for key in ("plate", "vin"):
            if vehicle.get(key):
                (keep if u.unit_number == kept_unit else other)[2].add(str(vehicle[key]))
    kept_terms = {t.casefold() for bucket in keep for t in bucket}
    pattern = _pattern(*({t for t in bucket if t.casefold() not in kept_terms} for bucket in other))

    def mask(text: str) -> str:
        return pattern.sub(REDACTED, text) if pattern is not None and text else text

    return mask
