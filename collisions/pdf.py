"""What a collision PDF shows: the diagram embedded as a data URI, and the redacted view a release gets.
Rendering itself is sector.core.pdf.render_pdf."""

from __future__ import annotations

import base64


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
