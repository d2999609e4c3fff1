"""Keyset pagination written as a row comparison: `(a, b) > (x, y)`.

PostgreSQL answers a row comparison from a composite index at any depth (PERFORMANCE.md: 2.2 ms deep vs
255 ms for the OR form and 323 ms for OFFSET); SQLite supports row values too. The cursor is an opaque,
signed token so a user cannot craft one that breaks the query: a tampered token simply starts over.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core import signing
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

_SIGNER = signing.Signer(salt="sector.keyset")


def _encode(values: list[Any]) -> str:
    def conv(v):
        if isinstance(v, datetime):
            return {"dt": v.isoformat()}
        if isinstance(v, date):
            return {"d": v.isoformat()}
        return v

    raw = json.dumps([conv(v) for v in values], separators=(",", ":"))
    return _SIGNER.sign(base64.urlsafe_b64encode(raw.encode()).decode())


def _decode(token: str) -> list[Any] | None:
    try:
        raw = base64.urlsafe_b64decode(_SIGNER.unsign(token).encode())
        values = json.loads(raw)
    except (signing.BadSignature, binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list):
        return None
    out = []
    for v in values:
        if isinstance(v, dict) and "dt" in v:
            out.append(datetime.fromisoformat(v["dt"]))
        elif isinstance(v, dict) and "d" in v:
            out.append(date.fromisoformat(v["d"]))
        else:
            out.append(v)
    return out


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str | None
    is_first: bool
    size: int

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_page(queryset: QuerySet, *, order: tuple[str, ...], cursor: str | None, size: int = 50) -> KeysetPage:
    """One page of `queryset` ordered by `order` (all ascending, or all descending with a leading '-';
    the last field must be unique, e.g. the primary key). Costs one query whatever the depth."""
    descending = order[0].startswith("-")
    if any(f.startswith("-") != descending for f in order):
        raise ValueError("keyset ordering must run one direction")
    names = [f.lstrip("-") for f in order]
    qs = queryset.order_by(*order)
    after = _decode(cursor) if cursor else None
    if after is not None and len(after) == len(names):
        lookup = TupleLessThan if descending else TupleGreaterThan
        qs = qs.filter(lookup(Tuple(*[F(n) for n in names]), tuple(after)))
    else:
        after = None
    rows = list(qs[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = _encode([_attr(last, n) for n in names])
    return KeysetPage(object_list=rows, next_cursor=next_cursor, is_first=after is None, size=size)


def _attr(obj, name: str):
    value = obj
    for part in name.split("__"):
        value = getattr(value, part)
    return value
