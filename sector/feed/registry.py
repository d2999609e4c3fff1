"""The feed's extension point: domain apps register one handler per record type in their AppConfig.ready.

The feed knows no domain. It authenticates, checks the envelope, stores the batch, and hands each record
type's list (in index order) to the handler registered for it. A handler validates against the contract,
stores in bulk inside the feed's transaction, and returns one result per record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sector.core.registry import ExtensionPoint


@dataclass(frozen=True)
class FeedRecord:
    index: int
    raw: Any  # the record as parsed from JSON
    canonical: bytes  # canonical JSON (keys sorted, no whitespace): "same content" means equal bytes
    content_hash: str  # SHA-256 of `canonical`


@dataclass(frozen=True)
class IngestContext:
    system: str
    received_at: datetime
    sent_at: datetime | None
    batch_pk: int | None
    reprocessing: bool = False


# handler(records, context) -> list of result dicts, one per record, each carrying its "index".
Handler = Callable[[list[FeedRecord], IngestContext], list[dict]]

record_handlers: ExtensionPoint[Handler] = ExtensionPoint("feed.record_handlers")
"""One handler per record type, keyed by the type name the feed contract uses ("ticket", "collision")."""

# viewed(*, actor, record_id) -> None
RecordViewed = Callable[..., None]

record_viewed: ExtensionPoint[RecordViewed] = ExtensionPoint("feed.record_viewed")
"""Keyed by record type: called when a feed page shows a record's content (a delivery's payload), so the domain
that owns the record logs the access (collisions: the RCW 46.52.080 access log) without the feed knowing it."""


@dataclass(frozen=True)
class BacklogRow:
    """One queue's backlog for the outage burn-down (issue 16 item 4)."""

    label: str  # e.g. the court's name
    waiting: int  # records waiting now
    arrived: int  # records that joined the queue in the window
    cleared: int  # records that left it in the window
    oldest: datetime | None = None


# backlog(*, since) -> (title, rows): one per domain queue the feed fills, e.g. tickets waiting at each court.
BacklogSource = Callable[..., tuple[str, list[BacklogRow]]]

backlog_sources: ExtensionPoint[BacklogSource] = ExtensionPoint("feed.backlog_sources")
"""Keyed by record type: the domain's intake backlog, so the burn-down shows it without the feed knowing it."""


@dataclass(frozen=True)
class OverdueRow:
    """One hop missing past its expected time, as the feed screens list it."""

    record: str  # "Ticket 5A0012345 (Olympia Police Department)"
    url: str
    where: str  # who owes the hop: the court, the agency, the destination
    since: datetime  # when the record reached the hop before
    expected_by: datetime


@dataclass(frozen=True)
class OverdueSource:
    """A kind of overdue hop a domain can list: `queryset(user, now)` the records (scoped by the policy, one
    query per page with its related rows), keyset-ordered by `order`, each drawn by `row`."""

    key: str
    label: str  # the tab: "Tickets not accepted"
    hop: str  # "Accepted by the court"
    expectation: str  # "3 days after the portal received it"
    queryset: Callable[[Any, datetime], Any]
    order: tuple[str, ...]
    row: Callable[[Any], OverdueRow]
    perm: str  # who may see the tab


overdue_hops: ExtensionPoint[OverdueSource] = ExtensionPoint("feed.overdue_hops", key=lambda s: s.key)
"""Custody-chain hops missing past their expected time (issue 16): the feed's screens list them for WSP
support; each domain registers the hops of its records, the feed its own (deliveries not acknowledged)."""
