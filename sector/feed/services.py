"""Feed services: credentials, batch ingest, exception re-processing."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import orjson
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from sector.core.audit import actor_display, log_action
from sector.core.errors import DomainError

from .choices import BATCH_ID_PATTERN, MAX_RECORDS, TOKEN_PREFIX, ErrorCode, ExceptionStatus, ResultStatus
from .models import Batch, FeedCredential, FeedException, SenderCutover, hash_token
from .registry import FeedRecord, Handler, IngestContext, record_handlers
from .validation import parse_time, safe_text

if TYPE_CHECKING:
    from sector.accounts.models import User
    from sector.orgs.models import Agency

logger = logging.getLogger(__name__)
_BATCH_ID_RE = re.compile(BATCH_ID_PATTERN)


class FeedError(DomainError):
    """An answer other than 200: status code and message for `{"error": ...}`."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# ---------------------------------------------------------------- credentials


RECORD_TYPE_LABELS = {"ticket": "Tickets", "collision": "Collision reports"}
ALL_AGENCIES = "all agencies"


def record_type_choices() -> list[tuple[str, str]]:
    """The record types a credential may be scoped to: the ones a domain registered a handler for."""
    names = [str(key) for key, _handler in record_handlers.entries()]
    return [(n, RECORD_TYPE_LABELS.get(n, n.replace("_", " ").capitalize())) for n in names]


def _clean_scope(
    record_types: Iterable[str] | None, agencies: Iterable[Agency] | None
) -> tuple[list[str], list[Agency] | None]:
    known = [k for k, _ in record_type_choices()]
    types = known if record_types is None else sorted(set(record_types))
    if not types:
        raise ValueError("Choose at least one record type the system may send.")
    unknown = [t for t in types if t not in known]
    if unknown:
        raise ValueError(f"Unknown record type {unknown[0][:40]!r}: the contract's types are {', '.join(known)}.")
    listed = None if agencies is None else list(agencies)
    if listed is not None and not listed:
        raise ValueError("Name at least one agency the system may send for, or allow all agencies.")
    return types, listed


def _scope_snapshot(credential: FeedCredential) -> dict[str, Any]:
    oris = credential.allowed_oris()
    return {
        "record_types": sorted(credential.record_types),
        "agencies": ALL_AGENCIES if oris is None else sorted(oris),
    }


def credential_create(
    *,
    system: str,
    record_types: Iterable[str] | None = None,
    agencies: Iterable[Agency] | None = None,
    actor: User | None = None,
) -> tuple[FeedCredential, str]:
    """Issue a token for `system`, scoped to `record_types` and `agencies`. The token is returned once and never stored.

    None for `record_types` means every type in the contract, None for `agencies` every agency: the scope of a
    statewide sender such as the Back Office (and of every credential issued before scopes existed). WSP's
    screen always names both.
    """
    system = (system or "").strip()
    if not system or len(system) > 64 or not re.match(r"^[A-Za-z0-9._ -]+$", system):
        raise ValueError("A sending-system name is 1 to 64 letters, digits, spaces, dots, dashes or underscores.")
    types, listed = _clean_scope(record_types, agencies)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        credential = FeedCredential.objects.create(
            system=system,
            token_hash=hash_token(token),
            token_hint=token[:10],
            created_by_name=actor_display(actor),
            record_types=types,
            all_agencies=listed is None,
        )
        if listed is not None:
            credential.agencies.set(listed)
        log_action(
            "feed.credential.issued",
            obj=credential,
            actor=actor,
            data={"system": system, **_scope_snapshot(credential)},
        )
    return credential, token


def credential_scope_change(
    *,
    credential: FeedCredential,
    record_types: Iterable[str],
    agencies: Iterable[Agency] | None,
    actor: User,
) -> FeedCredential:
    """Set what a credential may send (agencies None: every agency); the audit entry has the scope before and after."""
    types, listed = _clean_scope(record_types, agencies)
    with transaction.atomic():
        credential = FeedCredential.objects.select_for_update().get(pk=credential.pk)
        before = _scope_snapshot(credential)
        credential.record_types = types
        credential.all_agencies = listed is None
        credential.save(update_fields=["record_types", "all_agencies"])
        credential.agencies.set(listed or [])
        after = _scope_snapshot(credential)
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if changes:
            log_action(
                "feed.credential.scope_changed",
                obj=credential,
                actor=actor,
                changes=changes,
                data={"system": credential.system},
            )
    return credential


def credential_revoke(*, credential: FeedCredential, actor: User | None = None) -> FeedCredential:
    with transaction.atomic():
        credential = FeedCredential.objects.select_for_update().get(pk=credential.pk)
        if credential.revoked_at is None:
            credential.revoked_at = timezone.now()
            credential.revoked_by_name = actor_display(actor)
            credential.save(update_fields=["revoked_at", "revoked_by_name"])
            log_action("feed.credential.revoked", obj=credential, actor=actor, data={"system": credential.system})
    return credential


def credential_for_header(header: str | None) -> FeedCredential | None:
    if not header or not header.startswith("Bearer "):
        return None
    token = header[7:].strip()
    if not token or len(token) > 200:
        return None
    return FeedCredential.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True).first()


# ---------------------------------------------------------------- sender cut-overs (TraCS migration)


def sender_cutover_set(
    *, system: str, agency: Agency, cutover_on: date, new_system: str = "", actor: User | None = None
) -> SenderCutover:
    """After `cutover_on`, refuse `agency`'s records from `system` (FEED.md `sender_retired`). Setting it again
    moves the date; the audit entry has the date before and after."""
    system = (system or "").strip()
    if not system:
        raise ValueError("Name the sending system that retires.")
    with transaction.atomic():
        cutover = SenderCutover.objects.select_for_update().filter(system=system, agency=agency).first()
        before = cutover.cutover_on.isoformat() if cutover else None
        if cutover is None:
            cutover = SenderCutover(system=system, agency=agency)
        cutover.cutover_on = cutover_on
        cutover.new_system = (new_system or "").strip()[:64]
        cutover.set_by_name = actor_display(actor)
        cutover.save()
        if before != cutover_on.isoformat():
            log_action(
                "feed.sender_cutover.scheduled",
                obj=cutover,
                actor=actor,
                changes={"cutover_on": [before, cutover_on.isoformat()]},
                data={"system": system, "agency": agency.ori, "new_system": cutover.new_system},
            )
    return cutover


def sender_cutover_clear(*, system: str, agency: Agency, actor: User | None = None) -> bool:
    """Accept `agency`'s records from `system` again (a migration called off). Returns whether one was cleared."""
    with transaction.atomic():
        cutover = SenderCutover.objects.select_for_update().filter(system=system, agency=agency).first()
        if cutover is None:
            return False
        log_action(
            "feed.sender_cutover.cleared",
            obj=cutover,
            actor=actor,
            data={"system": system, "agency": agency.ori, "cutover_on": cutover.cutover_on.isoformat()},
        )
        cutover.delete()
    return True


def credentials_sending_for(agency: Agency, *, record_type: str = "ticket") -> list[FeedCredential]:
    """The active credentials that may send `record_type` records for `agency` (named, or every agency)."""
    from django.db.models import Q

    qs = FeedCredential.objects.filter(revoked_at__isnull=True).filter(Q(all_agencies=True) | Q(agencies=agency))
    return [c for c in qs.distinct().order_by("system", "id") if record_type in c.record_types]


# ---------------------------------------------------------------- parsing


def canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


@dataclass
class Envelope:
    batch_id: str
    sent_at: datetime | None
    records: list[FeedRecord]
    records_hash: str


def parse_envelope(body: bytes) -> Envelope:
    """Read a batch body, or raise FeedError(400/413) saying what is wrong with it."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        text = str(exc)
        if "depth" in text or "recursion" in text:
            raise FeedError(400, "The body nests JSON too deeply.") from None
        raise FeedError(400, f"The body is not valid JSON (UTF-8): {text[:200]}") from None
    if not isinstance(data, dict):
        raise FeedError(400, 'A batch is a JSON object: {"batch_id", "sent_at", "records"}.')
    unknown = sorted(str(k)[:40] for k in data if k not in {"batch_id", "sent_at", "records"})
    if unknown:
        raise FeedError(400, f"Unknown batch field(s): {', '.join(unknown)}.")
    batch_id = data.get("batch_id")
    if not isinstance(batch_id, str) or not _BATCH_ID_RE.match(batch_id):
        raise FeedError(400, "batch_id is required: 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' or '-'.")
    sent_raw = data.get("sent_at")
    sent_at = None
    if sent_raw is not None:
        sent_at = parse_time(sent_raw)
        if sent_at is None:
            raise FeedError(400, "sent_at must be an ISO 8601 time with an offset, e.g. 2026-11-25T08:00:00-08:00.")
    records = data.get("records")
    if not isinstance(records, list) or not records:
        raise FeedError(400, "records is required: a list of 1 to 1,000 records.")
    if len(records) > MAX_RECORDS:
        raise FeedError(413, f"A batch holds at most {MAX_RECORDS:,} records; this one has {len(records):,}.")
    out = []
    for i, rec in enumerate(records):
        try:
            canon = canonical(rec)
        except orjson.JSONEncodeError:  # deeper than orjson writes (254 levels): no record is shaped so
            raise FeedError(400, "The body nests JSON too deeply.") from None
        out.append(FeedRecord(i, rec, canon, hashlib.sha256(canon).hexdigest()))
    records_hash = hashlib.sha256(b"\n".join(r.content_hash.encode() for r in out)).hexdigest()
    return Envelope(batch_id, sent_at, out, records_hash)


# ---------------------------------------------------------------- ingest


def _identity(raw: Any) -> tuple[str, str, str, int | None]:
    """(type, number, agency ori, version) as far as a raw record tells them, for results and exceptions."""
    if not isinstance(raw, dict):
        return "", "", "", None
    rtype, number, ori = raw.get("type"), raw.get("ticket_number", raw.get("report_number")), raw.get("agency_ori")
    rtype = rtype if isinstance(rtype, str) else ""
    number = number if isinstance(number, str) else ""
    ori = ori if isinstance(ori, str) else ""
    version = raw.get("version")
    version = version if isinstance(version, int) and not isinstance(version, bool) and abs(version) < 2**63 else None
    return safe_text(rtype[:40]), safe_text(number[:40]), safe_text(ori[:20]), version


def rejected(record: FeedRecord, errors: list[dict]) -> dict:
    rtype, number, _ori, version = _identity(record.raw)
    return {
        "index": record.index,
        "type": rtype or None,
        "number": number or None,
        "version": version,
        "status": ResultStatus.REJECTED.value,
        "errors": errors,
    }


@dataclass(frozen=True)
class Scope:
    """What one credential may send, read once per batch."""

    record_types: frozenset[str]
    oris: frozenset[str] | None  # None: every agency
    # The agencies this system no longer sends for: ORI -> (cut-over date, the sender to use instead).
    retired: dict[str, tuple[date, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, credential: FeedCredential) -> Scope:
        retired = {
            ori: (day, new)
            for ori, day, new in SenderCutover.objects.filter(system=credential.system).values_list(
                "agency__ori", "cutover_on", "new_system"
            )
        }
        return cls(frozenset(credential.record_types), credential.allowed_oris(), retired)


def _cutover_errors(raw: dict, scope: Scope, context: IngestContext) -> list[dict]:
    """`sender_retired` for a record of an agency whose cut-over day (Pacific) is before the day it was received."""
    ori = raw.get("agency_ori")
    if not scope.retired or not isinstance(ori, str) or ori not in scope.retired:
        return []
    cutover_on, new_system = scope.retired[ori]
    if timezone.localdate(context.received_at) <= cutover_on:
        return []
    instead = f" through {new_system}" if new_system else " through the agency's new sending system"
    message = (
        f"Agency {safe_text(ori[:20])} switched sending systems on {cutover_on:%b %d, %Y}: this sender's records "
        f"for it are refused after that day. Send them{instead}."
    )
    return [{"field": "agency_ori", "code": ErrorCode.SENDER_RETIRED, "message": message}]


def _scope_errors(raw: dict, rtype: str, scope: Scope) -> list[dict]:
    if rtype not in scope.record_types:
        message = f"This credential may not send {rtype!r} records; ask WSP support to change its scope."
        return [{"field": "type", "code": ErrorCode.RECORD_TYPE_NOT_ALLOWED, "message": message}]
    ori = raw.get("agency_ori")
    if scope.oris is not None and (not isinstance(ori, str) or ori not in scope.oris):
        shown = safe_text(ori[:20]) if isinstance(ori, str) else None
        message = (
            f"This credential may not send records for agency {shown!r}; ask WSP support to change its scope."
            if shown
            else "This credential sends for the agencies it names only: agency_ori is required."
        )
        return [{"field": "agency_ori", "code": ErrorCode.AGENCY_NOT_ALLOWED, "message": message}]
    return []


def owned_by_other_system(stored_system: str, context: IngestContext) -> dict | None:
    """For handlers: the error when a stored record was first sent by another system (None when this one may)."""
    if not stored_system or stored_system == context.system:
        return None
    return {
        "field": "",
        "code": ErrorCode.OWNED_BY_OTHER_SYSTEM,
        "message": "This record was first sent by another sending system; only that system may send its versions.",
    }


def _dispatch(records: list[FeedRecord], context: IngestContext, scope: Scope | None) -> list[dict]:
    """Group records by type, call each type's handler once, and return the results in index order.

    A record outside the credential's scope (`scope`) is rejected here, before any handler sees it.
    """
    by_type: dict[str, list[FeedRecord]] = {}
    results: dict[int, dict] = {}
    for rec in records:
        raw = rec.raw
        if not isinstance(raw, dict):
            results[rec.index] = rejected(
                rec, [{"field": "", "code": ErrorCode.INVALID, "message": "A record is a JSON object."}]
            )
            continue
        rtype = raw.get("type")
        if not isinstance(rtype, str) or rtype not in record_handlers:
            code = ErrorCode.REQUIRED if rtype is None else ErrorCode.UNKNOWN_TYPE
            message = "type is required." if rtype is None else f"Unknown record type {str(rtype)[:40]!r}."
            results[rec.index] = rejected(rec, [{"field": "type", "code": code, "message": message}])
            continue
        if scope is not None and (errors := _scope_errors(raw, rtype, scope) or _cutover_errors(raw, scope, context)):
            results[rec.index] = rejected(rec, errors)
            continue
        by_type.setdefault(rtype, []).append(rec)
    for rtype, recs in by_type.items():
        for result in _handle(rtype, recs, context):
            results[result["index"]] = result
    return [results[r.index] for r in records]


# Faults of the database or the connection, after which the same batch succeeds: the batch is answered 503 and
# the sender retries. Anything else a handler raises is about what a record holds.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
UNSTORABLE_MESSAGE = (
    "This record could not be stored as sent (a value the contract's checks let through but the portal cannot "
    "keep). It is kept in the feed exceptions for WSP support; the other records of the batch were applied."
)


def _handle(rtype: str, recs: list[FeedRecord], context: IngestContext) -> list[dict]:
    """The handler's results for `recs`. The bulk path runs in a savepoint; if a record makes it raise, each
    record is applied on its own (in index order, each in its own savepoint) and the ones that still raise are
    rejected with `invalid`, so one poison record never costs the batch: a 5xx means only a transient fault."""
    handler = record_handlers[rtype]
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                return handler(recs, context)
        except TRANSIENT_ERRORS:
            raise
        except IntegrityError:
            # A batch applied at the same moment stored one of these identities first (handlers lock only the
            # records already stored): once more in bulk, now that they are, then record by record.
            if attempt == 1:
                logger.info("feed handler %r met a concurrent batch; applying its %d records again", rtype, len(recs))
                continue
            logger.exception(
                "feed handler %r raised on a batch of %d; applying its records one by one", rtype, len(recs)
            )
        except Exception:  # noqa: BLE001 - whatever a record makes the handler raise, the others are applied
            logger.exception(
                "feed handler %r raised on a batch of %d; applying its records one by one", rtype, len(recs)
            )
        break
    out: list[dict] = []
    for rec in recs:
        out.append(_handle_one(handler, rtype, rec, context))
    return out


def _handle_one(handler: Handler, rtype: str, rec: FeedRecord, context: IngestContext) -> dict:
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                [result] = handler([rec], context)
                return result
        except TRANSIENT_ERRORS:
            raise
        except IntegrityError:
            # Another transaction may have stored the same identity at the same moment: once more, then it is
            # the record's own fault.
            if attempt == 2:
                logger.exception("feed record %s[%d] could not be stored", rtype, rec.index)
        except Exception:  # noqa: BLE001 - the record's own fault; it is rejected on its own
            logger.exception("feed record %s[%d] could not be stored", rtype, rec.index)
            break
    return rejected(rec, [{"field": "", "code": ErrorCode.INVALID, "message": UNSTORABLE_MESSAGE}])


def _exceptions_for(records: list[FeedRecord], results: list[dict], batch: Batch, now: datetime) -> list[FeedException]:
    out = []
    for rec, result in zip(records, results, strict=True):
        if result["status"] != ResultStatus.REJECTED:
            continue
        rtype, number, ori, version = _identity(rec.raw)
        out.append(
            FeedException(
                batch=batch,
                index=rec.index,
                record_type=rtype,
                number=number,
                agency_ori=ori,
                version=version,
                raw=rec.canonical.decode(),
                errors=result["errors"],
                codes=" ".join(sorted({e["code"] for e in result["errors"]}))[:200],
                created_at=now,
            )
        )
    return out


def batch_ingest(
    *, credential: FeedCredential, envelope: Envelope, received_at: datetime | None = None
) -> tuple[int, dict]:
    """Store one batch and its records in one transaction; answer (status, body).

    A re-send (same batch_id, same records) returns the stored results and changes nothing; the same
    batch_id with other records is a 409. `received_at` is for demo data only (the API never passes it).
    """
    from . import bulk

    system = credential.system
    previous = Batch.objects.filter(system=system, batch_id=envelope.batch_id).first()
    if previous is not None:
        return _replay(previous, envelope)
    now = received_at or timezone.now()
    try:
        with transaction.atomic():
            batch = Batch.objects.create(
                system=system,
                batch_id=envelope.batch_id,
                credential=credential,
                records_hash=envelope.records_hash,
                sent_at=envelope.sent_at,
                received_at=now,
                record_count=len(envelope.records),
            )
            context = IngestContext(system=system, received_at=now, sent_at=envelope.sent_at, batch_pk=batch.pk)
            results = _dispatch(envelope.records, context, Scope.of(credential))
            bulk.insert_objects(FeedException, _exceptions_for(envelope.records, results, batch, now))
            counts = {s: 0 for s in ResultStatus.values}
            for r in results:
                counts[r["status"]] += 1
            batch.results = results
            batch.created_count = counts["created"]
            batch.updated_count = counts["updated"]
            batch.unchanged_count = counts["unchanged"]
            batch.rejected_count = counts["rejected"]
            batch.save(update_fields=["results", "created_count", "updated_count", "unchanged_count", "rejected_count"])
            FeedCredential.objects.filter(pk=credential.pk).update(last_used_at=now)
            log_action(
                "feed.batch.received",
                obj=batch,
                actor_name=f"feed:{system}",
                data={"batch_id": envelope.batch_id, "records": len(results), **counts},
            )
    except IntegrityError:
        # Another request stored the same batch_id first (a sender retrying at once): answer as a re-send.
        previous = Batch.objects.filter(system=system, batch_id=envelope.batch_id).first()
        if previous is None:
            raise
        return _replay(previous, envelope)
    return 200, {"batch_id": envelope.batch_id, "results": results}


def _replay(previous: Batch, envelope: Envelope) -> tuple[int, dict]:
    if previous.records_hash != envelope.records_hash:
        raise FeedError(
            409,
            f"batch_id {envelope.batch_id!r} was used before by this sender with different records; "
            "send new records under a new batch_id.",
        )
    Batch.objects.filter(pk=previous.pk).update(replays=previous.replays + 1)
    return 200, {"batch_id": previous.batch_id, "results": previous.results}


def batch_results(*, credential: FeedCredential, batch_id: str) -> dict | None:
    batch = Batch.objects.filter(system=credential.system, batch_id=batch_id).first()
    if batch is None:
        return None
    return {"batch_id": batch.batch_id, "results": batch.results}


# ---------------------------------------------------------------- exceptions


def exception_reprocess(*, exceptions: list[FeedException], actor: User) -> dict[str, int]:
    """Run rejected records through their handler again (after reference data was fixed).

    Each record is applied as sent; one that passes now is marked resolved with its result, one that
    still fails keeps its place with the new errors. Returns counts.
    """
    done = {"resolved": 0, "still_rejected": 0}
    with transaction.atomic():
        locked = list(
            FeedException.objects.select_for_update(of=("self",))
            .filter(pk__in=[e.pk for e in exceptions], status=ExceptionStatus.OPEN)
            .select_related("batch")
            .order_by("created_at", "id")
        )
        if not locked:
            return done
        now = timezone.now()
        # Judged by the sending credential's scope as it is now (WSP may have widened it since).
        scopes: dict[int, Scope] = {}
        for exc in locked:
            if exc.batch.credential_id not in scopes:
                scopes[exc.batch.credential_id] = Scope.of(FeedCredential.objects.get(pk=exc.batch.credential_id))
            raw = orjson.loads(exc.raw)
            canon = canonical(raw)
            record = FeedRecord(exc.index, raw, canon, hashlib.sha256(canon).hexdigest())
            # The portal received the record with its batch; its lateness is judged from then.
            context = IngestContext(
                system=exc.batch.system,
                received_at=exc.batch.received_at,
                sent_at=exc.batch.sent_at,
                batch_pk=exc.batch_id,
                reprocessing=True,
            )
            [result] = _dispatch([record], context, scopes[exc.batch.credential_id])
            exc.attempts += 1
            if result["status"] == ResultStatus.REJECTED:
                exc.errors = result["errors"]
                exc.codes = " ".join(sorted({e["code"] for e in result["errors"]}))[:200]
                exc.save(update_fields=["errors", "codes", "attempts"])
                done["still_rejected"] += 1
            else:
                exc.status = ExceptionStatus.RESOLVED
                exc.resolved_at = now
                exc.resolved_by = actor
                exc.resolution = result
                exc.save(update_fields=["status", "resolved_at", "resolved_by", "resolution", "attempts"])
                done["resolved"] += 1
        log_action("feed.exceptions.reprocessed", actor=actor, data={**done, "ids": [e.pk for e in locked][:200]})
    return done


def exception_dismiss(*, exception: FeedException, actor: User, note: str) -> FeedException:
    with transaction.atomic():
        exc = FeedException.objects.select_for_update().get(pk=exception.pk)
        if exc.status != ExceptionStatus.OPEN:
            return exc
        exc.status = ExceptionStatus.DISMISSED
        exc.resolved_at = timezone.now()
        exc.resolved_by = actor
        exc.resolution = {"note": note[:500]}
        exc.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
        log_action("feed.exception.dismissed", obj=exc, actor=actor, data={"note": note[:500]})
    return exc


def now_utc() -> datetime:
    return datetime.now(UTC)
