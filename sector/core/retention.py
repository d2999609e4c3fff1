"""Records retention and holds (issue 16 item 5): record classes, retention periods, holds and disposition runs.

The platform knows no domain: each app registers its record classes (`record_classes`) from its AppConfig.ready,
saying which of its records are due at a cutoff and how they are disposed of (removed, anonymized, or for the
append-only logs a whole year's partition dropped). Retention periods are reference data the records officer
sets (none ships as fact). A disposition is a dry run first (the preview lists what is due and what a hold
keeps) and happens only on confirmation, writing its certificate of destruction to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .audit import diff, log_action
from .errors import DomainError
from .models import DispositionRun, HoldKind, RecordHold, RetentionPeriod
from .permissions import require_perm
from .registry import ExtensionPoint

PREVIEW_LIMIT = 500


@dataclass(frozen=True)
class DueItem:
    pk: str
    label: str  # how people name it, never personal details (e.g. "WA0340100 5A0012345")
    closed_at: datetime | None = None
    count: int = 1  # records it stands for (a log year: its entries)


@dataclass(frozen=True)
class RecordClass:
    key: str
    label: str
    closing: str  # what starts the period, e.g. "the court's last action on the ticket"
    method: str  # "anonymized", "removed", "partition dropped"
    due: Callable[[datetime, int], list[DueItem]]  # (cutoff, limit) -> the due records, oldest first
    dispose: Callable[[list[str]], int]  # pks -> how many records were disposed of
    held: Callable[[list[RecordHold]], set[str]] | None = None  # pks kept by holds placed on other records


record_classes: ExtensionPoint[RecordClass] = ExtensionPoint("core.record_classes", key=lambda c: c.key)


class RetentionError(DomainError):
    pass


def record_class(key: str) -> RecordClass:
    for rc in record_classes:
        if rc.key == key:
            return rc
    raise RetentionError("No such record class.")


def cutoff_for(years: int, *, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # February 29
        return now.replace(year=now.year - years, day=28)


# --- retention periods ----------------------------------------------------------------------------------------


def retention_period_set(
    *, actor, record_class_key: str, years: int, authority: str, demo: bool = False
) -> RetentionPeriod:
    require_perm(actor, "core.change_retentionperiod")
    rc = record_class(record_class_key)
    if years < 1:
        raise RetentionError("A retention period is at least one year.")
    if not authority.strip():
        raise RetentionError("Name the retention schedule and item that authorize this period.")
    with transaction.atomic():
        period = RetentionPeriod.objects.select_for_update().filter(record_class=rc.key).first()
        before = {"years": period.years, "authority": period.authority, "demo": period.demo} if period else {}
        if period is None:
            period = RetentionPeriod(record_class=rc.key)
        period.years, period.authority, period.demo = years, authority.strip(), demo
        period.set_by, period.set_at = actor, timezone.now()
        period.save()
        log_action(
            "core.retention_period.saved",
            obj=period,
            actor=actor,
            changes=diff(before, {"years": years, "authority": period.authority, "demo": demo}),
            data={"record_class": rc.label},
        )
    return period


# --- holds ------------------------------------------------------------------------------------------------------


def active_holds(record_class_key: str | None = None) -> list[RecordHold]:
    qs = RecordHold.objects.filter(released_at__isnull=True)
    if record_class_key:
        qs = qs.filter(record_class=record_class_key)
    return list(qs)


def hold_place(*, actor, record_class_key: str, object_id: str, label: str, kind: str, reference: str) -> RecordHold:
    require_perm(actor, "core.add_recordhold")
    rc = record_class(record_class_key)
    if kind not in HoldKind.values:
        raise RetentionError("Choose the kind of hold.")
    object_id, reference = str(object_id).strip()[:64], reference.strip()[:200]
    if not object_id or not reference:
        raise RetentionError("A hold names the record and the case or request it answers.")
    hold = RecordHold.objects.create(
        record_class=rc.key, object_id=object_id, label=(label.strip() or object_id)[:200], kind=kind,
        reference=reference, placed_by=actor, placed_at=timezone.now(),
    )  # fmt: skip
    log_action(
        "core.hold.placed", obj=hold, actor=actor, data={"record_class": rc.label, "record": hold.label, "kind": kind}
    )
    return hold


def hold_release(*, actor, hold: RecordHold, note: str) -> RecordHold:
    require_perm(actor, "core.change_recordhold")
    if not note.strip():
        raise RetentionError("Say why the hold ends (e.g. the case closed).")
    with transaction.atomic():
        hold = RecordHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise RetentionError("This hold was already released.")
        hold.released_by, hold.released_at, hold.release_note = actor, timezone.now(), note.strip()[:300]
        hold.save(update_fields=["released_by", "released_at", "release_note"])
        log_action("core.hold.released", obj=hold, actor=actor, data={"record": hold.label, "note": hold.release_note})
    return hold


# --- disposition ------------------------------------------------------------------------------------------------


@dataclass
class Preview:
    record_class: RecordClass
    period: RetentionPeriod | None
    cutoff: datetime | None
    due: list[DueItem]
    held: list[DueItem]

    @property
    def total(self) -> int:
        return sum(item.count for item in self.due)


def disposition_preview(*, actor, record_class_key: str, now: datetime | None = None) -> Preview:
    """The dry run: what is due under the class's retention period and what an active hold keeps. Changes
    nothing. Without a retention period nothing is due (the portal never assumes one)."""
    require_perm(actor, "core.view_dispositionrun")
    rc = record_class(record_class_key)
    period = RetentionPeriod.objects.filter(record_class=rc.key).first()
    if period is None:
        return Preview(rc, None, None, [], [])
    cutoff = cutoff_for(period.years, now=now)
    items = rc.due(cutoff, PREVIEW_LIMIT)
    holds = active_holds()
    kept = {h.object_id for h in holds if h.record_class == rc.key}
    if rc.held is not None:
        kept |= rc.held(holds)
    return Preview(rc, period, cutoff, [i for i in items if i.pk not in kept], [i for i in items if i.pk in kept])


def disposition_run(
    *, actor, record_class_key: str, expected: list[str], now: datetime | None = None
) -> DispositionRun:
    """Dispose of the records the preview listed (`expected`, their pks) that are still due and not held, and
    write the certificate of destruction to the audit log. A record that became held or stopped being due since
    the preview is left alone."""
    require_perm(actor, "core.dispose_records")
    with transaction.atomic():
        preview = disposition_preview(actor=actor, record_class_key=record_class_key, now=now)
        if preview.period is None or preview.cutoff is None:
            raise RetentionError("Set this record class's retention period first.")
        wanted = set(expected)
        targets = [item for item in preview.due if item.pk in wanted]
        if not targets:
            raise RetentionError("Nothing listed is due any more: run the preview again.")
        count = preview.record_class.dispose([item.pk for item in targets])
        run = DispositionRun.objects.create(
            record_class=preview.record_class.key, years=preview.period.years, authority=preview.period.authority,
            cutoff=preview.cutoff, method=preview.record_class.method, count=count, held=len(preview.held),
            items=[{"id": item.pk, "label": item.label} for item in targets], run_by=actor, run_at=timezone.now(),
        )  # fmt: skip
        log_action(
            "core.disposition.completed",
            obj=run,
            actor=actor,
            data={
                "certificate_of_destruction": f"SECTOR-DISP-{run.pk:06d}",
                "record_class": preview.record_class.label,
                "method": preview.record_class.method,
                "retention_years": preview.period.years,
                "authority": preview.period.authority,
                "demo_period": preview.period.demo,
                "cutoff": preview.cutoff.isoformat(),
                "count": count,
                "held_back": len(preview.held),
                "records": [f"{item.label} (id {item.pk})" for item in targets],
            },
        )
    return run
