"""Contract checks shared by every record type (contracts/FEED.md, Common parts).

A `Checker` walks one record and collects errors (`field`, `code`, `message`) and warnings; it never
raises on bad input, whatever its type. Field paths read like the contract: `defendant.licence.number`,
`violations[0].law`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .choices import ErrorCode

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONEY_RE = re.compile(r"^\d{1,9}\.\d{2}$")
NUMBER_RE = re.compile(r"^[A-Z0-9-]{1,20}$")
ORI_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{7}$")
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
# Washington's bounding box, generously rounded.
WA_LAT = (45.5, 49.1)
WA_LON = (-124.9, -116.9)
# A clock a little ahead at the sender is not a future time.
CLOCK_SKEW = timedelta(minutes=5)
INT_MAX = 2**31 - 1
# The calendar the portal computes in: earlier or later values are refused as invalid, so no conversion to
# Pacific time, no age and no deadline arithmetic ever leaves Python's or PostgreSQL's range.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)

_MISSING = object()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Checker:
    def __init__(self, now: datetime | None = None):
        self.errors: list[dict] = []
        self.warnings: list[dict] = []
        self.now = now or datetime.now(UTC)

    # -- reporting
    def error(self, field: str, code: str, message: str) -> None:
        self.errors.append({"field": safe_text(field), "code": code, "message": safe_text(message)})

    def warn(self, field: str, code: str, message: str) -> None:
        self.warnings.append({"field": safe_text(field), "code": code, "message": safe_text(message)})

    @staticmethod
    def path(prefix: str, key: str | int) -> str:
        if isinstance(key, int):
            return f"{prefix}[{key}]"
        return f"{prefix}.{key}" if prefix else key

    # -- structure
    def obj(self, value: Any, field: str, allowed: set[str], *, required: bool = True, nullable: bool | None = None):
        """A JSON object with no keys outside `allowed`; None if absent/null/wrong. Optional ones may be null."""
        if nullable is None:
            nullable = not required
        if value is _MISSING or (value is None and nullable):
            if required and value is _MISSING:
                self.error(field, ErrorCode.REQUIRED, f"{field} is required.")
            return None
        if not isinstance(value, dict):
            self.error(field, ErrorCode.INVALID, f"{field or 'The record'} must be a JSON object.")
            return None
        for key in value:
            if key not in allowed:
                self.error(self.path(field, key), ErrorCode.INVALID, f"Unknown field '{str(key)[:60]}'.")
        return value

    def get(self, d: dict, key: str):
        return d.get(key, _MISSING)

    def string(
        self,
        d: dict,
        key: str,
        prefix: str = "",
        *,
        required: bool = False,
        max_len: int = 200,
        pattern: re.Pattern | None = None,
        choices: tuple[str, ...] | None = None,
        what: str = "",
    ) -> str | None:
        field, value = self._given(d, key, prefix, required=required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(field, ErrorCode.INVALID, f"{field} must be a string.")
            return None
        if required and not value.strip():
            self.error(field, ErrorCode.REQUIRED, f"{field} is required and may not be blank.")
            return None
        if len(value) > max_len:
            self.error(field, ErrorCode.TOO_LONG, f"{field} is at most {_plural(max_len, 'character')}.")
            return None
        if "\x00" in value:  # orjson already refused lone surrogates; PostgreSQL refuses NUL
            self.error(field, ErrorCode.INVALID, f"{field} contains characters that cannot be stored.")
            return None
        if choices is not None and value not in choices:
            self.error(field, ErrorCode.INVALID, f"{field} must be one of: {', '.join(choices)}.")
            return None
        if pattern is not None and not pattern.match(value):
            self.error(field, ErrorCode.INVALID, f"{field} is not a valid {what or 'value'}.")
            return None
        return value

    def _given(self, d: dict, key: str, prefix: str, *, required: bool = False) -> tuple[str, Any]:
        """The field's path and its value, None when absent or null (then a REQUIRED error if `required`)."""
        field = self.path(prefix, key)
        value = d.get(key)
        if value is None and required:
            self.error(field, ErrorCode.REQUIRED, f"{field} is required.")
        return field, value

    def boolean(self, d: dict, key: str, prefix: str = "", *, default: bool | None = None) -> bool | None:
        field, value = self._given(d, key, prefix)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(field, ErrorCode.INVALID, f"{field} must be true or false.")
            return default
        return value

    def integer(
        self, d: dict, key: str, prefix: str = "", *, required: bool = False, minimum: int = 0, maximum: int = INT_MAX
    ) -> int | None:
        field, value = self._given(d, key, prefix, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(field, ErrorCode.INVALID, f"{field} must be a whole number.")
            return None
        if not minimum <= value <= maximum:
            self.error(field, ErrorCode.INVALID, f"{field} must be between {minimum} and {maximum}.")
            return None
        return value

    def number(self, d: dict, key: str, prefix: str = "", *, minimum: float, maximum: float) -> float | None:
        field, value = self._given(d, key, prefix)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(field, ErrorCode.INVALID, f"{field} must be a number.")
            return None
        if not minimum <= value <= maximum:
            self.error(field, ErrorCode.INVALID, f"{field} must be between {minimum} and {maximum}.")
            return None
        return float(value)

    def time(self, d: dict, key: str, prefix: str = "", *, required: bool = False, past: bool = True):
        field, value = self._given(d, key, prefix, required=required)
        if value is None:
            return None
        parsed = parse_time(value)
        if parsed is None:
            self.error(
                field,
                ErrorCode.INVALID,
                f"{field} must be an ISO 8601 time with an offset, e.g. 2026-11-20T14:32:00-08:00.",
            )
            return None
        if past and parsed > self.now + CLOCK_SKEW:
            self.error(field, ErrorCode.FUTURE_TIME, f"{field} is in the future.")
            return None
        return parsed

    def _text_like(self, d: dict, key: str, prefix: str, pattern: re.Pattern, message: str) -> tuple[str, str] | None:
        """The field's path and its text, when present and written as `pattern` wants; None when absent, or
        (with the error `message`, "{field}" filled in) when written otherwise."""
        field, value = self._given(d, key, prefix)
        if value is None:
            return None
        if not isinstance(value, str) or not pattern.match(value):
            self.error(field, ErrorCode.INVALID, message.format(field=field))
            return None
        return field, value

    def date(self, d: dict, key: str, prefix: str = "") -> date | None:
        found = self._text_like(d, key, prefix, DATE_RE, "{field} must be a date written YYYY-MM-DD.")
        if found is None:
            return None
        field, value = found
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.error(field, ErrorCode.INVALID, f"{field} is not a real date.")
            return None
        if parsed < EARLIEST.date():
            self.error(field, ErrorCode.INVALID, f"{field} is before {EARLIEST.date().isoformat()}.")
            return None
        if parsed > self.now.date() + timedelta(days=1):
            self.error(field, ErrorCode.FUTURE_TIME, f"{field} is in the future.")
            return None
        return parsed

    def money(self, d: dict, key: str, prefix: str = "") -> Decimal | None:
        found = self._text_like(d, key, prefix, MONEY_RE, '{field} must be a decimal string such as "234.00".')
        if found is None:
            return None
        field, value = found
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern already excludes it
            self.error(field, ErrorCode.INVALID, f"{field} is not a number.")
            return None

    # -- common parts
    def officer(self, d: dict, key: str = "officer") -> dict | None:
        o = self.obj(d.get(key, _MISSING), key, {"name", "personnel_number"})
        if o is None:
            return None
        return {
            "name": self.string(o, "name", key, required=True),
            "personnel_number": self.string(o, "personnel_number", key, required=True, max_len=30),
        }

    def person(self, value: Any, field: str, *, required: bool = True) -> dict | None:
        allowed = {
            "last_name",
            "first_name",
            "middle_name",
            "date_of_birth",
            "sex",
            "address",
            "licence",
            "description",
        }
        p = self.obj(value, field, allowed, required=required, nullable=not required)
        if p is None:
            return None
        out = {
            "last_name": self.string(p, "last_name", field, required=True, max_len=100),
            "first_name": self.string(p, "first_name", field, max_len=100),
            "middle_name": self.string(p, "middle_name", field, max_len=100),
            "date_of_birth": self.date(p, "date_of_birth", field),
            "sex": self.string(p, "sex", field, choices=("M", "F", "X", "U")),
            "address": None,
            "licence": None,
            "description": None,
        }
        af = self.path(field, "address")
        a = self.obj(p.get("address", _MISSING), af, {"line1", "line2", "city", "state", "postal_code"}, required=False)
        if a is not None:
            out["address"] = {
                "line1": self.string(a, "line1", af, required=True),
                "line2": self.string(a, "line2", af),
                "city": self.string(a, "city", af, required=True, max_len=100),
                "state": self.string(a, "state", af, required=True, max_len=2),
                "postal_code": self.string(a, "postal_code", af, required=True, max_len=10),
            }
        lf = self.path(field, "licence")
        lic = self.obj(p.get("licence", _MISSING), lf, {"number", "state", "commercial"}, required=False)
        if lic is not None:
            out["licence"] = {
                "number": self.string(lic, "number", lf, required=True, max_len=30),
                "state": self.string(lic, "state", lf, required=True, max_len=2),
                "commercial": self.boolean(lic, "commercial", lf, default=False),
            }
        df = self.path(field, "description")
        desc = self.obj(p.get("description", _MISSING), df, {"height", "weight", "eyes", "hair"}, required=False)
        if desc is not None:
            out["description"] = {k: self.string(desc, k, df, max_len=20) for k in ("height", "weight", "eyes", "hair")}
        return out

    def vehicle(self, value: Any, field: str) -> dict | None:
        allowed = {"plate", "plate_state", "make", "model", "style", "year", "vin", "commercial", "hazmat"}
        v = self.obj(value, field, allowed, required=False, nullable=True)
        if v is None:
            return None
        vin = self.string(v, "vin", field, max_len=17)
        vin_field = self.path(field, "vin")
        if vin is not None:
            if not VIN_RE.match(vin):
                self.error(vin_field, ErrorCode.INVALID, "A VIN is 17 letters and digits, without I, O or Q.")
                vin = None
            elif not vin_check_digit_ok(vin):
                self.warn(vin_field, "vin_check_digit", "The VIN's check digit (9th character) does not match.")
        return {
            "plate": self.string(v, "plate", field, max_len=12),
            "plate_state": self.string(v, "plate_state", field, max_len=2),
            "make": self.string(v, "make", field, max_len=40),
            "model": self.string(v, "model", field, max_len=40),
            "style": self.string(v, "style", field, max_len=40),
            "year": self.integer(v, "year", field, minimum=1900, maximum=self.now.year + 2),
            "vin": vin,
            "commercial": self.boolean(v, "commercial", field, default=False),
            "hazmat": self.boolean(v, "hazmat", field, default=False),
        }

    def location(self, value: Any, field: str = "location") -> dict | None:
        allowed = {"county", "city", "road", "milepost", "latitude", "longitude"}
        loc = self.obj(value, field, allowed)
        if loc is None:
            return None
        out = {
            "county": self.string(loc, "county", field, required=True, max_len=40),
            "city": self.string(loc, "city", field, max_len=100),
            "road": self.string(loc, "road", field),
            "milepost": self.number(loc, "milepost", field, minimum=0, maximum=10000),
            "latitude": self.number(loc, "latitude", field, minimum=-90, maximum=90),
            "longitude": self.number(loc, "longitude", field, minimum=-180, maximum=180),
        }
        lat, lon = out["latitude"], out["longitude"]
        if (lat is None) != (lon is None):
            self.error(field, ErrorCode.INVALID, "Send latitude and longitude together.")
        elif lat is not None and not (WA_LAT[0] <= lat <= WA_LAT[1] and WA_LON[0] <= lon <= WA_LON[1]):
            self.warn(field, "outside_washington", "The coordinates are outside Washington.")
        return out


def safe_text(value: str) -> str:
    """Text quoted from a record, storable anywhere: PostgreSQL refuses NUL in text and jsonb."""
    return value.replace("\x00", "\ufffd") if "\x00" in value else value


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not TIME_RE.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:  # pragma: no cover - the pattern requires an offset
        return None
    try:
        utc = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return utc if EARLIEST <= utc < LATEST else None


def _has_lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_VIN_VALUES = {**{str(i): i for i in range(10)}}
_VIN_VALUES.update(dict(zip("ABCDEFGH", range(1, 9), strict=True)))
_VIN_VALUES.update(dict(zip("JKLMN", range(1, 6), strict=True)))
_VIN_VALUES.update({"P": 7, "R": 9})
_VIN_VALUES.update(dict(zip("STUVWXYZ", range(2, 10), strict=True)))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit_ok(vin: str) -> bool:
    total = sum(_VIN_VALUES[c] * w for c, w in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return vin[8] == ("X" if remainder == 10 else str(remainder))


# ---------------------------------------------------------------- the fast path
#
# Most records a sender posts are well formed. Walking each through `Checker` (a method call, a field path and a
# few checks per field) is the largest Python cost of ingest, so a record is first tried by the functions below:
# the same rules, written as straight-line code that builds no field path and no message. Any doubt at all (a
# wrong type, a bad value, anything that would be an error) raises `Fallback`, and the caller runs `Checker`,
# which says exactly what is wrong. For a record they accept they return what `Checker` returns, value for value,
# warnings included (tests/feed/test_fast_path.py holds them to that).


class Fallback(Exception):  # noqa: N818 - a signal, not an error: "ask Checker"
    """The fast path cannot vouch for this record: check it with `Checker`."""


def f_obj(value: Any, allowed: frozenset[str]) -> dict:
    if value.__class__ is not dict or not allowed.issuperset(value):
        raise Fallback
    return value


def f_str(d: dict, key: str, max_len: int = 200) -> str | None:
    """An optional string (None when absent or null)."""
    value = d.get(key)
    if value is None:
        return None
    if value.__class__ is not str or len(value) > max_len or "\x00" in value:
        raise Fallback
    return value


def f_req(d: dict, key: str, max_len: int = 200) -> str:
    """A required string: present, not blank."""
    value = d.get(key)
    if value.__class__ is not str or len(value) > max_len or not value.strip() or "\x00" in value:
        raise Fallback
    return value


def f_choice(d: dict, key: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
    value = d.get(key)
    if value is None:
        return default
    if value.__class__ is not str or value not in choices:
        raise Fallback
    return value


def f_bool(d: dict, key: str, default: bool) -> bool:
    value = d.get(key)
    if value is None:
        return default
    if value.__class__ is not bool:
        raise Fallback
    return value


def f_int(d: dict, key: str, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    value = d.get(key)
    if value is None:
        return None
    if value.__class__ is not int or not minimum <= value <= maximum:
        raise Fallback
    return value


def f_number(d: dict, key: str, minimum: float, maximum: float) -> float | None:
    value = d.get(key)
    if value is None:
        return None
    cls = value.__class__
    if (cls is not float and cls is not int) or not minimum <= value <= maximum:
        raise Fallback
    return float(value)


def f_time(d: dict, key: str, now: datetime | None) -> datetime | None:
    """An optional time; with `now`, not in the future (beyond the clock skew)."""
    value = d.get(key)
    if value is None:
        return None
    parsed = parse_time(value)
    if parsed is None or (now is not None and parsed > now + CLOCK_SKEW):
        raise Fallback
    return parsed


def f_date(d: dict, key: str, now: datetime) -> date | None:
    value = d.get(key)
    if value is None:
        return None
    if value.__class__ is not str or not DATE_RE.match(value):
        raise Fallback
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Fallback from None
    if parsed < EARLIEST.date() or parsed > now.date() + timedelta(days=1):
        raise Fallback
    return parsed


def f_money(d: dict, key: str) -> Decimal | None:
    value = d.get(key)
    if value is None:
        return None
    if value.__class__ is not str or not MONEY_RE.match(value):
        raise Fallback
    return Decimal(value)


_OFFICER = frozenset({"name", "personnel_number"})
_PERSON = frozenset(
    {"last_name", "first_name", "middle_name", "date_of_birth", "sex", "address", "licence", "description"}
)
_ADDRESS = frozenset({"line1", "line2", "city", "state", "postal_code"})
_LICENCE = frozenset({"number", "state", "commercial"})
_DESCRIPTION = frozenset({"height", "weight", "eyes", "hair"})
_VEHICLE = frozenset({"plate", "plate_state", "make", "model", "style", "year", "vin", "commercial", "hazmat"})
_LOCATION = frozenset({"county", "city", "road", "milepost", "latitude", "longitude"})
_SEXES = ("M", "F", "X", "U")
OUTSIDE_WASHINGTON = {
    "field": "location",
    "code": "outside_washington",
    "message": "The coordinates are outside Washington.",
}
VIN_CHECK_DIGIT = {
    "field": "vehicle.vin",
    "code": "vin_check_digit",
    "message": "The VIN's check digit (9th character) does not match.",
}


def f_officer(value: Any) -> dict:
    o = f_obj(value, _OFFICER)
    return {"name": f_req(o, "name"), "personnel_number": f_req(o, "personnel_number", 30)}


def f_person(value: Any, now: datetime) -> dict:
    """A required person (Checker.person)."""
    p = f_obj(value, _PERSON)
    out = {
        "last_name": f_req(p, "last_name", 100),
        "first_name": f_str(p, "first_name", 100),
        "middle_name": f_str(p, "middle_name", 100),
        "date_of_birth": f_date(p, "date_of_birth", now),
        "sex": f_choice(p, "sex", _SEXES),
        "address": None,
        "licence": None,
        "description": None,
    }
    a = p.get("address")
    if a is not None:
        a = f_obj(a, _ADDRESS)
        out["address"] = {
            "line1": f_req(a, "line1"),
            "line2": f_str(a, "line2"),
            "city": f_req(a, "city", 100),
            "state": f_req(a, "state", 2),
            "postal_code": f_req(a, "postal_code", 10),
        }
    lic = p.get("licence")
    if lic is not None:
        lic = f_obj(lic, _LICENCE)
        out["licence"] = {
            "number": f_req(lic, "number", 30),
            "state": f_req(lic, "state", 2),
            "commercial": f_bool(lic, "commercial", False),
        }
    desc = p.get("description")
    if desc is not None:
        desc = f_obj(desc, _DESCRIPTION)
        out["description"] = {k: f_str(desc, k, 20) for k in ("height", "weight", "eyes", "hair")}
    return out


def f_vehicle(value: Any, now: datetime, warnings: list[dict]) -> dict | None:
    """An optional vehicle (Checker.vehicle); a wrong check digit is a warning."""
    if value is None:
        return None
    v = f_obj(value, _VEHICLE)
    vin = f_str(v, "vin", 17)
    if vin is not None:
        if not VIN_RE.match(vin):
            raise Fallback
        if not vin_check_digit_ok(vin):
            warnings.append(dict(VIN_CHECK_DIGIT))
    return {
        "plate": f_str(v, "plate", 12),
        "plate_state": f_str(v, "plate_state", 2),
        "make": f_str(v, "make", 40),
        "model": f_str(v, "model", 40),
        "style": f_str(v, "style", 40),
        "year": f_int(v, "year", 1900, now.year + 2),
        "vin": vin,
        "commercial": f_bool(v, "commercial", False),
        "hazmat": f_bool(v, "hazmat", False),
    }


def f_location(value: Any, warnings: list[dict]) -> dict:
    """A required location (Checker.location); coordinates outside Washington are a warning."""
    loc = f_obj(value, _LOCATION)
    out = {
        "county": f_req(loc, "county", 40),
        "city": f_str(loc, "city", 100),
        "road": f_str(loc, "road"),
        "milepost": f_number(loc, "milepost", 0, 10000),
        "latitude": f_number(loc, "latitude", -90, 90),
        "longitude": f_number(loc, "longitude", -180, 180),
    }
    lat, lon = out["latitude"], out["longitude"]
    if (lat is None) != (lon is None):
        raise Fallback
    if lat is not None and not (WA_LAT[0] <= lat <= WA_LAT[1] and WA_LON[0] <= lon <= WA_LON[1]):
        warnings.append(dict(OUTSIDE_WASHINGTON))
    return out
