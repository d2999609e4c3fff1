"""Judging officer computers against a requirement profile. Pure functions: no database, easy to test."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..choices import RESULT_RANK, LineResult


def normalise_os(name: str) -> str:
    """'Windows XP Professional & SP2' and 'windows xp professional sp2' compare equal."""
    text = re.sub(r"[^a-z0-9.]+", " ", (name or "").lower().replace("&", " "))
    return " ".join(text.split())


def _fmt(value) -> str:
    d = Decimal(str(value))
    return f"{d.normalize():f}"


@dataclass
class LineVerdict:
    result: str
    reasons: list[str] = field(default_factory=list)


def evaluate_line(profile: dict, *, os: str, cpu_ghz, ram_gb, disk_free_gb) -> LineVerdict:
    """One computer against a profile snapshot (RequirementProfile.snapshot()). A figure below the minimum
    fails; an operating system the profile does not list needs WSP review rather than failing (today's
    laptops run newer Windows than the 2010 list). A figure WSP marked doubtful is never applied."""
    reasons: list[str] = []
    fails = False
    preferred = True
    doubtful = set(profile.get("doubtful", ()))

    def figure(key, kind):
        name = f"{key}_{kind}_{'ghz' if key == 'cpu' else 'gb'}"
        return None if name in doubtful else Decimal(profile[name])

    figures = (
        ("Processor", Decimal(str(cpu_ghz)), figure("cpu", "min"), figure("cpu", "preferred"), "GHz"),
        ("RAM", Decimal(str(ram_gb)), figure("ram", "min"), figure("ram", "preferred"), "GB"),
        ("Free disk", Decimal(str(disk_free_gb)), figure("disk", "min"), figure("disk", "preferred"), "GB"),
    )
    for label, value, minimum, pref, unit in figures:
        if minimum is not None and value < minimum:
            fails = True
            preferred = False
            reasons.append(f"{label} {_fmt(value)} {unit} is below the {_fmt(minimum)} {unit} minimum.")
        elif pref is not None and value < pref:
            preferred = False
            reasons.append(f"{label} {_fmt(value)} {unit} meets the minimum but not the {_fmt(pref)} {unit} preferred.")
    listed = {normalise_os(o) for o in profile["compatible_os"]}
    os_listed = normalise_os(os) in listed
    if not os_listed:
        reasons.append(f"Operating system “{os}” is not on profile v{profile['version']}'s list: WSP reviews it.")
    if fails:
        return LineVerdict(LineResult.FAILS, reasons)
    if not os_listed:
        return LineVerdict(LineResult.NEEDS_REVIEW, reasons)
    return LineVerdict(LineResult.MEETS_PREFERRED if preferred else LineResult.MEETS_MINIMUM, reasons)


def worst(results: list[str]) -> str:
    return min(results, key=lambda r: RESULT_RANK[LineResult(r)]) if results else LineResult.FAILS


def figure_rows(profile: dict) -> list[dict]:
    """A profile snapshot's figures for a page: processor, RAM and free disk, each minimum and preferred with
    its doubtful mark (a doubtful figure is shown, never applied)."""
    doubtful = set(profile.get("doubtful", ()))
    rows = []
    for label, key, unit in (("Processor", "cpu", "GHz"), ("RAM", "ram", "GB"), ("Free disk", "disk", "GB")):
        suffix = "ghz" if key == "cpu" else "gb"
        row = {"label": label, "unit": unit}
        for kind in ("min", "preferred"):
            name = f"{key}_{kind}_{suffix}"
            row[kind] = _fmt(profile[name])
            row[f"{kind}_doubtful"] = name in doubtful
        rows.append(row)
    return rows
