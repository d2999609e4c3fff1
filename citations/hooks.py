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
    service: str = "personal"
    appearance_at: datetime | None = None


@dataclass(frozen=True)
class FilingResult:
    filing_date: date | None
    deadline_at: datetime | None
    late: bool
    # The response deadline on the court's calendar (GR 3): its last day, and the day it was moved from and why.
    response_due: date | None = None
    response_due_moved_from: date | None = None
    response_due_reason: str = ""
    # The agency's appearance date checked against the court's calendar (a code of AppearanceWarning, or "").
    appearance_warning: str = ""
    appearance_warning_note: str = ""

    def ticket_fields(self) -> dict:
        """The Ticket columns this result sets."""
        return {
            "filing_date": self.filing_date,
            "deadline_at": self.deadline_at,
            "late": self.late,
            **self.later_fields(),
        }

    def later_fields(self) -> dict:
        """The columns that follow the applied version and the calendar as it stands (recomputed when an
        amendment is applied or a closure changes); the filing date, deadline and lateness stay as they
        were when the ticket first arrived."""
        return {
            "response_due": self.response_due,
            "response_due_moved_from": self.response_due_moved_from,
            "response_due_reason": self.response_due_reason,
            "appearance_warning": self.appearance_warning,
            "appearance_warning_note": self.appearance_warning_note,
        }


FilingCalculator = Callable[[list[FilingInput]], list[FilingResult]]


def _no_calendar(items: list[FilingInput]) -> list[FilingResult]:
    return [FilingResult(None, None, False) for _ in items]


filing_calendar: ExtensionPoint[FilingCalculator] = ExtensionPoint("citations.filing_calendar")
"""A single-provider slot: the first calculator registered (courts' calendar) dates every new ticket."""


def filing_for(items: list[FilingInput]) -> list[FilingResult]:
    return filing_calendar.first(default=_no_calendar)(items) if items else []
