"""Rate limits shared across processes: fixed windows counted in the database (default, so the SQLite demo and
any number of gunicorn workers share them) or in Redis when `THROTTLE_REDIS_URL` is set (production).

django-axes still locks a *user name* after repeated failures; this module adds the limits axes cannot express
with its one failure limit: by client address (password spraying), by account for password resets, per link
and per feed credential. Callers ask `throttle_check` before doing the work (nothing is counted) and
`throttle_hit` to count an attempt; a refusal carries the seconds until the window ends, for `Retry-After`.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """`limit` attempts per `seconds`. Written "15/15m", "120/1m", "10/h", "3/1d"."""

    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE.match(text or "")
        if not match:
            raise ValueError(f"a rate is written like 15/15m or 120/1m (count/period with s, m, h or d); got {text!r}")
        limit, size, unit = int(match[1]), int(match[2] or 1), match[3]
        if limit < 1 or size < 1:
            raise ValueError(f"a rate needs a count and a period of at least 1; got {text!r}")
        return cls(limit=limit, seconds=size * _UNIT_SECONDS[unit])


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # whole seconds until the window ends (at least 1)


def rate_for(name: str) -> Rate:
    """The rate configured for `name` in settings.THROTTLE_RATES."""
    return Rate.parse(settings.THROTTLE_RATES[name])


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (AXES_PROXY_COUNT behind a proxy), so a lockout and a rate
    limit always speak of the same address."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR") or "unknown"


def _key(scope: str, value: str) -> str:
    return hashlib.sha256(f"{scope}\x00{value.strip().lower()}".encode()).hexdigest()


# ------------------------------------------------------------------ backends


_UPSERT = """
INSERT INTO {table} ("key", "count", "window_ends_at") VALUES (%s, %s, %s)
ON CONFLICT ("key") DO UPDATE SET
  "count" = CASE WHEN {table}."window_ends_at" > %s THEN {table}."count" + EXCLUDED."count" ELSE EXCLUDED."count" END,
  "window_ends_at" = CASE WHEN {table}."window_ends_at" > %s THEN {table}."window_ends_at"
                     ELSE EXCLUDED."window_ends_at" END
RETURNING "count", "window_ends_at"
"""


def _aware(value: Any) -> datetime:
    if isinstance(value, str):  # SQLite returns the stored text
        value = parse_datetime(value)
    assert isinstance(value, datetime)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _db_hit(key: str, rate: Rate, amount: int) -> tuple[int, int]:
    """One statement, atomic in the database (an upsert on PostgreSQL and SQLite alike): two processes counting
    at once never lose a count, and a window that has ended starts again at this hit."""
    from .models import RateCounter

    now = timezone.now()
    if not amount:
        row = RateCounter.objects.filter(key=key, window_ends_at__gt=now).values_list("count", "window_ends_at").first()
    else:
        ops = connection.ops
        stamp, ends = (ops.adapt_datetimefield_value(v) for v in (now, now + timedelta(seconds=rate.seconds)))
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT.format(table=RateCounter._meta.db_table), [key, amount, ends, stamp, stamp])
            row = cursor.fetchone()
    if row is None:
        return 0, rate.seconds
    return int(row[0]), max(1, math.ceil((_aware(row[1]) - now).total_seconds()))


@lru_cache(maxsize=4)
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _redis_hit(key: str, rate: Rate, amount: int) -> tuple[int, int]:
    name = f"sector:throttle:{key}"
    pipe = _redis(settings.THROTTLE_REDIS_URL).pipeline(transaction=True)
    pipe.set(name, 0, ex=rate.seconds, nx=True)  # opens the window on first use; never extends it
    pipe.incrby(name, amount)
    pipe.ttl(name)
    _, count, ttl = pipe.execute()
    return int(count), max(1, int(ttl))


def _hit(scope: str, value: str, rate: Rate, amount: int) -> Verdict:
    key = _key(scope, value)
    backend = _redis_hit if settings.THROTTLE_REDIS_URL else _db_hit
    count, retry_after = backend(key, rate, amount)
    return Verdict(allowed=count <= rate.limit, count=count, limit=rate.limit, retry_after=retry_after)


# ------------------------------------------------------------------ the API


def throttle_hit(*, scope: str, value: str, rate: Rate | None = None) -> Verdict:
    """Count one attempt for (scope, value) and say whether it is within the limit."""
    return _hit(scope, value, rate or rate_for(scope), 1)


def throttle_check(*, scope: str, value: str, rate: Rate | None = None) -> Verdict:
    """Whether the next attempt would be refused, without counting one (refused once the limit is reached)."""
    rate = rate or rate_for(scope)
    verdict = _hit(scope, value, rate, 0)
    return Verdict(allowed=verdict.count < rate.limit, count=verdict.count, limit=rate.limit,
                   retry_after=verdict.retry_after)  # fmt: skip


def throttle_sweep() -> int:
    """Delete database counters whose window ended more than a day ago; returns how many."""
    from .models import RateCounter

    deleted, _ = RateCounter.objects.filter(window_ends_at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
