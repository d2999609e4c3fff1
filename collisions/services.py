"""Every write of collision review: claim, release, approve (one or two levels), return, access log, release.

Transitions follow one recipe: atomic → lock the report (scope re-checked on the locked queryset) → guard
raising ReviewError → save(update_fields) → log_action → side effects on commit. Approval writes the DOT/DOL
deliveries through the feed's outbox in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import orjson
from django.db import transaction
from django.utils import timezone

from sector.core.audit import actor_display, log_action
from sector.core.errors import DomainError
from sector.core.permissions import can
from sector.feed import bulk
from sector.feed.outbox import deliveries_create
from sector.orgs.models import Person

from .choices import AWAITING, CLAIM_DURATION, AccessKind, ReportStatus, Section
from .models import AccessLog, AgencyReviewSetting, CollisionReport, CollisionVersion, Release, ReviewNote
from .selectors import QUEUE_ORDER, filter_queue

if TYPE_CHECKING:
    from sector.accounts.models import User


class ReviewError(DomainError):
    """A refused review action; the message says why and what to do."""


def _locked(actor: User, report_id: int, action: str = "review") -> CollisionReport:
    """The report locked, if the policy lets `actor` do `action` to it (checked on the locked queryset)."""
    qs = CollisionReport.objects.restrict(actor, action).filter(pk=report_id)
    rows = bulk.lock_rows(qs)
    if not rows:
        raise ReviewError("This report is not in your agency's queue.")
    return rows[0]


def is_author(user: User, report: CollisionReport) -> bool:
    """The officer who wrote the report: their account, or a person record with the officer's number."""
    if report.author_id == user.pk:
        return True
    return Person.objects.filter(
        user=user, agency_id=report.agency_id, personnel_number=report.officer_personnel_number
    ).exists()


def second_level_required(agency_id: int) -> bool:
    return AgencyReviewSetting.objects.filter(agency_id=agency_id, second_level_approval=True).exists()


def available_actions(*, actor: User, report: CollisionReport, now: datetime | None = None) -> set[str]:
    """What `user` may do to `report` now: the template's buttons and the view's allowed posts."""
    now = now or timezone.now()
    if not can(actor, "review", report):
        return set()
    if report.status not in AWAITING:
        return set()
    actions = set()
    held_by_other = report.claim_active(now) and report.claimed_by_id != actor.pk
    if report.claim_active(now) and report.claimed_by_id == actor.pk:
        actions.add("release")
    elif not held_by_other:
        actions.add("claim")
    if not held_by_other:
        actions.add("return")
        if report.error_count == 0 and report.author_id != actor.pk:
            if report.status == ReportStatus.REVIEWED and report.reviewed_by_id == actor.pk:
                pass  # the second approval is someone else's
            else:
                actions.add("approve")
    return actions


# ----------------------------------------------------------------------------- claims


def claim_next(*, actor: User, agency_id: int, q: str = "", severity: str = "") -> CollisionReport | None:
    """Claim the first report of the queue as the reviewer sees it (oldest waiting first, with their search and
    severity filter) that they may take: not held by another, not theirs. Rows another reviewer is claiming
    right now are skipped (SKIP LOCKED), so ten reviewers pressing at once get ten different reports."""
    now = timezone.now()
    with transaction.atomic():
        qs = filter_queue(
            CollisionReport.objects.restrict(actor, "review").filter(agency_id=agency_id, status__in=AWAITING),
            q=q,
            severity=severity,
        )
        qs = (
            qs.exclude(claimed_by__isnull=False, claim_expires__gt=now)
            .exclude(status=ReportStatus.REVIEWED, reviewed_by=actor)
            .exclude(author=actor)
            .order_by(*QUEUE_ORDER)
        )
        if bulk.is_postgres():
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        report = qs.first()
        if report is None:
            return None
        _set_claim(report, actor, now)
    return report


def _set_claim(report: CollisionReport, actor: User, now: datetime) -> None:
    before = report.claimed_by.get_username() if report.claim_active(now) and report.claimed_by else None
    report.claimed_by = actor
    report.claim_expires = now + CLAIM_DURATION
    report.save(update_fields=["claimed_by", "claim_expires", "updated_at"])
    log_action(
        "collisions.report.claimed",
        obj=report,
        actor=actor,
        changes={"claimed_by": [before, actor.get_username()]},
        data={"until": report.claim_expires.isoformat()},
    )


def claim_report(*, actor: User, report_id: int) -> CollisionReport:
    now = timezone.now()
    with transaction.atomic():
        report = _locked(actor, report_id)
        if report.status not in AWAITING:
            raise ReviewError("This report is not awaiting review.")
        if report.claim_active(now) and report.claimed_by_id != actor.pk:
            raise ReviewError("Another reviewer holds this report; it is released, or lapses after 30 minutes.")
        _set_claim(report, actor, now)
    return report


def release_claim(*, actor: User, report_id: int) -> CollisionReport:
    with transaction.atomic():
        report = _locked(actor, report_id)
        if report.claimed_by_id is None:
            return report
        if report.claimed_by_id != actor.pk and report.claim_active(timezone.now()):
            raise ReviewError("Only the reviewer holding the claim can release it.")
        report.claimed_by = None
        report.claim_expires = None
        report.save(update_fields=["claimed_by", "claim_expires", "updated_at"])
        log_action("collisions.report.released", obj=report, actor=actor)
    return report


def _guard_reviewable(report: CollisionReport, actor: User, expected_version: int | None) -> None:
    if report.status not in AWAITING:
        raise ReviewError(f"This report is {report.get_status_display().lower()}; there is nothing to review.")
    if report.claim_active(timezone.now()) and report.claimed_by_id != actor.pk:
        raise ReviewError("Another reviewer holds this report.")
    if expected_version is not None and expected_version != report.review_version:
        raise ReviewError(
            f"Version {report.review_version} arrived while you were reading version {expected_version}: "
            "look at what changed, then act again."
        )


# ----------------------------------------------------------------------------- approve


def delivery_payload(report: CollisionReport, version: CollisionVersion, actor: User, at: datetime) -> bytes:
    """The contract's outbound body: the report as received plus the review. Fixed now; retries resend it."""
    body = dict(version.raw)
    body["review"] = {"approved_by": actor_display(actor), "approved_at": at.isoformat()}
    return orjson.dumps(body, option=orjson.OPT_SORT_KEYS)


def report_approve(*, actor: User, report_id: int, expected_version: int | None = None) -> CollisionReport:
    """Approve the version under review (or, with second-level approval, record the first review)."""
    now = timezone.now()
    with transaction.atomic():
        report = _locked(actor, report_id)
        _guard_reviewable(report, actor, expected_version)
        if report.error_count:
            raise ReviewError(
                f"This version has {report.error_count} error{'s' if report.error_count != 1 else ''}: "
                "return it to the officer for correction instead."
            )
        if is_author(actor, report):
            raise ReviewError("You wrote this report: another reviewer must approve it.")
        two_levels = second_level_required(report.agency_id)
        if two_levels and report.status == ReportStatus.PENDING:
            report.status = ReportStatus.REVIEWED
            report.reviewed_by = actor
            report.reviewed_at = now
            report.claimed_by = None
            report.claim_expires = None
            report.save(
                update_fields=["status", "reviewed_by", "reviewed_at", "claimed_by", "claim_expires", "updated_at"]
            )
            log_action(
                "collisions.report.reviewed",
                obj=report,
                actor=actor,
                changes={"status": [ReportStatus.PENDING, ReportStatus.REVIEWED]},
                data={"version": report.review_version},
            )
            return report
        if report.status == ReportStatus.REVIEWED and report.reviewed_by_id == actor.pk:
            raise ReviewError("You reviewed this report: a different reviewer gives the second approval.")
        before = report.status
        version = CollisionVersion.objects.get(report=report, version=report.review_version)
        report.status = ReportStatus.APPROVED
        report.approved_by = actor
        report.approved_at = now
        report.approved_version = report.review_version
        report.claimed_by = None
        report.claim_expires = None
        report.replaced_under_review = False
        report.save(
            update_fields=[
                "status", "approved_by", "approved_at", "approved_version", "claimed_by", "claim_expires",
                "replaced_under_review", "updated_at",
            ]
        )  # fmt: skip
        deliveries = deliveries_create(
            record_type="collision",
            record_id=report.pk,
            label=f"{report.agency.ori} {report.report_number} v{report.review_version}",
            key_prefix=f"{report.agency.ori}:{report.report_number}:{report.review_version}",
            payload=delivery_payload(report, version, actor, now),
        )
        log_action(
            "collisions.report.approved",
            obj=report,
            actor=actor,
            changes={"status": [before, ReportStatus.APPROVED]},
            data={"version": report.review_version, "deliveries": [d.idempotency_key for d in deliveries]},
        )
    return report


# ----------------------------------------------------------------------------- return


def report_return(
    *, actor: User, report_id: int, notes: dict[str, str], expected_version: int | None = None
) -> CollisionReport:
    """Return the version under review to the officer with notes per section (at least one); they are emailed."""
    notes = {k: v.strip() for k, v in notes.items() if v and v.strip()}
    if not notes:
        raise ReviewError("Write a note on at least one section saying what the officer must correct.")
    unknown = set(notes) - set(Section.values)
    if unknown:
        raise ReviewError(f"Unknown section(s): {', '.join(sorted(unknown))}.")
    now = timezone.now()
    with transaction.atomic():
        report = _locked(actor, report_id)
        _guard_reviewable(report, actor, expected_version)
        before = report.status
        rows = ReviewNote.objects.bulk_create(
            [
                ReviewNote(
                    report=report,
                    version=report.review_version,
                    section=section,
                    note=text[:5000],
                    author=actor,
                    author_name=actor_display(actor),
                    created_at=now,
                )  # fmt: skip
                for section, text in notes.items()
            ]
        )
        report.status = ReportStatus.RETURNED
        report.returned_version = report.review_version
        report.returned_at = now
        report.claimed_by = None
        report.claim_expires = None
        report.reviewed_by = None
        report.reviewed_at = None
        report.replaced_under_review = False
        report.save(
            update_fields=[
                "status", "returned_version", "returned_at", "claimed_by", "claim_expires", "reviewed_by",
                "reviewed_at", "replaced_under_review", "updated_at",
            ]
        )  # fmt: skip
        log_action(
            "collisions.report.returned",
            obj=report,
            actor=actor,
            changes={"status": [before, ReportStatus.RETURNED]},
            data={"version": report.review_version, "sections": sorted(notes)},
        )
        from .notify import notify_returned

        notify_returned(report=report, notes=rows, actor=actor)
    return report


# ----------------------------------------------------------------------------- confidentiality


def access_record(*, actor: User, report: CollisionReport, kind: str = AccessKind.VIEW) -> None:
    AccessLog.objects.create(report=report, user=actor, user_name=actor_display(actor), kind=kind, at=timezone.now())


def delivery_viewed(*, actor: User, record_id: int) -> None:
    """The feed's delivery page showed a report's whole payload (registered as the feed's `record_viewed`)."""
    report = CollisionReport.objects.filter(pk=record_id).only("id").first()
    if report is not None:
        access_record(actor=actor, report=report, kind=AccessKind.DELIVERY)


def release_record(
    *,
    actor: User,
    report_id: int,
    party_name: str,
    relation: str,
    what: str,
    released_on: date,
    person_position: int | None,
    narrative: str = "",
) -> Release:
    """Record a release. `narrative` is the reviewer's redacted narrative for the copy; empty leaves it out."""
    with transaction.atomic():
        report = _locked(actor, report_id, "release")
        release = Release.objects.create(
            report=report,
            version=report.approved_version or report.review_version,
            party_name=party_name.strip()[:200],
            relation=relation,
            person_position=person_position,
            what=what.strip()[:300],
            narrative=narrative.strip()[:20000],
            released_on=released_on,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        log_action(
            "collisions.report.released_to_party",
            obj=report,
            actor=actor,
            data={
                "party": release.party_name,
                "relation": relation,
                "what": release.what,
                "on": released_on.isoformat(),
                "narrative": "redacted narrative given" if release.narrative else "narrative left out",
            },
        )
    return release


# ---------------------------------------------------------------- the agency's review settings (issue 16)


def review_setting_change(*, agency_id: int, actor: User, second_level_approval: bool) -> AgencyReviewSetting:
    """WSP support sets whether an agency's reports need a second reviewer's acceptance. The setting row is
    created on first change; every change is in its history (the audit log) with the value before and after."""
    from sector.core.permissions import require_perm

    require_perm(actor, "collisions.change_agencyreviewsetting")
    with transaction.atomic():
        setting, _created = AgencyReviewSetting.objects.select_for_update().get_or_create(agency_id=agency_id)
        before = setting.second_level_approval
        if before != second_level_approval:
            setting.second_level_approval = second_level_approval
            setting.save(update_fields=["second_level_approval"])
            log_action(
                "collisions.review_setting.changed",
                obj=setting,
                actor=actor,
                changes={"second_level_approval": [before, second_level_approval]},
                data={"agency": setting.agency.ori},
            )
    return setting
