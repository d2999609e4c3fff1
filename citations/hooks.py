"""What the courts app plugs into ticket ingest without citations importing courts.

courts → citations is the allowed direction, so the filing calendar (a courts concern) registers its
calculator here in courts' AppConfig.ready; ingest calls it once per batch for all new tickets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime


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


_calculator: FilingCalculator = _no_calendar


def set_filing_calculator(func: FilingCalculator) -> None:
    global _calculator
    _calculator = func


def filing_for(items: list[FilingInput]) -> list[FilingResult]:
    return _calculator(items) if items else []
