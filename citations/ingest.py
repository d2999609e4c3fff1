"""The ticket handler the feed calls with every batch's ticket records (registered in CitationsConfig.ready).

A fixed number of queries per batch whatever its size: agencies (locked, so two batches for one agency
apply one after the other), courts, the tickets already known, the previous versions of amended tickets,
other agencies' tickets with the same numbers, the calendar, then one bulk write per table.
Records apply in index order: a later record sees an earlier one of the same batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import F
from django.utils import timezone

from sector.feed import bulk
from sector.feed.choices import ErrorCode, ResultStatus
from sector.feed.registry import FeedRecord, IngestContext
from sector.feed.services import rejected
from sector.orgs.models import Agency, Court

from .choices import CLOSED_STATUSES, JUVENILE_AGE, TicketKind, TicketStatus, VersionDisposition
from .hooks import FilingInput, filing_for
from .models import Ticket, TicketVersion, Violation
from .validation import check_ticket

UPDATE_FIELDS = [
    "latest_version", "latest_hash", "amendment_pending", "void_requested", "void_reason", "needs_clerk", "updated_at",
]  # fmt: skip


@dataclass
class _Known:
    ticket: Ticket
    new: bool
    previous_raw: dict | None = None  # the latest version's raw, for the change list
    pending: list = field(default_factory=list)


def _age_on(dob, day) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def queue_position(*, kind: str, in_custody: bool, appearance_at, received_at) -> tuple[int, datetime]:
    if kind == TicketKind.CRIMINAL and in_custody:
        return 0, received_at
    if appearance_at is not None:
        return 1, appearance_at
    return 2, received_at


def flatten(value, prefix: str = "") -> dict:
    """{"defendant.last_name": "DOE", "violations[0].law": ...} for comparing two versions."""
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def version_changes(before: dict | None, after: dict) -> dict:
    if before is None:
        return {}
    a, b = flatten(before), flatten(after)
    return {k: [a.get(k), b.get(k)] for k in sorted(set(a) | set(b)) if k != "version" and a.get(k) != b.get(k)}


def _typed_ticket_fields(t: dict) -> dict:
    defendant = t["defendant"]
    licence = defendant.get("licence") or {}
    appearance = t["appearance"] or {}
    return {
        "kind": t["kind"],
        "issued_at": t["issued_at"],
        "service": t["service"],
        "in_custody": t["in_custody"],
        "appearance_at": appearance.get("at"),
        "defendant_last_name": defendant["last_name"],
        "defendant_first_name": defendant.get("first_name") or "",
        "defendant_dob": defendant.get("date_of_birth"),
        "licence_number": licence.get("number") or "",
        "licence_state": licence.get("state") or "",
        "officer_name": t["officer"]["name"],
        "juvenile": bool(
            defendant.get("date_of_birth")
            and _age_on(defendant["date_of_birth"], timezone.localtime(t["issued_at"]).date()) < JUVENILE_AGE
        ),
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _version(ticket: Ticket, rec: FeedRecord, t: dict, ctx: IngestContext, disposition, changes, warnings):
    appearance = t["appearance"] or {}
    return TicketVersion(
        ticket=ticket,
        version=t["version"],
        batch_id=ctx.batch_pk,
        received_at=ctx.received_at,
        sent_at=ctx.sent_at,
        content_hash=rec.content_hash,
        raw=rec.raw,
        disposition=disposition,
        changes=changes,
        warnings=warnings,
        kind=t["kind"],
        court_code=t["court_code"],
        agency_case_number=t["agency_case_number"],
        issued_at=t["issued_at"],
        service=t["service"],
        in_custody=t["in_custody"],
        appearance_at=appearance.get("at"),
        appearance_location=appearance.get("location") or "",
        officer_name=t["officer"]["name"],
        officer_personnel_number=t["officer"]["personnel_number"],
        certification_statement=t["certification"]["statement"],
        certification_place=t["certification"]["place"],
        location=_jsonable(t["location"]),
        defendant=_jsonable(t["defendant"]),
        vehicle=_jsonable(t["vehicle"]),
        void=t["void"],
        void_reason=t["void_reason"],
    )


def _violation_rows(ticket: Ticket, t: dict) -> list[Violation]:
    return [
        Violation(
            ticket=ticket,
            version=t["version"],
            position=i,
            law=v["law"],
            law_kind=v["law_kind"],
            offense_level=v["offense_level"],
            traffic=v["traffic"],
            description=v["description"],
            penalty=v["penalty"],
            speed=v["speed"],
            posted_speed=v["posted_speed"],
            zone=v["zone"],
            collision_report_number=v["collision_report_number"],
        )
        for i, v in enumerate(t["violations"])
    ]


def ingest_tickets(records: list[FeedRecord], ctx: IngestContext) -> list[dict]:
    now = datetime.now(UTC)
    results: dict[int, dict] = {}
    checked: list[tuple[FeedRecord, dict, list[dict]]] = []
    for rec in records:
        typed, errors, warnings = check_ticket(rec.raw, now=now)
        if errors:
            results[rec.index] = rejected(rec, errors)
        else:
            checked.append((rec, typed, warnings))

    oris = sorted({t["agency_ori"] for _, t, _ in checked})
    codes = sorted({t["court_code"] for _, t, _ in checked})
    agencies = {a.ori: a for a in bulk.lock_rows(Agency.objects.filter(ori__in=oris).order_by("id"))} if oris else {}
    courts = {c.code: c for c in Court.objects.filter(code__in=codes)} if codes else {}

    known: dict[tuple[int, str], _Known] = {}
    numbers = sorted({t["ticket_number"] for _, t, _ in checked})
    if agencies and numbers:
        for ticket in bulk.lock_rows(
            Ticket.objects.filter(agency_id__in=[a.pk for a in agencies.values()], ticket_number__in=numbers)
        ):
            known[(ticket.agency_id, ticket.ticket_number)] = _Known(ticket, new=False)

    new_tickets: list[Ticket] = []
    updated: dict[int, Ticket] = {}
    versions: list[TicketVersion] = []
    violations: list[Violation] = []
    version_inputs: list[tuple[_Known, TicketVersion, dict]] = []
    filing_inputs: list[tuple[Ticket, FilingInput]] = []

    for rec, t, warnings in checked:
        agency = agencies.get(t["agency_ori"])
        court = courts.get(t["court_code"])
        errors = []
        if agency is None:
            errors.append(
                {
                    "field": "agency_ori",
                    "code": ErrorCode.UNKNOWN_AGENCY,
                    "message": f"No agency with ORI {t['agency_ori']!r}.",
                }
            )
        if court is None:
            errors.append(
                {
                    "field": "court_code",
                    "code": ErrorCode.UNKNOWN_COURT,
                    "message": f"No court with code {t['court_code']!r}.",
                }
            )
        elif not court.accepts_etickets:
            errors.append(
                {
                    "field": "court_code",
                    "code": ErrorCode.UNKNOWN_COURT,
                    "message": f"Court {court.code} does not accept e-tickets yet.",
                }
            )
        if errors:
            results[rec.index] = rejected(rec, errors)
            continue
        key = (agency.pk, t["ticket_number"])
        entry = known.get(key)
        base = {"index": rec.index, "type": "ticket", "number": t["ticket_number"], "version": t["version"]}
        if entry is None:
            fields = _typed_ticket_fields(t)
            rank, queue_at = queue_position(
                kind=t["kind"],
                in_custody=t["in_custody"],
                appearance_at=fields["appearance_at"],
                received_at=ctx.received_at,
            )
            ticket = Ticket(
                agency=agency,
                court=court,
                ticket_number=t["ticket_number"],
                status=TicketStatus.RECEIVED,
                needs_clerk=True,
                applied_version=t["version"],
                latest_version=t["version"],
                latest_hash=rec.content_hash,
                void_requested=t["void"],
                void_reason=t["void_reason"],
                sent_at=ctx.sent_at,
                received_at=ctx.received_at,
                queue_rank=rank,
                queue_at=queue_at,
                **fields,
            )
            new_tickets.append(ticket)
            entry = known[key] = _Known(ticket, new=True, previous_raw=rec.raw)
            version = _version(ticket, rec, t, ctx, VersionDisposition.APPLIED, {}, warnings)
            versions.append(version)
            violations.extend(_violation_rows(ticket, t))
            filing_inputs.append((ticket, FilingInput(court.pk, t["kind"], t["issued_at"], ctx.received_at)))
            results[rec.index] = {
                **base,
                "status": ResultStatus.CREATED.value,
                "_warnings": warnings,
                "_ticket": ticket,
            }
            continue
        ticket = entry.ticket
        if t["version"] == ticket.latest_version:
            if rec.content_hash == ticket.latest_hash:
                results[rec.index] = {**base, "status": ResultStatus.UNCHANGED.value}
            else:
                results[rec.index] = rejected(
                    rec,
                    [
                        {
                            "field": "version",
                            "code": ErrorCode.VERSION_CONFLICT,
                            "message": (
                                f"Version {t['version']} was already received with different content; "
                                f"send changes as version {ticket.latest_version + 1}."
                            ),
                        }
                    ],
                )
            continue
        if t["version"] < ticket.latest_version:
            results[rec.index] = rejected(
                rec,
                [
                    {
                        "field": "version",
                        "code": ErrorCode.STALE_VERSION,
                        "message": f"Version {ticket.latest_version} of this ticket was already received.",
                    }
                ],
            )
            continue
        # A higher version: an amendment or a void request for the clerk; nothing is replaced.
        ticket.latest_version = t["version"]
        ticket.latest_hash = rec.content_hash
        ticket.needs_clerk = ticket.status not in CLOSED_STATUSES
        if t["void"]:
            ticket.void_requested = True
            ticket.void_reason = t["void_reason"]
        else:
            ticket.amendment_pending = True
        ticket.updated_at = timezone.now()
        if not entry.new:
            updated[id(ticket)] = ticket
        version = _version(ticket, rec, t, ctx, VersionDisposition.PENDING, {}, warnings)
        versions.append(version)
        version_inputs.append((entry, version, rec.raw))
        violations.extend(_violation_rows(ticket, t))
        results[rec.index] = {**base, "status": ResultStatus.UPDATED.value, "_warnings": warnings}

    # Change lists against the previous version (one query for tickets stored before this batch).
    stored_prev_needed = [e.ticket.pk for e, _, _ in version_inputs if not e.new and e.previous_raw is None]
    if stored_prev_needed:
        prev = dict(
            TicketVersion.objects.filter(
                ticket_id__in=stored_prev_needed, version=F("ticket__latest_version")
            ).values_list("ticket_id", "raw")
        )
        for entry, _, _ in version_inputs:
            if not entry.new and entry.previous_raw is None:
                entry.previous_raw = prev.get(entry.ticket.pk)
    for entry, version, raw in version_inputs:
        version.changes = version_changes(entry.previous_raw, raw)
        entry.previous_raw = raw

    # The filing calendar as it stands now is what counts for these tickets.
    for (ticket, _), filing in zip(filing_inputs, filing_for([fi for _, fi in filing_inputs]), strict=True):
        ticket.filing_date = filing.filing_date
        ticket.deadline_at = filing.deadline_at
        ticket.late = filing.late

    # Other agencies' tickets with the same numbers: possible duplicate transmissions (a warning only).
    same_number = set()
    if new_tickets:
        same_number = set(
            Ticket.objects.filter(ticket_number__in=[t.ticket_number for t in new_tickets])
            .exclude(agency_id__in=[a.pk for a in agencies.values()])
            .values_list("ticket_number", flat=True)
        )

    bulk.insert_returning(Ticket, new_tickets)
    if updated:
        Ticket.objects.bulk_update(list(updated.values()), UPDATE_FIELDS, batch_size=500)
    for v in versions:
        v.ticket_id = v.ticket.pk
    for v in violations:
        v.ticket_id = v.ticket.pk
    bulk.insert_plain(TicketVersion, versions)
    bulk.insert_plain(Violation, violations)

    out = []
    for rec in records:
        result = results[rec.index]
        warnings = list(result.pop("_warnings", []) or [])
        ticket = result.pop("_ticket", None)
        if ticket is not None:
            if ticket.late:
                warnings.append(
                    {"field": "issued_at", "code": "late", "message": "Received after the filing deadline."}
                )
            if ticket.ticket_number in same_number:
                warnings.append(
                    {
                        "field": "ticket_number",
                        "code": "possible_duplicate",
                        "message": "Another agency sent a ticket with this number.",
                    }
                )
        if warnings:
            result["warnings"] = warnings
        out.append(result)
    return out
