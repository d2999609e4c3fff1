"""A record's custody chain: each hop from the officer's signature to the last acknowledgment, with its time,
who acknowledged it, and whether it is late or overdue against its expected time.

The platform knows only the shape; each domain builds its record's hops from data it already keeps (ticket
fields, versions, audit entries, outbox deliveries) and the template `includes/custody_chain.html` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

DONE = "done"
LATE = "late"  # done, after its expected time
WAITING = "waiting"  # not yet, still within its expected time
OVERDUE = "overdue"  # not yet, past its expected time
NOT_RECORDED = "not_recorded"  # the sender did not say (e.g. no sent_at), nothing to wait for
CLOSED = "closed"  # will not happen: the record went another way (transferred, duplicate, void, returned)

STATE_LABELS = {
    DONE: "Done",
    LATE: "Done late",
    WAITING: "Waiting",
    OVERDUE: "Overdue",
    NOT_RECORDED: "Not recorded",
    CLOSED: "Not applicable",
}
STATE_BADGES = {
    DONE: "text-bg-success",
    LATE: "text-bg-warning",
    WAITING: "text-bg-secondary",
    OVERDUE: "text-bg-danger",
    NOT_RECORDED: "text-bg-light border",
    CLOSED: "text-bg-light border",
}


@dataclass(frozen=True)
class Hop:
    label: str  # "Signed by the officer"
    at: datetime | None = None
    by: str = ""  # who did or acknowledged it
    detail: str = ""  # case number, acknowledgment, batch
    expected_by: datetime | None = None
    state: str = DONE

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def flagged(self) -> bool:
        return self.state in (LATE, OVERDUE)


def hop(
    label: str,
    *,
    at: datetime | None,
    by: str = "",
    detail: str = "",
    expected_by: datetime | None = None,
    closed: bool = False,
    optional: bool = False,
    now: datetime | None = None,
) -> Hop:
    """One hop, its state derived: done (late when after `expected_by`), or waiting / overdue against
    `expected_by`; `closed` when the record went another way, `optional` when a missing time is not awaited."""
    if at is not None:
        state = LATE if expected_by is not None and at > expected_by else DONE
    elif closed:
        state = CLOSED
    elif optional or expected_by is None:
        state = NOT_RECORDED if optional else WAITING
    else:
        state = OVERDUE if (now or timezone.now()) > expected_by else WAITING
    return Hop(label=label, at=at, by=by, detail=detail, expected_by=expected_by, state=state)


def after(moment: datetime | None, delta: timedelta) -> datetime | None:
    return None if moment is None else moment + delta
