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
    laptops run newer Windows than the 2010 list)."""
    reasons: list[str] = []
    fails = False
    preferred = True

    def pair(key):
        return Decimal(profile[f"{key}_min_{'ghz' if key == 'cpu' else 'gb'}"]), Decimal(
            profile[f"{key}_preferred_{'ghz' if key == 'cpu' else 'gb'}"]
        )

    figures = (
        ("Processor", Decimal(str(cpu_ghz)), *pair("cpu"), "GHz"),
        ("RAM", Decimal(str(ram_gb)), *pair("ram"), "GB"),
        ("Free disk", Decimal(str(disk_free_gb)), *pair("disk"), "GB"),
    )
    for label, value, minimum, pref, unit in figures:
        if value < minimum:
            fails = True
            preferred = False
            reasons.append(f"{label} {_fmt(value)} {unit} is below the {_fmt(minimum)} {unit} minimum.")
        elif value < pref:
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
