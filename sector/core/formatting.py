"""How numbers, times and durations read on every page, email and PDF: one place, so they read alike.

Times are Washington's (Pacific) with the zone named, because a clerk in Spokane and a server in UTC must
agree on what "4:05 PM" means; money has thousands separators; a duration is shown in the one unit the screen
chooses ("12 days", never "1 week, 5 days"); a history entry names fields by their labels, not their names.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as date_format

PACIFIC = ZoneInfo("America/Los_Angeles")
DATETIME_FORMAT = "M j, Y, g:i A T"  # Dec 3, 2026, 4:05 PM PST
DATE_FORMAT = "M j, Y"  # Dec 3, 2026
# The variants a screen may ask for by name: `{{ dt|pacific:"weekday" }}` for court dates, where the day matters.
# `long` and `long_weekday` spell the month (and day) out, for letters and court notices.
FORMATS = {
    "": DATETIME_FORMAT,
    "weekday": "D, " + DATETIME_FORMAT,
    "long": "F j, Y, g:i A T",
    "long_weekday": "l, F j, Y, g:i A T",
    "time": "g:i A T",
}
EMPTY = "—"

# Seconds in each unit a screen may choose for its durations.
UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 7 * 86400}
_SINGULAR = {"seconds": "second", "minutes": "minute", "hours": "hour", "days": "day", "weeks": "week"}

# Decimal fields that hold dollars (the others are GHz, GB and the like).
MONEY_FIELDS = ("amount", "penalty", "damage", "threshold")

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def pacific(value, fmt: str = DATETIME_FORMAT) -> str:
    """An aware datetime in Pacific time with its zone ("Dec 3, 2026, 4:05 PM PST"); a date as "Dec 3, 2026"."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        parsed = parse_stamp(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, PACIFIC)
        return date_format(value.astimezone(PACIFIC), fmt)
    if isinstance(value, date):
        return date_format(value, DATE_FORMAT)
    return str(value)


def pacific_time(value) -> str:
    """Only the clock time, with the zone ("4:05 PM PST"), for a line that already names the day."""
    return pacific(value, FORMATS["time"])


def parse_stamp(text: str) -> datetime | date | None:
    """An ISO date or datetime as the audit log and JSON store them, or None for any other text."""
    text = text.strip()
    try:
        if _ISO_DATETIME.match(text):
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        if _ISO_DATE.match(text):
            return date.fromisoformat(text)
    except ValueError:
        return None
    return None


def money(value, empty: str = EMPTY) -> str:
    """US dollars with thousands separators and cents: 1250 -> "$1,250.00"."""
    if value in (None, ""):
        return empty
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def duration(value, unit: str = "days") -> str:
    """A timedelta (or seconds) in one unit, rounded down: duration(timedelta(days=12), "days") -> "12 days"."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; choose one of {', '.join(UNITS)}")
    n = max(int(seconds // UNITS[unit]), 0)
    return f"{n:,} {_SINGULAR[unit] if n == 1 else unit}"


def since(value, unit: str = "days") -> str:
    """How long ago an aware datetime was, in one unit ("3 hours")."""
    if value in (None, ""):
        return ""
    return duration(timezone.now() - value, unit)


# ---------------------------------------------------------------- history entries


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist, or a name a service logged that is not a field
        for f in model._meta.concrete_fields:
            if f.attname == name:
                return f
    return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A field as people read it: the model field's verbose_name ("Case number"), else the name made readable."""
    f = _field(model, name)
    label = str(f.verbose_name) if f is not None and hasattr(f, "verbose_name") else name.replace("_", " ")
    return label[:1].upper() + label[1:]


def value_label(model: type[models.Model] | None, name: str, value) -> str:
    """A logged value as people read it: the choice label, Yes/No, a Pacific time, or the text itself."""
    if value is None or value == "" or value == []:
        return EMPTY
    f = _field(model, name)
    if f is not None and getattr(f, "choices", None):
        choices = {str(k): v for k, v in f.flatchoices}
        if str(value) in choices:
            return str(choices[str(value)])
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(value_label(model, name, v) for v in value)
    if isinstance(value, str):
        stamp = parse_stamp(value)
        if stamp is not None:
            return pacific(stamp)
    if isinstance(f, models.DecimalField) and any(w in name for w in MONEY_FIELDS):
        return money(value)
    return str(value)


def status_label(model: type[models.Model] | None, changes: dict) -> str | None:
    """The new state's label when an entry changed the record's status, so the history says "Filed" where the
    badge does (never the internal value or the action's own verb)."""
    pair = (changes or {}).get("status")
    if not pair or len(pair) != 2 or model is None:
        return None
    label = value_label(model, "status", pair[1])
    return None if label == EMPTY else label


# ----------------------------------------------------------------------------- license numbers

LICENSE_KEYS = ("licence", "license", "dl_number")


def mask_license(value: str) -> str:
    """A license number where it is not the point of the page: only the last four show (••••••••3456)."""
    value = str(value)
    return "•" * max(len(value) - 4, 0) + value[-4:]


def is_license_key(name: str) -> bool:
    lname = name.lower()
    return any(k in lname for k in LICENSE_KEYS)


def mask_licenses(data: Any, *, inside: bool = False) -> Any:
    """A copy of JSON-like `data` with every license number masked: a string under a license key
    (`license_number`, `dl_number`) or the `number` of a license object (the contract's `driver.licence.number`)."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            licensed = is_license_key(str(key))
            if isinstance(value, str) and value and (licensed or (inside and key == "number")):
                out[key] = mask_license(value)
            else:
                out[key] = mask_licenses(value, inside=licensed)
        return out
    if isinstance(data, list):
        return [mask_licenses(item, inside=inside) for item in data]
    return data


def mask_license_at(path: str, value: Any) -> Any:
    """`value` of the field at a dotted contract path ('units[0].driver.licence.number'), masked when the path
    names a license."""
    if isinstance(value, str) and value and any(is_license_key(part) for part in path.split(".")):
        return mask_license(value)
    return mask_licenses(value) if isinstance(value, (dict, list)) else value
