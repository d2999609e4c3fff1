"""What the courts app plugs into ticket ingest without citations importing courts.

courts → citations is the allowed direction, so the filing calendar (a courts concern) registers its
calculator in `filing_calendar` from courts' AppConfig.ready; ingest calls it once per batch for all new tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sector.core.registry import ExtensionPoint


@dataclass(frozen=True)
class FilingInput:
    court_id: int
    kind: str
    issued_at: datetime
    received_at: datetime


@dataclass(frozen=True)
class FilingResult:
    filing_date: date | None
    deadline_at: datetime | None
    late: bool


FilingCalculator = Callable[[list[FilingInput]], list[FilingResult]]


def _no_calendar(items: list[FilingInput]) -> list[FilingResult]:
    return [FilingResult(None, None, False) for _ in items]


filing_calendar: ExtensionPoint[FilingCalculator] = ExtensionPoint("citations.filing_calendar")
"""A single-provider slot: the first calculator registered (courts' calendar) dates every new ticket."""


def filing_for(items: list[FilingInput]) -> list[FilingResult]:
    return filing_calendar.first(default=_no_calendar)(items) if items else []
