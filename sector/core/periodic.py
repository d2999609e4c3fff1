"""Periodic tasks that run once per schedule slot however many beat processes fire them (issue 14 item 3).

The guard is a database claim, not celery-redbeat: every periodic task body starts with `claim_slot(name,
period)`. The slot is the current time floored to the task's period (in Pacific time for daily slots, so a
6:00 crontab has one slot a day); one conditional UPDATE on the task's `PeriodicRun` row moves it to the new
slot, and only the process whose UPDATE changed the row runs the body. A second beat's copy of the same firing
(or a redelivered message) finds the slot taken and returns at once. PostgreSQL serializes the two UPDATEs on
the row; SQLite (the demo) serializes writes altogether.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import PeriodicRun

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
SKIPPED = "skipped: this slot already ran"


def slot_start(*, period: timedelta, now: datetime | None = None) -> datetime:
    """The start of the slot `now` falls in: floored to `period` in the portal's time zone."""
    now = now or timezone.now()
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = int(period.total_seconds())
    if seconds <= 0:
        raise ValueError("A periodic slot needs a positive period.")
    if seconds >= 86400:
        return midnight
    into_day = int((local - midnight).total_seconds())
    return midnight + timedelta(seconds=into_day - into_day % seconds)


def claim_slot(name: str, *, period: timedelta, now: datetime | None = None) -> bool:
    """True for the one caller that claims `name`'s current slot; False for every other caller in that slot."""
    now = now or timezone.now()
    slot = slot_start(period=period, now=now)
    if PeriodicRun.objects.filter(name=name, slot__lt=slot).update(slot=slot, claimed_at=now):
        return True
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=name, slot=slot, claimed_at=now)
        return True
    except IntegrityError:  # the row exists: either this slot is taken or another caller just claimed it
        return False


def once_per_slot(name: str, *, period: timedelta) -> Callable[[F], F]:
    """Decorate a periodic task's body so it runs once per slot of `period`."""

    def wrap(func: F) -> F:
        @functools.wraps(func)
        def inner(*args: Any, **kwargs: Any) -> Any:
            if not claim_slot(name, period=period):
                logger.info("%s: slot already claimed by another run", name)
                return SKIPPED
            return func(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap
