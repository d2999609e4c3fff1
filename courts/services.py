"""Clerk actions on tickets. One recipe each: atomic → lock the ticket → re-check scope and guard →
save(update_fields) → audit → side effects on commit. No action deletes a deposited ticket.

The ticket's rules (which action is allowed from which state, the status it leads to, when the ticket
needs a clerk, the columns copied from the applied version) are citations' (citations/rules.py): courts
→ citations is the allowed arrow, and feed ingest must obey the same rules. What stays here is the
court's own: who may act, case numbers, the calendar, e-mails, the audit entry."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from citations.choices import CLOSED_STATUSES, CorrectionReason, ReferralDecision, TicketStatus, VersionDisposition
from citations.models import Ticket, TicketVersion, Violation
from citations.rules import next_status, queue_position, typed_ticket_fields
from citations.validation import check_ticket
from sector.accounts.models import User
from sector.accounts.roles import LASA
from sector.accounts.selectors import emails_of_role
from sector.core.audit import log_action
from sector.core.errors import DomainError
from sector.core.formatting import pacific_time
from sector.core.mail import send_templated_mail
from sector.core.permissions import can
from sector.orgs.models import Court

from .calendar import TZ, calendar_for, calendars_for
from .case_numbers import CaseNumberForm
from .models import ClerkPreference, CourtCalendar, CourtClosure

ACTION_LABELS = {
    "accept": "filed",
    "transfer": "transferred",
    "duplicate": "marked as a duplicate",
    "request_correction": "requested a correction on",
    "refer": "referred to a judge",
    "decide": "recorded the judge's decision on",
    "confirm_void": "confirmed the void of",
    "apply_amendment": "applied the amendment to",
    "correct_case_number": "corrected the case number of",
}
# The audit log names each action in the past tense (ticket.last_action keeps the short verb above).
AUDIT_ACTIONS = {
    "accept": "courts.ticket.accepted",
    "transfer": "courts.ticket.transferred",
    "duplicate": "courts.ticket.marked_duplicate",
    "request_correction": "courts.ticket.correction_requested",
    "refer": "courts.ticket.referred",
    "decide": "courts.ticket.decided",
    "confirm_void": "courts.ticket.void_confirmed",
    "apply_amendment": "courts.ticket.amendment_applied",
    "correct_case_number": "courts.ticket.case_number_corrected",
}


# The ticket columns that follow its applied version on the court's calendar (citations.hooks.FilingResult).
DATE_FIELDS = [
    "response_due", "response_due_moved_from", "response_due_reason", "appearance_warning", "appearance_warning_note",
]  # fmt: skip


class TicketActionError(DomainError):
    """The action is not allowed now; the message says why (and who acted first, when that is the reason)."""


class CaseNumberError(TicketActionError):
    """The case number typed does not fit the court's form or is taken; the message shows the expected form."""


def _lock(ticket: Ticket, actor: User, action: str, expected_revision: int | None) -> Ticket:
    """`action` is a status transition (citations/rules.py) or "correct_case_number" (the status stays)."""
    # No joins here: after waiting for a lock PostgreSQL re-reads the locked row but not joined rows,
    # so related objects (court, last actor) are loaded afterwards from the fresh ids.
    locked = Ticket.objects.select_for_update(of=("self",)).restrict(actor).filter(pk=ticket.pk).first()
    if locked is None:
        fresh = Ticket.objects.filter(pk=ticket.pk).first()
        if fresh is not None and expected_revision is not None and fresh.revision != expected_revision:
            # It left the clerk's courts while the form was open (another clerk transferred it): say who.
            raise TicketActionError(_who_acted(fresh))
        raise TicketActionError("This ticket is not at your court.")
    if not can(actor, "process", locked):
        raise TicketActionError("Your role does not act on this ticket's court's tickets.")
    if expected_revision is not None and locked.revision != expected_revision:
        raise TicketActionError(_who_acted(locked))
    allowed = (
        can_correct_case_number(locked) if action == "correct_case_number" else action in locked.available_actions()
    )
    if not allowed:
        raise TicketActionError(
            f"Ticket {locked.ticket_number} cannot be {ACTION_LABELS.get(action, action)} now "
            f"(status: {locked.get_status_display()})."
        )
    return locked


def _who_acted(ticket: Ticket) -> str:
    who = (
        ticket.last_action_by.get_full_name() or ticket.last_action_by.username if ticket.last_action_by else "Someone"
    )
    when = pacific_time(ticket.last_action_at) if ticket.last_action_at else ""
    label = ACTION_LABELS.get(ticket.last_action, "changed")
    return f"{who} {label} ticket {ticket.ticket_number}{' at ' + when if when else ''}. Nothing was changed by you."


def _finish(
    ticket: Ticket,
    actor: User,
    action: str,
    fields: list[str],
    before: dict[str, Any],
    *,
    data: dict[str, Any] | None = None,
) -> Ticket:
    ticket.revision += 1
    ticket.last_action = action
    ticket.last_action_by = actor
    ticket.last_action_at = timezone.now()
    ticket.needs_clerk = ticket.clerk_is_needed()
    all_fields = [*fields, "revision", "last_action", "last_action_by", "last_action_at", "needs_clerk", "updated_at"]
    ticket.save(update_fields=sorted(set(all_fields)))
    after = {f: getattr(ticket, f) for f in before}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    log_action(AUDIT_ACTIONS[action], obj=ticket, actor=actor, changes=changes, data=data or {})
    return ticket


def _snapshot(ticket: Ticket, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(ticket, f) for f in fields}


# ---------------------------------------------------------------- case numbers


def case_number_form(court: Court) -> tuple[CaseNumberForm, CourtCalendar]:
    """The court's case-number form and its calendar (the defaults, unsaved, for a court without one)."""
    calendar = CourtCalendar.objects.filter(court=court).first() or CourtCalendar(court=court)
    return CaseNumberForm(pattern=calendar.case_number_pattern, court_code=court.code), calendar


def next_case_number(*, court: Court, when: datetime | None = None) -> str:
    """The next number from the court's pattern; the per-court sequence is locked, so two clerks never
    draw the same one."""
    calendar, _ = CourtCalendar.objects.get_or_create(court=court)
    calendar = CourtCalendar.objects.select_for_update().get(pk=calendar.pk)
    form = CaseNumberForm(pattern=calendar.case_number_pattern, court_code=court.code)
    seq = calendar.next_case_seq
    number = form.format(seq=seq, when=timezone.localtime(when or timezone.now(), TZ))
    calendar.next_case_seq = seq + 1
    calendar.save(update_fields=["next_case_seq"])
    return number[:40]


def check_case_number(*, court: Court, case_number: str) -> str:
    """The number a clerk typed, upper-cased, or an error that shows the court's expected form."""
    number = (case_number or "").strip().upper()
    form, calendar = case_number_form(court)
    if not form.matches(number):
        when = timezone.localtime(timezone.now(), TZ)
        raise CaseNumberError(
            f"Case number {number or '(empty)'} does not match {court.code}'s form: "
            f"{form.expected(example_seq=calendar.next_case_seq, when=when)}."
        )
    return number


def preview_case_numbers(tickets: list[Ticket]) -> list[tuple[Ticket, str]]:
    """The numbers bulk accept will give, in the order it gives them (by ticket id, each court's sequence),
    read without drawing them: if another clerk files meanwhile, the real numbers move up."""
    when = timezone.localtime(timezone.now(), TZ)
    courts = {t.court_id: t.court for t in tickets}
    calendars = {c.court_id: c for c in CourtCalendar.objects.filter(court_id__in=courts)}
    seqs: dict[int, int] = {}
    out = []
    for t in sorted(tickets, key=lambda t: t.pk):
        calendar = calendars.get(t.court_id) or CourtCalendar(court=t.court)
        seq = seqs.get(t.court_id, calendar.next_case_seq)
        seqs[t.court_id] = seq + 1
        out.append(
            (
                t,
                CaseNumberForm(pattern=calendar.case_number_pattern, court_code=courts[t.court_id].code).format(
                    seq=seq, when=when
                )[:40],
            )
        )
    return out


def can_correct_case_number(ticket: Ticket) -> bool:
    """A filed ticket's case number can be corrected; one never filed has none to correct."""
    return bool(ticket.case_number) and ticket.status not in (TicketStatus.DUPLICATE, TicketStatus.VOID_CONFIRMED)


def _case_number_free(ticket: Ticket, number: str) -> None:
    if Ticket.objects.filter(court_id=ticket.court_id, case_number=number).exclude(pk=ticket.pk).exists():
        raise CaseNumberError(f"Case number {number} is already used at {ticket.court.code}.")


def ticket_correct_case_number(
    *, ticket: Ticket, actor: User, case_number: str, reason: str, expected_revision: int | None = None
) -> Ticket:
    """Replace a filed ticket's case number (a typo, or the case system renumbered it); the audit entry keeps
    the number before and after and the clerk's reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TicketActionError("Say why the case number is corrected.")
    with transaction.atomic():
        t = _lock(ticket, actor, "correct_case_number", expected_revision)
        number = check_case_number(court=t.court, case_number=case_number)
        if number == t.case_number:
            raise CaseNumberError(f"The case number is already {number}.")
        _case_number_free(t, number)
        before = _snapshot(t, ["case_number"])
        t.case_number = number
        try:
            with transaction.atomic():
                return _finish(t, actor, "correct_case_number", ["case_number"], before, data={"reason": reason[:500]})
        except IntegrityError:
            raise CaseNumberError(f"Case number {number} is already used at {t.court.code}.") from None


# ---------------------------------------------------------------- actions


def ticket_accept(
    *, ticket: Ticket, actor: User, case_number: str = "", expected_revision: int | None = None
) -> Ticket:
    """File the ticket under the case number from the court's case system, or one generated from its pattern."""
    case_number = (case_number or "").strip()
    with transaction.atomic():
        t = _lock(ticket, actor, "accept", expected_revision)
        before = _snapshot(t, ["status", "case_number"])
        if case_number:
            case_number = check_case_number(court=t.court, case_number=case_number)
        else:
            case_number = next_case_number(court=t.court)
        _case_number_free(t, case_number)
        t.status = next_status(t, "accept")
        t.case_number = case_number
        t.accepted_at = timezone.now()
        try:
            with transaction.atomic():
                return _finish(t, actor, "accept", ["status", "case_number", "accepted_at"], before)
        except IntegrityError:
            raise CaseNumberError(f"Case number {case_number} is already used at {t.court.code}.") from None


def tickets_bulk_accept(*, tickets: list[Ticket], actor: User) -> tuple[list[Ticket], list[str]]:
    """Accept each with a generated case number; tickets that cannot be accepted are listed, not failed."""
    done, problems = [], []
    for ticket in sorted(tickets, key=lambda t: t.pk):
        try:
            done.append(ticket_accept(ticket=ticket, actor=actor))
        except TicketActionError as exc:
            problems.append(str(exc))
    return done, problems


def ticket_transfer(
    *, ticket: Ticket, actor: User, court: Court, note: str = "", expected_revision: int | None = None
) -> Ticket:
    with transaction.atomic():
        t = _lock(ticket, actor, "transfer", expected_revision)
        if court.pk == t.court_id:
            raise TicketActionError("The ticket is already at that court.")
        if not court.accepts_etickets:
            raise TicketActionError(f"{court} does not accept e-tickets.")
        before = _snapshot(t, ["court_id", "status"])
        t.transferred_from_id = t.court_id
        t.court = court
        t.status = next_status(t, "transfer")
        return _finish(t, actor, "transfer", ["court", "transferred_from", "status"], before, data={"note": note[:500]})


def ticket_mark_duplicate(
    *, ticket: Ticket, actor: User, original: Ticket, expected_revision: int | None = None
) -> Ticket:
    """Close a duplicate transmission; the original is kept as it is."""
    if original.pk == ticket.pk:
        raise TicketActionError("A ticket cannot duplicate itself.")
    with transaction.atomic():
        t = _lock(ticket, actor, "duplicate", expected_revision)
        if not Ticket.objects.restrict(actor).filter(pk=original.pk).exists():
            raise TicketActionError("The original must be a ticket you can see.")
        before = _snapshot(t, ["status", "duplicate_of_id"])
        t.status = next_status(t, "duplicate")
        t.duplicate_of = original
        return _finish(
            t, actor, "duplicate", ["status", "duplicate_of"], before, data={"original": original.ticket_number}
        )


def ticket_request_correction(
    *, ticket: Ticket, actor: User, reason: str, note: str, expected_revision: int | None = None
) -> Ticket:
    """Ask the agency for an amended version. The ticket stays with the court; the LASA and officer are emailed."""
    if reason not in CorrectionReason.values:
        raise TicketActionError("Choose the reason for the correction.")
    with transaction.atomic():
        t = _lock(ticket, actor, "request_correction", expected_revision)
        before = _snapshot(t, ["status", "correction_reason", "correction_note"])
        t.status = next_status(t, "request_correction")
        t.correction_reason = reason
        t.correction_note = note[:2000]
        t.correction_requested_at = timezone.now()
        t = _finish(
            t,
            actor,
            "request_correction",
            ["status", "correction_reason", "correction_note", "correction_requested_at"],
            before,
        )
        recipients = correction_recipients(t)
        if recipients:
            send_templated_mail(
                to=recipients,
                subject_template="courts/email/correction_subject.txt",
                body_template="courts/email/correction_body.txt",
                context={"ticket": t, "clerk": actor, "reason": CorrectionReason(reason).label, "note": note},
            )
        return t


def correction_recipients(ticket: Ticket) -> list[str]:
    """The agency's LASAs and the ticket's officer (by personnel number) who have an account."""
    from sector.orgs.models import Person

    emails = set(emails_of_role(role=LASA, agency=ticket.agency_id))
    number = (
        TicketVersion.objects.filter(ticket=ticket, version=ticket.applied_version)
        .values_list("officer_personnel_number", flat=True)
        .first()
    )
    if number:
        emails |= set(
            Person.objects.filter(agency_id=ticket.agency_id, personnel_number=number, user__is_active=True)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    return sorted(emails)


def ticket_refer(*, ticket: Ticket, actor: User, question: str, expected_revision: int | None = None) -> Ticket:
    if not question.strip():
        raise TicketActionError("Say what the judge is asked to decide.")
    with transaction.atomic():
        t = _lock(ticket, actor, "refer", expected_revision)
        before = _snapshot(t, ["status", "referral_question"])
        t.status_before_referral = t.status
        t.status = next_status(t, "refer")
        t.referral_question = question[:2000]
        t.referral_decision = ""
        t.referral_note = ""
        return _finish(
            t,
            actor,
            "refer",
            ["status", "status_before_referral", "referral_question", "referral_decision", "referral_note"],
            before,
        )


def ticket_record_decision(
    *, ticket: Ticket, actor: User, decision: str, note: str = "", expected_revision: int | None = None
) -> Ticket:
    """The judge's decision: granted voids / dismisses the ticket; denied returns it to where it was."""
    if decision not in ReferralDecision.values:
        raise TicketActionError("Choose the judge's decision.")
    with transaction.atomic():
        t = _lock(ticket, actor, "decide", expected_revision)
        before = _snapshot(t, ["status", "referral_decision", "void_requested"])
        t.referral_decision = decision
        t.referral_note = note[:2000]
        t.status = next_status(t, "decide", decision=decision)
        t.void_requested = False
        return _finish(t, actor, "decide", ["status", "referral_decision", "referral_note", "void_requested"], before)


def ticket_confirm_void(*, ticket: Ticket, actor: User, expected_revision: int | None = None) -> Ticket:
    """Before acceptance a clerk confirms the agency's void; the ticket and its versions stay on record."""
    with transaction.atomic():
        t = _lock(ticket, actor, "confirm_void", expected_revision)
        before = _snapshot(t, ["status", "void_requested"])
        t.status = next_status(t, "confirm_void")
        t.void_requested = False
        t.amendment_pending = False
        TicketVersion.objects.filter(ticket=t, disposition=VersionDisposition.PENDING).update(
            disposition=VersionDisposition.APPLIED
        )
        t.applied_version = t.latest_version
        return _finish(
            t,
            actor,
            "confirm_void",
            ["status", "void_requested", "amendment_pending", "applied_version"],
            before,
            data={"reason": t.void_reason},
        )


def ticket_apply_amendment(*, ticket: Ticket, actor: User, expected_revision: int | None = None) -> Ticket:
    """Make the latest version the one the court works from (earlier pending versions are superseded)."""
    with transaction.atomic():
        t = _lock(ticket, actor, "apply_amendment", expected_revision)
        latest = TicketVersion.objects.get(ticket=t, version=t.latest_version)
        typed, errors, _ = check_ticket(latest.raw, now=latest.received_at)
        if typed is None:  # pragma: no cover - a stored version passed these checks when it arrived
            raise TicketActionError("The amended version cannot be read: " + "; ".join(e["message"] for e in errors))
        fields = typed_ticket_fields(typed)
        # The officer the court works from is the applied version's: their person record sees the ticket.
        fields["officer_id"] = officer_person_id(
            agency_id=t.agency_id, personnel_number=latest.officer_personnel_number
        )
        # The response deadline and the appearance check follow the version the court works from.
        fields.update(
            calendar_for(t.court_id).later_dates(
                issued_at=fields["issued_at"],
                service=fields["service"],
                appearance_at=fields["appearance_at"],
                received_at=latest.received_at,
            )
        )
        before = _snapshot(t, ["applied_version", *fields.keys(), "status"])
        for name, value in fields.items():
            setattr(t, name, value)
        t.queue_rank, t.queue_at = queue_position(
            kind=t.kind, in_custody=t.in_custody, appearance_at=t.appearance_at, received_at=t.received_at
        )
        TicketVersion.objects.filter(ticket=t, disposition=VersionDisposition.PENDING).exclude(pk=latest.pk).update(
            disposition=VersionDisposition.SUPERSEDED
        )
        TicketVersion.objects.filter(ticket=t, version=t.applied_version).update(
            disposition=VersionDisposition.SUPERSEDED
        )
        latest.disposition = VersionDisposition.APPLIED
        latest.save(update_fields=["disposition"])
        t.applied_version = latest.version
        t.amendment_pending = False
        t.status = next_status(t, "apply_amendment")  # the amended version answers a correction request
        return _finish(
            t,
            actor,
            "apply_amendment",
            ["applied_version", "amendment_pending", "status", "queue_rank", "queue_at", *fields.keys()],
            before,
            data={"version": latest.version, "changes": list(latest.changes)[:50]},
        )


def officer_person_id(*, agency_id: int, personnel_number: str) -> int | None:
    """The agency's person record with that personnel number (what ingest links a new ticket to), if any."""
    from sector.orgs.models import Person

    if not personnel_number:
        return None
    return (
        Person.objects.filter(agency_id=agency_id, personnel_number=personnel_number)
        .values_list("pk", flat=True)
        .first()
    )


def violations_of(ticket: Ticket, version: int | None = None) -> list[Violation]:
    return list(Violation.objects.filter(ticket=ticket, version=version or ticket.applied_version).order_by("position"))


# ---------------------------------------------------------------- calendar


def closure_add(*, actor: User, court: Court | None, date: date, reason: str) -> CourtClosure:
    """A court (or, from AOC, every court) closed on `date`. The filing date and deadline of tickets already
    received keep the calendar as it stood when they arrived; the response deadlines and appearance checks of
    open tickets follow it (`ticket_dates_refresh`)."""
    with transaction.atomic():
        if CourtClosure.objects.filter(court=court, date=date).exists():
            raise TicketActionError("That day is already a closure.")
        closure = CourtClosure.objects.create(
            court=court, date=date, reason=reason[:200], created_by_name=actor.get_full_name() or actor.username
        )
        moved = ticket_dates_refresh(court=court, day=date)
        log_action(
            "courts.closure.added",
            obj=closure,
            actor=actor,
            data={"court": str(court or "all courts"), "date": str(date), "tickets_redated": moved},
        )
    return closure


def closure_remove(*, actor: User, closure: CourtClosure) -> None:
    with transaction.atomic():
        court, day, pk = closure.court, closure.date, closure.pk
        closure.delete()
        closure.pk = pk  # the entry names the closure that was removed
        moved = ticket_dates_refresh(court=court, day=day)
        log_action(
            "courts.closure.removed",
            obj=closure,
            actor=actor,
            data={"court": str(court or "all courts"), "date": str(day), "tickets_redated": moved},
        )


def ticket_dates_refresh(*, court: Court | None, day: date) -> list[str]:
    """A closure added or removed on `day` at `court` (None: every court) re-dates the open tickets it
    touches: a response deadline whose computation passes over that day (GR 3: it may run to a later open
    day, or back to the day itself) and an appearance set for that day (the closed-day warning). Tickets
    stay as they are otherwise; the filing date and deadline keep the calendar of the day they arrived.
    Returns the numbers of the tickets whose dates or warnings changed (the closure's audit entry lists them)."""
    start, end = datetime.combine(day, time(0), tzinfo=TZ), datetime.combine(day, time.max, tzinfo=TZ)
    touched = Q(response_due__gte=day) & (
        Q(response_due_moved_from__lte=day) | Q(response_due_moved_from__isnull=True, response_due=day)
    )
    qs = Ticket.objects.exclude(status__in=CLOSED_STATUSES).filter(touched | Q(appearance_at__range=(start, end)))
    if court is not None:
        qs = qs.filter(court=court)
    tickets = list(qs.only("id", "ticket_number", "court_id", "issued_at", "service", "appearance_at", *DATE_FIELDS))
    if not tickets:
        return []
    received = dict(
        TicketVersion.objects.filter(ticket__in=tickets, version=F("ticket__applied_version")).values_list(
            "ticket_id", "received_at"
        )
    )
    calendars = calendars_for({t.court_id for t in tickets}, day - timedelta(days=400), day + timedelta(days=800))
    changed = []
    for t in tickets:
        dates = calendars[t.court_id].later_dates(
            issued_at=t.issued_at, service=t.service, appearance_at=t.appearance_at, received_at=received[t.pk]
        )
        if any(getattr(t, name) != value for name, value in dates.items()):
            for name, value in dates.items():
                setattr(t, name, value)
            changed.append(t)
    Ticket.objects.bulk_update(changed, DATE_FIELDS, batch_size=500)
    return sorted(t.ticket_number for t in changed)[:500]


# ---------------------------------------------------------------- preferences


def clerk_preference_set(*, actor: User, compact: bool) -> ClerkPreference:
    """Remember the clerk's queue layout (a preference, not a record: no audit entry)."""
    pref, _ = ClerkPreference.objects.update_or_create(user=actor, defaults={"compact": compact})
    return pref
