"""Domain rules for collision reports (tier 2): errors block approval, warnings are shown to the reviewer.

Each rule is a small function `rule(report, ctx) -> list[Finding]` over the typed record that the contract
checks produced (contract.py), so it sees clean types. Rules never reject a record at the feed. A finding
says what to fix and where: the field path as the contract names it and the report section it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sector.feed.validation import WA_LAT, WA_LON

from .choices import (
    MIN_NARRATIVE,
    MMUCC_LABELS,
    NON_MOTORIST_UNITS,
    SEVERITY_RANK,
    Injury,
    PersonRole,
    Section,
    UnitType,
    mmucc_label,
)

ERROR, WARNING = "error", "warning"
DEFAULT_THRESHOLD = Decimal("1000.00")


@dataclass(frozen=True)
class RuleContext:
    threshold: Decimal = DEFAULT_THRESHOLD  # reporting threshold for property damage only (reference data)


def finding(level: str, code: str, field: str, section: str, message: str) -> dict:
    return {"level": level, "code": code, "field": field, "section": str(section), "message": message}


def derive_severity(persons: list[dict]) -> str:
    """Worst injury of any person, K > A > B > C; no injury at all (only O, or nobody) is property damage only."""
    injuries = [p["injury"] for p in persons if p.get("injury") in SEVERITY_RANK]
    return min(injuries, key=SEVERITY_RANK.__getitem__) if injuries else "O"


# ----------------------------------------------------------------------------- the rules


def fatal_needs_k_injury(report: dict, ctx: RuleContext) -> list[dict]:
    """A fatal (K) report names the person who died: some person carries injury K."""
    if report.get("severity") == "K" and not any(p["injury"] == "K" for p in report["persons"]):
        return [
            finding(
                ERROR,
                "fatal_without_k",
                "persons",
                Section.PERSONS,
                "The report is fatal but no person has injury K: record the injury of the person who died.",
            )
        ]
    return []


def k_injury_on_existing_unit(report: dict, ctx: RuleContext) -> list[dict]:
    """A fatality belongs to a unit of the crash (MMUCC: every person is linked to a unit)."""
    units = {u["unit_number"] for u in report["units"]}
    return [
        finding(
            ERROR,
            "fatal_person_without_unit",
            f"persons[{i}].unit_number",
            Section.PERSONS,
            f"Person {i + 1} died (injury K) but is on unit {p['unit_number']}, which the report does not list.",
        )
        for i, p in enumerate(report["persons"])
        if p["injury"] == "K" and p["unit_number"] not in units
    ]


def non_motorist_has_no_vehicle(report: dict, ctx: RuleContext) -> list[dict]:
    """Pedestrian and pedalcyclist units carry no motor vehicle."""
    return [
        finding(
            ERROR,
            "non_motorist_vehicle",
            f"units[{i}].vehicle",
            Section.UNITS,
            f"Unit {u['unit_number']} is a {u['unit_type']} but has a vehicle: "
            "remove the vehicle or change the unit type.",
        )
        for i, u in enumerate(report["units"])
        if u["unit_type"] in NON_MOTORIST_UNITS and u.get("vehicle")
    ]


def persons_reference_units(report: dict, ctx: RuleContext) -> list[dict]:
    """Every person's unit_number names a unit of the report."""
    units = {u["unit_number"] for u in report["units"]}
    return [
        finding(
            ERROR,
            "unknown_unit",
            f"persons[{i}].unit_number",
            Section.PERSONS,
            f"Person {i + 1} ({(p.get('person') or {}).get('last_name', '?')}) is on unit {p['unit_number']}, "
            f"which the report does not list: use one of units {', '.join(str(n) for n in sorted(units))}.",
        )
        for i, p in enumerate(report["persons"])
        if p["unit_number"] not in units
    ]


def driver_per_motor_vehicle(report: dict, ctx: RuleContext) -> list[dict]:
    """Each motor-vehicle unit has a driver (on the unit or as a person with role driver) unless hit-and-run."""
    drivers = {p["unit_number"] for p in report["persons"] if p["role"] == PersonRole.DRIVER}
    return [
        finding(
            ERROR,
            "missing_driver",
            f"units[{i}].driver",
            Section.UNITS,
            f"Unit {u['unit_number']} is a motor vehicle with no driver: add the driver, or mark it hit_and_run.",
        )
        for i, u in enumerate(report["units"])
        if u["unit_type"] == UnitType.MOTOR_VEHICLE
        and not u.get("hit_and_run")
        and not u.get("driver")
        and u["unit_number"] not in drivers
    ]


def coordinates_in_washington(report: dict, ctx: RuleContext) -> list[dict]:
    loc = report.get("location") or {}
    lat, lon = loc.get("latitude"), loc.get("longitude")
    if lat is None or lon is None:
        return []
    if WA_LAT[0] <= lat <= WA_LAT[1] and WA_LON[0] <= lon <= WA_LON[1]:
        return []
    return [
        finding(
            WARNING,
            "outside_washington",
            "location",
            Section.LOCATION,
            f"The coordinates ({lat}, {lon}) are outside Washington: check latitude and longitude.",
        )
    ]


def reported_after_occurred(report: dict, ctx: RuleContext) -> list[dict]:
    occurred, reported = report.get("occurred_at"), report.get("reported_at")
    if occurred is not None and reported is not None and reported < occurred:
        return [
            finding(
                ERROR,
                "reported_before_occurred",
                "reported_at",
                Section.GENERAL,
                "reported_at is earlier than occurred_at: correct one of the two times.",
            )
        ]
    return []


def narrative_present(report: dict, ctx: RuleContext) -> list[dict]:
    text = (report.get("narrative") or "").strip()
    if not text:
        return [
            finding(
                ERROR,
                "narrative_missing",
                "narrative",
                Section.NARRATIVE,
                "The narrative is empty: describe how the collision happened.",
            )
        ]
    if len(text) < MIN_NARRATIVE:
        return [
            finding(
                WARNING,
                "narrative_short",
                "narrative",
                Section.NARRATIVE,
                f"The narrative has only {len(text)} characters: describe how the collision happened.",
            )
        ]
    return []


def damage_over_threshold(report: dict, ctx: RuleContext) -> list[dict]:
    """Property damage only under the reporting threshold (RCW 46.52.030, reference data) need not be reported."""
    if derive_severity(report["persons"]) != "O":
        return []
    total = sum((u["damage_estimate"] or Decimal(0) for u in report["units"]), Decimal(0))
    if total < ctx.threshold:
        return [
            finding(
                WARNING,
                "under_threshold",
                "units",
                Section.UNITS,
                f"Property damage only, with estimated damage ${total:,.2f} under the ${ctx.threshold:,.2f} "
                "reporting threshold: check the damage estimates or whether a report is required.",
            )
        ]
    return []


RULES: tuple[Callable[[dict, RuleContext], list[dict]], ...] = (
    fatal_needs_k_injury,
    k_injury_on_existing_unit,
    non_motorist_has_no_vehicle,
    persons_reference_units,
    driver_per_motor_vehicle,
    coordinates_in_washington,
    reported_after_occurred,
    narrative_present,
    damage_over_threshold,
)


def run_rules(report: dict, ctx: RuleContext | None = None) -> list[dict]:
    ctx = ctx or RuleContext()
    report = {**report, "severity": report.get("severity") or derive_severity(report["persons"])}
    out: list[dict] = []
    for rule in RULES:
        out.extend(rule(report, ctx))
    return out


def threshold_on(day: date) -> Decimal:
    """The reporting threshold in force on `day` (reference data), or the statutory default."""
    from .models import ReportingThreshold

    row = ReportingThreshold.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    return row.amount if row is not None else DEFAULT_THRESHOLD


_LIST_ITEM = re.compile(r"^(units|persons)\[(\d+)\]$")
_FIELD_WORDS = {"units": "Unit", "persons": "Person", "licence": "license", "vin": "VIN", "dob": "date of birth"}


def field_label(path: str) -> str:
    """A contract field path in words: 'persons[1].unit_number' -> 'Person 2, unit number'."""
    parts = []
    for part in path.split("."):
        m = _LIST_ITEM.match(part)
        if m:
            parts.append(f"{_FIELD_WORDS[m.group(1)]} {int(m.group(2)) + 1}")
        else:
            parts.append(_FIELD_WORDS.get(part, part.replace("_", " ")))
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def value_label(path: str, value):
    """A changed value as a reader sees it: MMUCC attributes and KABCO injuries in words, the rest as sent."""
    element = path.split(".")[-1]
    if isinstance(value, str) and element in MMUCC_LABELS:
        return mmucc_label(element, value)
    if element == "injury" and value in Injury.values:
        return Injury(value).label
    return value
