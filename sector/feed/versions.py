"""Comparing two versions of a record (FEED.md, "Versions and identity"): the fields a higher version changed.

Shared by every record type's handler, so a ticket amendment and a corrected collision report are described
the same way.
"""

from __future__ import annotations


def flatten(value, prefix: str = "") -> dict:
    """{"defendant.last_name": "DOE", "violations[0].law": ...} for comparing two versions."""
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def version_changes(before: dict | None, after: dict) -> dict:
    """Field path -> [before, after] for every field that differs (the version number itself left out)."""
    if before is None:
        return {}
    a, b = flatten(before), flatten(after)
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if k != "version" and a.get(k) != b.get(k)}
