"""The collision handler the feed calls with every batch's collision records (registered in CollisionsConfig.ready).

A fixed number of queries per batch whatever its size: agencies (locked, so two batches for one agency apply
one after the other), the reports already known (locked), officers' accounts, the reporting thresholds, the
previous versions of updated reports, then one bulk write per table. Records apply in index order: a later
record sees an earlier one of the same batch.

What a higher version means depends on the report's state: after a return it is a resubmission; while under
review it becomes the version under review (and the reviewer holding the claim is told); after approval it
is a supplement that needs its own review and its own deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from django.utils import timezone

from sector.feed import bulk
from sector.feed.choices import ErrorCode, ResultStatus
from sector.feed.registry import FeedRecord, IngestContext
from sector.feed.services import owned_by_other_system, rejected
from sector.feed.versions import version_changes
from sector.orgs.models import Agency, Person

from .choices import AWAITING, ReportStatus, VersionKind
from .contract import check_collision
from .models import (
    CollisionDiagram,
    CollisionPerson,
    CollisionReport,
    CollisionUnit,
    CollisionVersion,
    ReportingThreshold,
)
from .validation import DEFAULT_THRESHOLD, RuleContext, derive_severity, run_rules

REPORT_UPDATE_FIELDS = [
    "status", "latest_version", "latest_hash", "review_version", "version_kind", "occurred_at", "location_text",
    "severity", "error_count", "warning_count", "officer_name", "officer_personnel_number", "agency_case_number",
    "driver_names", "author", "queued_at",
    "claimed_by", "claim_expires", "replaced_under_review", "reviewed_by", "reviewed_at", "updated_at",
]  # fmt: skip


@dataclass
class _Known:
    report: CollisionReport
    new: bool
    previous_raw: dict | None = None
    notify_claimer: bool = False


def location_text(loc: dict) -> str:
    parts = [loc.get("road"), loc.get("city"), f"{loc.get('county')} County" if loc.get("county") else None]
    text = ", ".join(p for p in parts if p)
    if loc.get("milepost") is not None:
        text += f" (MP {loc['milepost']:g})"
    return text[:300]


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _threshold(thresholds: list[ReportingThreshold], day) -> Decimal:
    for row in thresholds:  # newest first
        if row.effective_from <= day:
            return row.amount
    return DEFAULT_THRESHOLD


def ingest_collisions(records: list[FeedRecord], ctx: IngestContext) -> list[dict]:
    now = datetime.now(UTC)
    results: dict[int, dict] = {}
    checked: list[tuple[FeedRecord, dict, list[dict]]] = []
    for rec in records:
        typed, errors, warnings = check_collision(rec.raw, now=now)
        if errors:
            results[rec.index] = rejected(rec, errors)
        else:
            checked.append((rec, typed, warnings))

    oris = sorted({t["agency_ori"] for _, t, _ in checked})
    agencies = {a.ori: a for a in bulk.lock_rows(Agency.objects.filter(ori__in=oris).order_by("id"))} if oris else {}
    known: dict[tuple[int, str], _Known] = {}
    numbers = sorted({t["report_number"] for _, t, _ in checked})
    if agencies and numbers:
        for report in bulk.lock_rows(
            CollisionReport.objects.filter(
                agency_id__in=[a.pk for a in agencies.values()], report_number__in=numbers
            ).order_by("id")
        ):
            known[(report.agency_id, report.report_number)] = _Known(report, new=False)
    authors: dict[tuple[int, str], int] = {}
    personnel = sorted({t["officer"]["personnel_number"] for _, t, _ in checked})
    if agencies and personnel:
        for agency_id, number, user_id in Person.objects.filter(
            agency_id__in=[a.pk for a in agencies.values()], personnel_number__in=personnel, user__isnull=False
        ).values_list("agency_id", "personnel_number", "user_id"):
            authors[(agency_id, number)] = user_id
    thresholds = list(ReportingThreshold.objects.order_by("-effective_from")) if checked else []

    new_reports: list[CollisionReport] = []
    updated: dict[int, CollisionReport] = {}
    versions: list[tuple[CollisionVersion, dict]] = []
    pending_changes: list[tuple[_Known, CollisionVersion, dict]] = []
    stamp = timezone.now()
    raw_text: dict[int, str] = {}

    for rec, t, warnings in checked:
        agency = agencies.get(t["agency_ori"])
        base = {"index": rec.index, "type": "collision", "number": t["report_number"], "version": t["version"]}
        if agency is None:
            results[rec.index] = rejected(
                rec,
                [
                    {
                        "field": "agency_ori",
                        "code": ErrorCode.UNKNOWN_AGENCY,
                        "message": f"No agency with ORI {t['agency_ori']!r}.",
                    }
                ],
            )
            continue
        key = (agency.pk, t["report_number"])
        entry = known.get(key)
        if entry is not None and (error := owned_by_other_system(entry.report.source_system, ctx)):
            results[rec.index] = rejected(rec, [error])
            continue
        if entry is not None:
            report = entry.report
            if t["version"] == report.latest_version:
                if rec.content_hash == report.latest_hash:
                    results[rec.index] = {**base, "status": ResultStatus.UNCHANGED.value}
                else:
                    message = (
                        f"Version {t['version']} was already received with different content; "
                        f"send changes as version {report.latest_version + 1}."
                    )
                    results[rec.index] = rejected(
                        rec, [{"field": "version", "code": ErrorCode.VERSION_CONFLICT, "message": message}]
                    )
                continue
            if t["version"] < report.latest_version:
                message = (
                    f"Version {report.latest_version} of this report was already received; "
                    f"version {t['version']} is older."
                )
                results[rec.index] = rejected(
                    rec, [{"field": "version", "code": ErrorCode.STALE_VERSION, "message": message}]
                )
                continue

        severity = derive_severity(t["persons"])
        day = timezone.localtime(t["occurred_at"]).date()
        findings = run_rules({**t, "severity": severity}, RuleContext(threshold=_threshold(thresholds, day)))
        # The contract's own warnings (VIN check digit, coordinates) are shown to the reviewer too, once.
        codes = {(f["code"], f["field"]) for f in findings}
        for w in warnings:
            if (w["code"], w["field"]) not in codes:
                findings.append({"level": "warning", "section": _section_of(w["field"]), **w})
        n_errors = sum(1 for f in findings if f["level"] == "error")
        n_warnings = len(findings) - n_errors
        typed_fields = {
            "latest_version": t["version"],
            "latest_hash": rec.content_hash,
            "review_version": t["version"],
            "occurred_at": t["occurred_at"],
            "location_text": location_text(t["location"]),
            "severity": severity,
            "error_count": n_errors,
            "warning_count": n_warnings,
            "officer_name": t["officer"]["name"],
            "officer_personnel_number": t["officer"]["personnel_number"],
            "agency_case_number": t["agency_case_number"][:200],
            "driver_names": driver_names(t["units"], t["persons"]),
            "author_id": authors.get((agency.pk, t["officer"]["personnel_number"])),
        }
        if entry is None:
            kind = VersionKind.ORIGINAL
            report = CollisionReport(
                agency=agency,
                report_number=t["report_number"],
                status=ReportStatus.PENDING,
                version_kind=kind,
                received_at=ctx.received_at,
                source_system=ctx.system,
                queued_at=ctx.received_at,
                updated_at=stamp,
                **typed_fields,
            )
            new_reports.append(report)
            entry = known[key] = _Known(report, new=True)
            status = ResultStatus.CREATED.value
        else:
            report = entry.report
            if report.status == ReportStatus.RETURNED:
                kind = VersionKind.RESUBMISSION
            elif report.status == ReportStatus.APPROVED:
                kind = VersionKind.SUPPLEMENT
            else:
                kind = VersionKind.REPLACEMENT
            was_awaiting = report.status in AWAITING
            for name, value in typed_fields.items():
                setattr(report, name, value)
            report.version_kind = kind
            report.status = ReportStatus.PENDING
            report.reviewed_by = None  # a second-level review starts over on new content
            report.reviewed_at = None
            if was_awaiting:
                report.replaced_under_review = True
                entry.notify_claimer = entry.notify_claimer or report.claim_active(stamp)
            else:
                report.queued_at = ctx.received_at if not ctx.reprocessing else stamp
                report.claimed_by = None
                report.claim_expires = None
                report.replaced_under_review = False
            report.updated_at = stamp
            if not entry.new:
                updated[id(report)] = report
            status = ResultStatus.UPDATED.value
        version = CollisionVersion(
            report=report,
            version=t["version"],
            kind=kind,
            batch_id=ctx.batch_pk,
            received_at=ctx.received_at,
            sent_at=ctx.sent_at,
            content_hash=rec.content_hash,
            raw=rec.raw,
            findings=findings,
            error_count=n_errors,
            warning_count=n_warnings,
            occurred_at=t["occurred_at"],
            reported_at=t["reported_at"],
            agency_case_number=t["agency_case_number"],
            officer_name=t["officer"]["name"],
            officer_personnel_number=t["officer"]["personnel_number"],
            location=_jsonable(t["location"]),
            weather=t["weather"],
            light_condition=t["light_condition"],
            road_surface=t["road_surface"],
            manner_of_collision=t["manner_of_collision"],
            first_harmful_event=t["first_harmful_event"],
            narrative=t["narrative"],
            severity=severity,
        )
        versions.append((version, t))
        raw_text[id(version)] = rec.canonical.decode()
        if status == ResultStatus.UPDATED.value:
            pending_changes.append((entry, version, rec.raw))
        else:
            entry.previous_raw = rec.raw
        result = {**base, "status": status}
        public_warnings = [{k: f[k] for k in ("field", "code", "message")} for f in findings if f["level"] == "warning"]
        if public_warnings:
            result["warnings"] = public_warnings
        results[rec.index] = result

    # Change lists against the previous version (one query for reports stored before this batch).
    unknown = [e for e, _, _ in pending_changes if not e.new and e.previous_raw is None]
    previous = bulk.latest_raws(CollisionVersion, "report", [e.report.pk for e in unknown])
    for entry in unknown:
        entry.previous_raw = previous.get(entry.report.pk)
    for entry, version, raw in pending_changes:
        version.changes = _summarize_diagram(version_changes(entry.previous_raw, raw))
        entry.previous_raw = raw

    # One bulk write per table (COPY on PostgreSQL through the feed's bulk module).
    report_rows = [_row(r) for r in new_reports]
    for report, new_id in zip(
        new_reports, bulk.insert_rows(CollisionReport, report_rows, returning_ids=True), strict=True
    ):
        report.pk = new_id
    if updated:
        CollisionReport.objects.bulk_update(list(updated.values()), REPORT_UPDATE_FIELDS, batch_size=500)
    version_rows = []
    for v, _ in versions:
        v.report_id = v.report.pk
        row = _row(v)
        row["raw"] = bulk.RawJSON(raw_text[id(v)])  # the canonical bytes as received, not re-serialized
        version_rows.append(row)
    version_ids = bulk.insert_rows(CollisionVersion, version_rows, returning_ids=True)
    units, persons, diagrams = [], [], []
    for (_v, t), version_id in zip(versions, version_ids, strict=True):
        for u in t["units"]:
            units.append(
                {
                    "version_id": version_id,
                    "unit_number": u["unit_number"],
                    "unit_type": u["unit_type"],
                    "hit_and_run": u["hit_and_run"],
                    "vehicle": _jsonable(u["vehicle"]),
                    "driver": _jsonable(u["driver"]),
                    "damage_estimate": u["damage_estimate"],
                    "contributing_circumstances": u["contributing_circumstances"],
                    "distraction": u["distraction"],
                }
            )
        for i, p in enumerate(t["persons"]):
            persons.append(
                {
                    "version_id": version_id,
                    "position": i,
                    "unit_number": p["unit_number"],
                    "role": p["role"],
                    "injury": p["injury"],
                    "person": _jsonable(p["person"]),
                }
            )
        if t["diagram"] is not None:
            d = t["diagram"]
            diagrams.append(
                CollisionDiagram(
                    version_id=version_id,
                    media_type=d["media_type"],
                    data=d["data"],
                    width=d["width"],
                    height=d["height"],
                )
            )
    bulk.insert_rows(CollisionUnit, units)
    bulk.insert_rows(CollisionPerson, persons)
    bulk.insert_objects(CollisionDiagram, diagrams)  # a few rows of bytes: not worth the COPY path

    to_notify = [e.report for e in known.values() if e.notify_claimer]
    if to_notify:
        from .notify import notify_replaced_under_review

        notify_replaced_under_review(reports=to_notify)
    return [results[r.index] for r in records]


def name_key(person: dict | None) -> str:
    """'LAST FIRST' in capitals with single spaces: how the queue's name search compares names."""
    person = person or {}
    return " ".join(f"{person.get('last_name', '')} {person.get('first_name', '')}".upper().replace(",", " ").split())


def driver_names(units: list[dict], persons: list[dict]) -> str:
    """Every driver of the report, on a unit or as a person with role driver, as '|DOE JANE|ROE RICHARD|'."""
    names = [name_key(u.get("driver")) for u in units] + [
        name_key(p.get("person")) for p in persons if p["role"] == "driver"
    ]
    unique = list(dict.fromkeys(n for n in names if n))
    return f"|{'|'.join(unique)}|"[:2000] if unique else ""


def _row(obj) -> dict:
    """The column values of an unsaved model instance, for bulk.insert_rows."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def _section_of(field: str) -> str:
    head = field.split(".")[0].split("[")[0]
    return {
        "location": "location",
        "units": "units",
        "persons": "persons",
        "narrative": "narrative",
        "diagram": "diagram",
    }.get(head, "general")


def _summarize_diagram(changes: dict) -> dict:
    """The diagram's base64 is one long string: show 'changed', not two megabytes."""
    out = {}
    for k, v in changes.items():
        if k == "diagram.data_base64":
            out["diagram"] = ["(previous image)", "(new image)"]
        else:
            out[k] = v
    return out
