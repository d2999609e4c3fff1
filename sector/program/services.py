"""Every write of the program office: TraCS migrations, bulk onboarding from a spreadsheet, overdue reminders.

The migration sits above onboarding (agreements), training (records) and the feed (credentials, the sender
cut-over), which is why it is its own app: none of those may import the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

import tablib
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from sector.accounts.roles import AGENCY_CONTACT, LASA
from sector.accounts.selectors import emails_of_role
from sector.core.audit import actor_display, log_action
from sector.core.links import absolute_url
from sector.core.mail import send_templated_mail
from sector.core.permissions import can, require_perm
from sector.core.spreadsheets import ImportFileError, line_of, read_table
from sector.feed import services as feed_services
from sector.onboarding.checklist.services import onboarding_start
from sector.onboarding.errors import OnboardingError, logs_refusal
from sector.onboarding.lasa.services import contact_invite
from sector.onboarding.models import AgencyOnboarding, Survey
from sector.onboarding.survey.services import survey_prefill
from sector.orgs.choices import RecordsSystem
from sector.orgs.models import Agency, Court

from . import selectors
from .choices import BULK_COLUMNS, BULK_MAX_BYTES, BULK_MAX_ROWS, BULK_OPTIONAL, MigrationStatus
from .models import StepReminder, TracsMigration

if TYPE_CHECKING:
    from sector.accounts.models import User

OPEN_PERM = "program.add_tracsmigration"


class ProgramError(OnboardingError):
    """A program-office change refused, with the reason."""


# ---------------------------------------------------------------- TraCS migration


def _check_cutover(cutover_on: date) -> None:
    if cutover_on < timezone.localdate():
        raise ProgramError("The cut-over date cannot be in the past.")


def _agency_recipients(agency: Agency) -> list[str]:
    return emails_of_role(role=(LASA, AGENCY_CONTACT), agency=agency)


@logs_refusal("program.migration.open", "agency")
def migration_open(
    *,
    agency: Agency,
    cutover_on: date,
    actor: User,
    note: str = "",
    old_system: str = "",
    new_system: str = "",
) -> TracsMigration:
    """WASPC opens an agency's move to TraCS with its cut-over date: the feed refuses the old sender's records
    for the agency after that day (FEED.md `sender_retired`); the agency's LASAs are told."""
    if not actor.has_perm(OPEN_PERM):
        raise ProgramError("Only the WASPC coordinator opens an agency's TraCS migration.")
    _check_cutover(cutover_on)
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        if TracsMigration.objects.filter(agency=locked).exists():
            raise ProgramError(f"{locked.name} already has a TraCS migration.")
        if locked.records_system == RecordsSystem.TRACS:
            raise ProgramError(f"{locked.name} already uses TraCS.")
        if not locked.active:
            raise ProgramError(f"{locked.name} is inactive in the registry; reactivate it first.")
        migration = TracsMigration(
            agency=locked,
            cutover_on=cutover_on,
            note=(note or "").strip()[:2000],
            opened_by=actor,
            opened_by_name=actor_display(actor),
            agency_name=locked.name,
        )
        if old_system.strip():
            migration.old_system = old_system.strip()[:64]
        if new_system.strip():
            migration.new_system = new_system.strip()[:64]
        migration.save()
        feed_services.sender_cutover_set(
            system=migration.old_system,
            agency=locked,
            cutover_on=cutover_on,
            new_system=migration.new_system,
            actor=actor,
        )
        log_action(
            "program.migration.opened",
            obj=migration,
            actor=actor,
            data={
                "agency": locked.ori,
                "cutover_on": cutover_on.isoformat(),
                "old_system": migration.old_system,
                "new_system": migration.new_system,
            },
        )
        _tell_agency(migration, "opened")
    return migration


def _tell_agency(migration: TracsMigration, event: str) -> None:
    to = _agency_recipients(migration.agency)
    if not to:
        return
    send_templated_mail(
        to=to,
        subject_template="program/email/migration_subject.txt",
        body_template="program/email/migration.txt",
        context={
            "migration": migration,
            "agency": migration.agency,
            "event": event,
            "deadline": selectors.program_deadline(),
            "url": absolute_url(migration),
        },
    )


def _lock(migration: TracsMigration, actor: User) -> TracsMigration:
    locked = TracsMigration.objects.select_for_update(of=("self",)).select_related("agency").get(pk=migration.pk)
    if not can(actor, "change", locked):
        raise ProgramError("Only the WASPC coordinator changes a TraCS migration.")
    if not locked.is_open:
        raise ProgramError("This migration is completed; it no longer changes.")
    return locked


@logs_refusal("program.migration.reschedule", "migration")
def migration_reschedule(*, migration: TracsMigration, cutover_on: date, actor: User) -> TracsMigration:
    """Move the cut-over date (the feed's refusal moves with it)."""
    _check_cutover(cutover_on)
    with transaction.atomic():
        locked = _lock(migration, actor)
        before = locked.cutover_on
        if before == cutover_on:
            return locked
        locked.cutover_on = cutover_on
        locked.save(update_fields=["cutover_on"])
        feed_services.sender_cutover_set(
            system=locked.old_system,
            agency=locked.agency,
            cutover_on=cutover_on,
            new_system=locked.new_system,
            actor=actor,
        )
        log_action(
            "program.migration.rescheduled",
            obj=locked,
            actor=actor,
            changes={"cutover_on": [before.isoformat(), cutover_on.isoformat()]},
        )
        _tell_agency(locked, "rescheduled")
    return locked


def completion_blockers(migration: TracsMigration) -> list[str]:
    if not migration.is_open:
        return ["The migration is already completed."]
    return [f"{i.label}: {i.detail}" for i in selectors.migration_checklist(migration) if not i.done]


@logs_refusal("program.migration.complete", "migration")
def migration_complete(*, migration: TracsMigration, actor: User) -> TracsMigration:
    """WASPC completes the migration once every checklist item is done: the agency's records system becomes
    TraCS in the registry (the old sender stays refused after the cut-over)."""
    with transaction.atomic():
        locked = _lock(migration, actor)
        reasons = completion_blockers(locked)
        if reasons:
            raise ProgramError("The migration cannot be completed yet.", reasons=reasons)
        now = timezone.now()
        locked.status = MigrationStatus.COMPLETED
        locked.completed_at = now
        locked.completed_by_name = actor_display(actor)
        locked.save(update_fields=["status", "completed_at", "completed_by_name"])
        agency = locked.agency
        before = agency.records_system
        agency.records_system = RecordsSystem.TRACS
        agency.save(update_fields=["records_system", "updated_at"])
        log_action(
            "program.migration.completed",
            obj=locked,
            actor=actor,
            changes={"status": [MigrationStatus.OPEN, MigrationStatus.COMPLETED]},
        )
        log_action(
            "orgs.agency.changed", obj=agency, actor=actor, changes={"records_system": [before, RecordsSystem.TRACS]}
        )
        _tell_agency(locked, "completed")
    return locked


# ---------------------------------------------------------------- bulk onboarding from a spreadsheet


@dataclass
class BulkRow:
    line: int
    values: dict[str, str]
    agency: Agency | None = None
    courts: list[Court] = field(default_factory=list)
    overview_on: date | None = None
    errors: list[str] = field(default_factory=list)
    already: bool = False  # the agency is in onboarding already: left as it is (re-uploading changes nothing)

    @property
    def action(self) -> str:
        if self.errors:
            return "Error"
        return "Already in onboarding: left as it is" if self.already else "Start onboarding and invite the contact"


@dataclass
class BulkPreview:
    rows: list[BulkRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not r.errors for r in self.rows)

    @property
    def bad_lines(self) -> list[int]:
        return [r.line for r in self.rows if r.errors]

    @property
    def to_start(self) -> list[BulkRow]:
        return [r for r in self.rows if not r.errors and not r.already]


def read_bulk_file(data: bytes, filename: str = "") -> tablib.Dataset:
    """The spreadsheet as a dataset, or ImportFileError saying what is wrong with the file as a whole."""
    dataset = read_table(data, max_bytes=BULK_MAX_BYTES, name=filename, max_rows=BULK_MAX_ROWS)
    missing = [c for c in BULK_COLUMNS if c not in dataset.headers]
    if missing:
        raise ImportFileError(
            "Missing column(s): " + ", ".join(missing) + ". The first line names the columns: "
            + ", ".join(BULK_COLUMNS) + " (optional: " + ", ".join(BULK_OPTIONAL) + ")."
        )  # fmt: skip
    if dataset.height == 0:
        raise ImportFileError("The file names the columns but lists no agency.")
    return dataset


_CODES_SPLIT = re.compile(r"[;,\s]+")


def _parse_day(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def bulk_onboarding_preview(*, actor: User, dataset: tablib.Dataset) -> BulkPreview:
    """Check every line; writes nothing. Five queries whatever the file's length."""
    from sector.accounts.models import Membership, User

    rows = [dict(zip(dataset.headers, [str(v or "").strip() for v in vals], strict=False)) for vals in dataset]
    oris = {r.get("agency_ori", "").upper() for r in rows}
    agencies = {a.ori: a for a in Agency.objects.filter(ori__in=oris)}
    started = set(AgencyOnboarding.objects.filter(agency__ori__in=oris).values_list("agency__ori", flat=True))
    codes = {c.upper() for r in rows for c in _CODES_SPLIT.split(r.get("court_codes", "")) if c}
    courts = {c.code: c for c in Court.objects.filter(code__in=codes)}
    emails = {r.get("contact_email", "").lower() for r in rows}
    taken: dict[str, set[int | None]] = {}
    for email, agency_id in Membership.objects.filter(user__email__in=emails).values_list("user__email", "agency_id"):
        taken.setdefault(email.lower(), set()).add(agency_id)
    statewide = {
        e.lower()
        for e in User.objects.filter(email__in=emails).filter(groups__isnull=False).values_list("email", flat=True)
    } | {e.lower() for e in User.objects.filter(email__in=emails, is_superuser=True).values_list("email", flat=True)}
    preview = BulkPreview()
    seen: set[str] = set()
    today = timezone.localdate()
    for index, values in enumerate(rows):
        row = BulkRow(line_of(dataset, index), values)
        ori = values.get("agency_ori", "").upper()
        row.agency = agencies.get(ori)
        if not ori:
            row.errors.append("Give the agency's ORI (e.g. WA0340100).")
        elif row.agency is None:
            row.errors.append(f"No agency with ORI {ori[:20]} in the registry; add it to the agency registry first.")
        elif not row.agency.active:
            row.errors.append(f"{row.agency.name} is inactive in the registry; reactivate it first.")
        elif ori in seen:
            row.errors.append(f"{ori} is listed twice in the file; list each agency once.")
        seen.add(ori)
        row.already = ori in started
        if not row.already:
            first, last = values.get("contact_first_name", ""), values.get("contact_last_name", "")
            email = values.get("contact_email", "").lower()
            if not first or not last:
                row.errors.append("Give the agency contact's first and last name.")
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(f"“{email[:100]}” is not a valid email address for the agency contact.")
            else:
                others = taken.get(email, set()) - {row.agency.pk if row.agency else None}
                if others or email in statewide:
                    row.errors.append(f"{email} belongs to an account outside this agency; use another address.")
            listed = [c.upper() for c in _CODES_SPLIT.split(values.get("court_codes", "")) if c]
            unknown = [c for c in listed if c not in courts]
            if not listed:
                row.errors.append("Name the agency's courts of jurisdiction by court code (e.g. D34; M32SPO).")
            elif unknown:
                row.errors.append("No court with code " + ", ".join(u[:10] for u in unknown[:5]) + ".")
            row.courts = [courts[c] for c in dict.fromkeys(listed) if c in courts]
            day_text = values.get("overview_on", "")
            if day_text:
                row.overview_on = _parse_day(day_text)
                if row.overview_on is None:
                    row.errors.append(f"The overview date “{day_text[:20]}” is not a date like 2026-12-01.")
                elif row.overview_on > today:
                    row.errors.append("The overview date cannot be in the future.")
        preview.rows.append(row)
    return preview


@logs_refusal("program.bulk_onboarding.import", "actor")
def bulk_onboarding_apply(*, actor: User, dataset: tablib.Dataset) -> int:
    """Start onboarding for every new agency of the file, or for none: each gets its checklist, its contact is
    invited (step 1, with the overview date) and its draft survey names the contact and courts. Agencies already
    in onboarding are left as they are, so uploading the same file again changes nothing. Returns how many
    agencies were started."""
    require_perm(actor, "onboarding.add_agencyonboarding")
    preview = bulk_onboarding_preview(actor=actor, dataset=dataset)
    if not preview.ok:
        raise ProgramError(
            "Nothing was imported: fix line(s) " + ", ".join(map(str, preview.bad_lines)) + " and upload it again."
        )
    started = []
    with transaction.atomic():
        for row in preview.to_start:
            assert row.agency is not None
            try:
                onboarding = onboarding_start(agency=row.agency, actor=actor)
                v = row.values
                contact_invite(
                    onboarding=onboarding,
                    actor=actor,
                    overview_on=row.overview_on or timezone.localdate(),
                    note="Started from the program office's onboarding spreadsheet.",
                    first_name=v["contact_first_name"],
                    last_name=v["contact_last_name"],
                    email=v["contact_email"],
                )
                survey_prefill(
                    survey=Survey.objects.get(onboarding=onboarding),
                    actor=actor,
                    contact={
                        "contact_name": f"{v['contact_first_name']} {v['contact_last_name']}",
                        "contact_email": v["contact_email"].lower(),
                    },
                    courts=row.courts,
                )
            except OnboardingError as exc:
                raise ProgramError(f"Nothing was imported: line {row.line}: {exc}") from None
            started.append(row.agency.ori)
        log_action(
            "program.bulk_onboarding.imported",
            actor=actor,
            data={
                "started": started,
                "left_as_they_are": [r.values.get("agency_ori", "").upper() for r in preview.rows if r.already],
            },
        )
    return len(started)


# ---------------------------------------------------------------- reminders of overdue steps


@dataclass
class ReminderOutcome:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    no_recipient: list[str] = field(default_factory=list)


def overdue_reminders_send(*, actor: User, onboarding_ids: list[int] | None = None) -> ReminderOutcome:
    """Email each agency with an overdue step (its LASAs and contacts) naming the steps and their target dates;
    at most once per agency and Pacific day (the reminder row is written with the mail). `onboarding_ids`
    limits it to those agencies (the ones the preview showed)."""
    require_perm(actor, "onboarding.add_agencyonboarding")
    today = timezone.localdate()
    outcome = ReminderOutcome()
    for item in selectors.overdue_onboardings(today):
        onboarding = item.onboarding
        if onboarding_ids is not None and onboarding.pk not in onboarding_ids:
            continue
        name = onboarding.agency_name
        if not item.recipients:
            outcome.no_recipient.append(name)
            continue
        with transaction.atomic():
            AgencyOnboarding.objects.select_for_update().get(pk=onboarding.pk)  # two coordinators at once: one wins
            if StepReminder.objects.filter(onboarding=onboarding, sent_on=today).exists():
                outcome.already.append(name)
                continue
            StepReminder.objects.create(
                onboarding=onboarding,
                sent_on=today,
                steps=item.step_numbers,
                recipients=item.recipients,
                sent_by_name=actor_display(actor),
            )
            send_templated_mail(
                to=item.recipients,
                subject_template="program/email/overdue_subject.txt",
                body_template="program/email/overdue.txt",
                context={
                    "agency": onboarding.agency,
                    "steps": item.steps,
                    "url": absolute_url(onboarding),
                },
            )
            log_action(
                "program.reminder.sent",
                obj=onboarding,
                actor=actor,
                data={"steps": item.step_numbers, "recipients": len(item.recipients)},
            )
        outcome.sent.append(name)
    return outcome
