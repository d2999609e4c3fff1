"""The ticket handler the feed calls with every batch's ticket records (registered in CitationsConfig.ready).

A fixed number of queries per batch whatever its size: agencies (locked, so two batches for one agency
apply one after the other), courts, the tickets already known, the previous versions of amended tickets,
other agencies' tickets with the same numbers, the calendar, then one bulk write per table.
Records apply in index order: a later record sees an earlier one of the same batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from sector.feed import bulk
from sector.feed.choices import ErrorCode, ResultStatus
from sector.feed.registry import FeedRecord, IngestContext
from sector.feed.services import owned_by_other_system, rejected
from sector.feed.versions import version_changes
from sector.orgs.models import Agency, Court, Person

from .choices import VersionDisposition
from .hooks import FilingInput, filing_for
from .models import Ticket, TicketVersion, Violation
from .rules import INITIAL_STATUS, needs_clerk, queue_position, typed_ticket_fields
from .validation import check_ticket


@dataclass
class _Known:
    """What ingest knows about one ticket identity while it walks the batch in index order."""

    id: int | None
    new: bool
    latest_version: int
    latest_hash: str
    status: str
    system: str = ""  # the system that sent version 1 (only it may send more)
    row: dict | None = None  # the row to insert, for a ticket new in this batch
    previous_raw: dict | None = None  # the latest version's raw, for the change list
    updates: dict = field(default_factory=dict)  # column changes for a stored ticket


def _err(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


def _version_row(state: _Known, rec: FeedRecord, t: dict, ctx: IngestContext, disposition: str, warnings) -> dict:
    appearance = t["appearance"] or {}
    return {
        "_state": state,
        "version": t["version"],
        "batch_id": ctx.batch_pk,
        "received_at": ctx.received_at,
        "sent_at": ctx.sent_at,
        "content_hash": rec.content_hash,
        "raw": bulk.RawJSON(rec.canonical.decode()),
        "disposition": disposition,
        "changes": {},
        "warnings": warnings,
        "kind": t["kind"],
        "court_code": t["court_code"],
        "agency_case_number": t["agency_case_number"],
        "issued_at": t["issued_at"],
        "service": t["service"],
        "in_custody": t["in_custody"],
        "appearance_at": appearance.get("at"),
        "appearance_location": appearance.get("location") or "",
        "officer_name": t["officer"]["name"],
        "officer_personnel_number": t["officer"]["personnel_number"],
        "certification_statement": t["certification"]["statement"],
        "certification_place": t["certification"]["place"],
        "location": t["location"],
        "defendant": t["defendant"],  # dates become ISO strings when the row is written
        "vehicle": t["vehicle"],
        "void": t["void"],
        "void_reason": t["void_reason"],
    }


def _violation_rows(state: _Known, t: dict) -> list[dict]:
    return [
        {
            "_state": state,
            "version": t["version"],
            "position": i,
            "law": v["law"],
            "law_kind": v["law_kind"],
            "offense_level": v["offense_level"],
            "traffic": v["traffic"],
            "description": v["description"],
            "penalty": v["penalty"],
            "speed": v["speed"],
            "posted_speed": v["posted_speed"],
            "zone": v["zone"],
            "collision_report_number": v["collision_report_number"],
        }
        for i, v in enumerate(t["violations"])
    ]


def _str_field(raw, key: str) -> str | None:
    value = raw.get(key) if isinstance(raw, dict) else None
    # Only strings a lookup can carry (PostgreSQL refuses NUL even as a query parameter).
    return value if isinstance(value, str) and len(value) <= 40 and "\x00" not in value else None


def _known_tickets(agencies: dict, numbers: list[str], *, lock: bool) -> dict[tuple[int, str], _Known]:
    known: dict[tuple[int, str], _Known] = {}
    if not agencies or not numbers:
        return known
    qs = Ticket.objects.filter(agency_id__in=[a.pk for a in agencies.values()], ticket_number__in=numbers)
    if lock and bulk.is_postgres():
        qs = qs.select_for_update(of=("self",)).order_by("id")
    for row in qs.values_list(
        "id", "agency_id", "ticket_number", "latest_version", "latest_hash", "status", "source_system"
    ):
        known[(row[1], row[2])] = _Known(
            id=row[0], new=False, latest_version=row[3], latest_hash=row[4], status=row[5], system=row[6]
        )
    return known


def _settled(rec: FeedRecord, agencies: dict, known: dict) -> _Known | None:
    """The stored ticket when this record repeats its latest version exactly (valid when it came: unchanged)."""
    raw = rec.raw
    agency = agencies.get(_str_field(raw, "agency_ori") or "")
    number = _str_field(raw, "ticket_number")
    if agency is None or not number:
        return None
    entry = known.get((agency.pk, number))
    if entry is not None and raw.get("version") == entry.latest_version and rec.content_hash == entry.latest_hash:
        return entry
    return None


def _officers(agencies: dict, checked: dict) -> dict[tuple[int, str], int]:
    """The person records of the batch's officers, by (agency, personnel number): one query. A ticket is linked to
    its officer's person when it is created, which is what lets an officer see their own tickets."""
    personnel = sorted(
        {t["officer"]["personnel_number"] for t, errors, _ in checked.values() if t and not errors} - {""}
    )
    if not agencies or not personnel:
        return {}
    rows = Person.objects.filter(
        agency_id__in=[a.pk for a in agencies.values()], personnel_number__in=personnel
    ).values_list("agency_id", "personnel_number", "pk")
    return {(agency_id, number): pk for agency_id, number, pk in rows}


def ingest_tickets(records: list[FeedRecord], ctx: IngestContext) -> list[dict]:
    now = datetime.now(UTC)
    results: dict[int, dict] = {}

    # Reference data and known tickets for every identity the batch names (validated or not).
    oris = sorted({v for r in records if (v := _str_field(r.raw, "agency_ori"))})
    codes = sorted({v for r in records if (v := _str_field(r.raw, "court_code"))})
    numbers = sorted({v for r in records if (v := _str_field(r.raw, "ticket_number"))})
    courts = {c.code: c for c in Court.objects.filter(code__in=codes)} if codes else {}

    # Phase 1, no locks held: check every record the stored state does not already settle, so two
    # batches validate side by side and only the writing below runs one batch at a time per agency.
    agencies = {a.ori: a for a in Agency.objects.filter(ori__in=oris)} if oris else {}
    checked: dict[int, tuple] = {}
    preview = _known_tickets(agencies, numbers, lock=False)
    for rec in records:
        if _settled(rec, agencies, preview) is None:
            checked[rec.index] = check_ticket(rec.raw, now=now)

    # Phase 2: lock the batch's stored tickets (in id order, so two batches never wait on each other in a
    # cycle) and re-read them. New tickets need no lock: the unique (agency, number) index is the referee. They
    # are written in index-key order, so two batches that create the same numbers wait for each other in one
    # order only; the one that loses sees a unique violation and is applied again by the feed (which then finds
    # the other's tickets stored). Batches for one agency thus apply side by side unless they share a ticket.
    known = _known_tickets(agencies, numbers, lock=True)
    officers = _officers(agencies, checked)

    new_rows: list[dict] = []
    updated: dict[int, _Known] = {}
    versions: list[dict] = []
    violations: list[dict] = []
    amendments: list[tuple[_Known, dict, dict]] = []
    filing_inputs: list[tuple[dict, FilingInput]] = []

    for rec in records:
        raw = rec.raw
        agency = agencies.get(_str_field(raw, "agency_ori") or "")
        number = _str_field(raw, "ticket_number")
        entry = known.get((agency.pk, number)) if agency is not None and number else None
        base = {"index": rec.index, "type": "ticket", "number": number, "version": raw.get("version")}
        if entry is not None and (error := owned_by_other_system(entry.system, ctx)):
            results[rec.index] = rejected(rec, [error])
            continue
        if _settled(rec, agencies, known) is not None:
            results[rec.index] = {**base, "status": ResultStatus.UNCHANGED.value}
            continue
        t, errors, warnings = checked.get(rec.index) or check_ticket(raw, now=now)
        if errors:
            results[rec.index] = rejected(rec, errors)
            continue
        court = courts.get(t["court_code"])
        if agency is None:
            errors.append(_err("agency_ori", ErrorCode.UNKNOWN_AGENCY, f"No agency with ORI {t['agency_ori']!r}."))
        if court is None:
            errors.append(_err("court_code", ErrorCode.UNKNOWN_COURT, f"No court with code {t['court_code']!r}."))
        elif not court.accepts_etickets:
            errors.append(
                _err("court_code", ErrorCode.UNKNOWN_COURT, f"Court {court.code} does not accept e-tickets yet.")
            )
        if errors:
            results[rec.index] = rejected(rec, errors)
            continue
        if entry is None:
            fields = typed_ticket_fields(t)
            rank, queue_at = queue_position(
                kind=t["kind"],
                in_custody=t["in_custody"],
                appearance_at=fields["appearance_at"],
                received_at=ctx.received_at,
            )
            row = {
                "agency_id": agency.pk,
                "court_id": court.pk,
                "ticket_number": t["ticket_number"],
                "status": INITIAL_STATUS.value,
                "needs_clerk": needs_clerk(status=INITIAL_STATUS, amendment_pending=False, void_requested=t["void"]),
                "applied_version": t["version"],
                "latest_version": t["version"],
                "latest_hash": rec.content_hash,
                "void_requested": t["void"],
                "void_reason": t["void_reason"],
                "sent_at": ctx.sent_at,
                "received_at": ctx.received_at,
                "source_system": ctx.system,
                "queue_rank": rank,
                "queue_at": queue_at,
                "officer_id": officers.get((agency.pk, t["officer"]["personnel_number"])),
                **fields,
            }
            new_rows.append(row)
            entry = known[(agency.pk, t["ticket_number"])] = _Known(
                id=None,
                new=True,
                latest_version=t["version"],
                latest_hash=rec.content_hash,
                status=INITIAL_STATUS.value,
                system=ctx.system,
                row=row,
                previous_raw=raw,
            )
            versions.append(_version_row(entry, rec, t, ctx, VersionDisposition.APPLIED, warnings))
            violations.extend(_violation_rows(entry, t))
            filing_inputs.append(
                (
                    row,
                    FilingInput(
                        court.pk, t["kind"], t["issued_at"], ctx.received_at, t["service"], fields["appearance_at"]
                    ),
                )
            )
            results[rec.index] = {**base, "status": ResultStatus.CREATED.value, "_warnings": warnings, "_row": row}
            continue
        if t["version"] == entry.latest_version:
            message = (
                f"Version {t['version']} was already received with different content; "
                f"send changes as version {entry.latest_version + 1}."
            )
            results[rec.index] = rejected(rec, [_err("version", ErrorCode.VERSION_CONFLICT, message)])
            continue
        if t["version"] < entry.latest_version:
            message = f"Version {entry.latest_version} of this ticket was already received."
            results[rec.index] = rejected(rec, [_err("version", ErrorCode.STALE_VERSION, message)])
            continue
        # A higher version: an amendment or a void request for the clerk; nothing is replaced. The flag this
        # version sets is enough for `needs_clerk` (either one brings a not-closed ticket back to the clerk).
        changes = {
            "latest_version": t["version"],
            "latest_hash": rec.content_hash,
            "needs_clerk": needs_clerk(status=entry.status, amendment_pending=not t["void"], void_requested=t["void"]),
        }
        if t["void"]:
            changes.update(void_requested=True, void_reason=t["void_reason"])
        else:
            changes["amendment_pending"] = True
        entry.latest_version, entry.latest_hash = t["version"], rec.content_hash
        if entry.new:
            entry.row.update(changes)
        else:
            entry.updates.update(changes)
            updated[entry.id] = entry
        version_row = _version_row(entry, rec, t, ctx, VersionDisposition.PENDING, warnings)
        versions.append(version_row)
        amendments.append((entry, version_row, raw))
        violations.extend(_violation_rows(entry, t))
        results[rec.index] = {**base, "status": ResultStatus.UPDATED.value, "_warnings": warnings}

    # Change lists against the previous version (one query for tickets stored before this batch).
    unknown = [e for e, _, _ in amendments if not e.new and e.previous_raw is None]
    previous = bulk.latest_raws(TicketVersion, "ticket", [e.id for e in unknown])
    for entry in unknown:
        entry.previous_raw = previous.get(entry.id)
    for entry, version_row, raw in amendments:
        version_row["changes"] = version_changes(entry.previous_raw, raw)
        entry.previous_raw = raw

    # The filing calendar as it stands now is what counts for these tickets.
    for (row, _), filing in zip(filing_inputs, filing_for([fi for _, fi in filing_inputs]), strict=True):
        row.update(filing.ticket_fields())

    # Other agencies' tickets with the same numbers: possible duplicate transmissions (a warning only).
    same_number = set()
    if new_rows:
        same_number = set(
            Ticket.objects.filter(ticket_number__in=[r["ticket_number"] for r in new_rows])
            .exclude(agency_id__in=[a.pk for a in agencies.values()])
            .values_list("ticket_number", flat=True)
        )

    # Ids follow index order (the queue's tie-break within a batch); rows go in by (agency, number).
    bulk.insert_rows(Ticket, new_rows, returning_ids=True, write_order=lambda r: (r["agency_id"], r["ticket_number"]))
    if updated:
        # One UPDATE per shape of change (amendment, void request, or both), not per ticket.
        stamp = timezone.now()
        groups: dict[tuple, list[Ticket]] = {}
        for entry in updated.values():
            groups.setdefault(tuple(sorted(entry.updates)), []).append(
                Ticket(id=entry.id, updated_at=stamp, **entry.updates)
            )
        for shape, group in groups.items():
            Ticket.objects.bulk_update(group, [*shape, "updated_at"], batch_size=500)
    for row in versions + violations:
        state = row.pop("_state")
        row["ticket_id"] = state.id if state.id is not None else state.row["id"]
    bulk.insert_rows(TicketVersion, versions)
    bulk.insert_rows(Violation, violations)

    out = []
    for rec in records:
        result = results[rec.index]
        warnings = list(result.pop("_warnings", []) or [])
        row = result.pop("_row", None)
        if row is not None:
            if row.get("late"):
                warnings.append(_err("issued_at", "late", "Received after the filing deadline."))
            if row.get("appearance_warning"):
                warnings.append(_err("appearance.at", row["appearance_warning"], row["appearance_warning_note"]))
            if row["ticket_number"] in same_number:
                warnings.append(
                    _err("ticket_number", "possible_duplicate", "Another agency sent a ticket with this number.")
                )
        if warnings:
            result["warnings"] = warnings
        out.append(result)
    return out
