"""Every write of training: events, registrations (capacity enforced), attendance, completion, and the
checklist steps training completes (5: the agency's officers; 6: staff of each court of jurisdiction)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sector.accounts.roles import AOC, LASA, WASPC
from sector.core.audit import log_action
from sector.core.mail import send_templated_mail
from sector.core.permissions import user_scope
from sector.onboarding.checklist.services import step_complete_automatically
from sector.onboarding.choices import Step, StepStatus, SurveyStatus
from sector.onboarding.errors import OnboardingError, logs_refusal
from sector.onboarding.models import AgencyOnboarding, OnboardingStep
from sector.orgs.models import Agency, Person

from . import selectors
from .choices import COORDINATOR_ROLE, EventKind, EventStatus
from .models import Registration, TrainingEvent, TrainingRecord

if TYPE_CHECKING:
    from sector.accounts.models import User


class TrainingError(OnboardingError):
    """A training change refused, with the reason."""


def can_run(user: User, event_kind: str, host_agency_id: int | None) -> tuple[bool, str]:
    """Whether `user` coordinates events of this kind (and, for an agency's own session, of this agency)."""
    scope = user_scope(user)
    role = COORDINATOR_ROLE[EventKind(event_kind)]
    # The coordinating role is held statewide, or — for an agency's own session — at the host agency only.
    held_anywhere = role in scope.roles
    if not (scope.superuser or scope.has_role(role, agency=host_agency_id)):
        if not held_anywhere:
            label = {WASPC: "the WASPC coordinator", AOC: "AOC", LASA: "the agency's LASA"}
            return False, f"Only {label[role]} runs {EventKind(event_kind).label.lower()} events."
        return False, "You can run train-the-trainer sessions only for your own agency."
    return True, ""


def kinds_offered(user: User) -> list[str]:
    """The kinds of event the user coordinates somewhere (for the new-event form; `can_run` decides per event):
    a statewide coordinator's kind, and train-the-trainer where the user is an agency's LASA."""
    scope = user_scope(user)
    out: list[str] = []
    for kind, role in COORDINATOR_ROLE.items():
        if scope.superuser or scope.has_role(role) or any(role in roles for roles in scope.agency_roles.values()):
            out.append(kind)
    return out


def target_refusal(user: User) -> str:
    """Why `user` may not set how many of an agency's officers must train ("" when they may)."""
    if not user_scope(user).has_role(COORDINATOR_ROLE[EventKind.SANCTIONED]):
        return "Only the WASPC coordinator sets how many officers must train."
    return ""


@logs_refusal("training.event.create", "host_agency")
def event_create(
    *, actor: User, kind: str, title: str, starts_at: datetime, place: str, capacity: int, trainer: str,
    host_agency: Agency | None = None,
) -> TrainingEvent:  # fmt: skip
    if kind == EventKind.TRAIN_THE_TRAINER:
        hosts = [a for a, roles in user_scope(actor).agency_roles.items() if COORDINATOR_ROLE[EventKind(kind)] in roles]
        if host_agency is None and len(hosts) == 1:  # the one agency where the actor is LASA
            host_agency = Agency.objects.get(pk=hosts[0])
    else:
        host_agency = None
    allowed, why = can_run(actor, kind, host_agency.pk if host_agency else None)
    if not allowed:
        raise TrainingError(why)
    if capacity < 1:
        raise TrainingError("Capacity must be at least 1 seat.")
    event = TrainingEvent.objects.create(
        kind=kind, title=title.strip(), starts_at=starts_at, place=place.strip(), capacity=capacity,
        trainer=trainer.strip(), host_agency=host_agency, created_by=actor,
    )  # fmt: skip
    log_action("training.event.created", obj=event, actor=actor, data={"kind": kind, "capacity": capacity})
    return event


def can_register(user: User, event: TrainingEvent, person: Person) -> tuple[bool, str]:
    scope = user_scope(user)
    if event.kind == EventKind.COURT_STAFF:
        if not (scope.superuser or scope.has_role(AOC)):
            return False, "AOC registers court staff for court staff training."
        if person.court_id is None:
            return False, f"{person.full_name} is not court staff."
        return True, ""
    if person.agency_id is None:
        return False, f"{person.full_name} is not an officer of an agency."
    if (scope.superuser or scope.has_role(WASPC)) and event.kind in (EventKind.SANCTIONED, EventKind.TRACS):
        return True, ""
    if scope.has_role(LASA, agency=person.agency_id):  # the LASA of the person's own agency, not of another
        if event.kind == EventKind.TRAIN_THE_TRAINER and event.host_agency_id != person.agency_id:
            return False, "This session is another agency's."
        return True, ""
    return False, "A LASA registers their own agency's officers; WASPC can register any officer."


def _lock_event(event: TrainingEvent) -> TrainingEvent:
    return TrainingEvent.objects.select_for_update().get(pk=event.pk)


def _lock_event_to_run(event: TrainingEvent, actor: User) -> TrainingEvent:
    """The event, locked, once `actor` is found to run events of its kind (re-checked on the locked row)."""
    locked = _lock_event(event)
    allowed, why = can_run(actor, locked.kind, locked.host_agency_id)
    if not allowed:
        raise TrainingError(why)
    return locked


@logs_refusal("training.registration.add", "event")
def registration_add(*, event: TrainingEvent, person: Person, actor: User) -> Registration:
    """Register one person; refused when the event is full, not open, or the person is already on it."""
    with transaction.atomic():
        locked = _lock_event(event)  # serializes registrations for this event: capacity holds under concurrency
        if locked.status != EventStatus.SCHEDULED:
            raise TrainingError(f"Registration is closed: the event is {locked.get_status_display().lower()}.")
        allowed, why = can_register(actor, locked, person)
        if not allowed:
            raise TrainingError(why)
        if not person.active:
            raise TrainingError(f"{person.full_name} is inactive in the registry.")
        taken = locked.registrations.count()
        if taken >= locked.capacity:
            raise TrainingError(f"The event is full: {taken} of {locked.capacity} seats are taken.")
        if locked.registrations.filter(person=person).exists():
            raise TrainingError(f"{person.full_name} is already registered for this event.")
        registration = Registration.objects.create(event=locked, person=person, registered_by=actor)
        log_action("training.registration.added", obj=locked, actor=actor, data={"person": person.full_name})
        if person.email:
            send_templated_mail(
                to=[person.email],
                subject_template="training/email/registered_subject.txt",
                body_template="training/email/registered.txt",
                context={"event": locked, "person": person},
            )
    return registration


@logs_refusal("training.registration.remove", "event")
def registration_remove(*, event: TrainingEvent, registration_id: int, actor: User) -> None:
    with transaction.atomic():
        locked = _lock_event(event)
        reg = locked.registrations.select_related("person").filter(pk=registration_id).first()
        if reg is None:
            raise TrainingError("That registration does not exist (it may already be removed).")
        if locked.status != EventStatus.SCHEDULED:
            raise TrainingError("The event is over; its registrations are kept as they were.")
        allowed, why = can_register(actor, locked, reg.person)
        if not allowed:
            raise TrainingError(why)
        reg.delete()
        log_action("training.registration.removed", obj=locked, actor=actor, data={"person": reg.person.full_name})


@logs_refusal("training.attendance.mark", "event")
def attendance_mark(*, event: TrainingEvent, actor: User, attended_ids: set[int]) -> int:
    """Mark who attended (everyone registered and not in `attended_ids` did not)."""
    with transaction.atomic():
        locked = _lock_event_to_run(event, actor)
        if locked.status != EventStatus.SCHEDULED:
            raise TrainingError("Attendance of a completed or canceled event cannot change.")
        regs = list(locked.registrations.all())
        unknown = set(attended_ids) - {r.pk for r in regs}
        if unknown:
            raise TrainingError("Some people marked present are not registered for this event.")
        for r in regs:
            r.attended = r.pk in attended_ids
        Registration.objects.bulk_update(regs, ["attended"])
        present = sum(1 for r in regs if r.attended)
        log_action(
            "training.attendance.marked", obj=locked, actor=actor, data={"present": present, "registered": len(regs)}
        )
    return present


@logs_refusal("training.event.complete", "event")
def event_complete(*, event: TrainingEvent, actor: User) -> list[TrainingRecord]:
    """Complete the event: a training record (and its certificate) for each attendee; steps 5 and 6 follow."""
    with transaction.atomic():
        locked = _lock_event_to_run(event, actor)
        if locked.status != EventStatus.SCHEDULED:
            raise TrainingError(f"The event is already {locked.get_status_display().lower()}.")
        regs = list(locked.registrations.select_related("person"))
        if any(r.attended is None for r in regs):
            raise TrainingError("Mark attendance for everyone registered before completing the event.")
        if locked.starts_at > timezone.now():
            raise TrainingError("The event has not taken place yet.")
        completed_on = timezone.localdate(locked.starts_at)
        records = TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(
                    person=r.person,
                    event=locked,
                    kind=locked.kind,
                    completed_on=completed_on,
                    agency_at_time_id=r.person.agency_id,
                    court_at_time_id=r.person.court_id,
                )  # fmt: skip
                for r in regs
                if r.attended
            ]
        )
        locked.status = EventStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        log_action("training.event.completed", obj=locked, actor=actor, data={"records": len(records)})
        people = [r.person for r in regs if r.attended]
        emails = sorted({p.email for p in people if p.email})
        if emails:
            send_templated_mail(
                to=emails,
                subject_template="training/email/certificate_subject.txt",
                body_template="training/email/certificate.txt",
                context={"event": locked},
            )
        if locked.kind == EventKind.SANCTIONED:
            for agency_id in {p.agency_id for p in people if p.agency_id}:
                check_officer_training_step(agency_id)
        if locked.kind == EventKind.COURT_STAFF:
            for court_id in {p.court_id for p in people if p.court_id}:
                for onboarding in AgencyOnboarding.objects.filter(survey__courts=court_id).distinct():
                    check_court_training_step(onboarding)
    return records


def trained_officer_count(agency_id: int) -> int:
    return selectors.trained_officers(agency_id).count()


def check_officer_training_step(agency_id: int) -> bool:
    onboarding = AgencyOnboarding.objects.filter(agency_id=agency_id).select_related("survey").first()
    if onboarding is None:
        return False
    target, source = onboarding.officer_target()
    n = trained_officer_count(agency_id)
    if target is None or n < target:
        return False
    return step_complete_automatically(
        onboarding=onboarding,
        number=Step.OFFICER_TRAINING,
        evidence_text=f"{n} officer(s) completed a sanctioned training (required: {target}, {source}).",
    )


def courts_without_trained_staff(onboarding: AgencyOnboarding) -> list:
    survey = getattr(onboarding, "survey", None)
    if survey is None or survey.status != SurveyStatus.SUBMITTED:
        return []
    return [c for c in selectors.court_staff_coverage(survey.courts.order_by("name")) if not getattr(c, "trained", 0)]


@logs_refusal("training.officer_target.changed", "onboarding")
def officer_target_set(*, onboarding: AgencyOnboarding, actor: User, target: int | None) -> AgencyOnboarding:
    """WASPC sets how many of the agency's officers must train (empty: the survey's sworn officers). Step 5
    completes at once if the trained officers already reach the new target."""
    if why := target_refusal(actor):
        raise TrainingError(why)
    if target is not None and target < 1:
        raise TrainingError("The target is at least 1 officer; leave it empty to use the survey's sworn officers.")
    with transaction.atomic():
        locked = AgencyOnboarding.objects.select_for_update().get(pk=onboarding.pk)
        before = locked.required_trained_officers
        if before != target:
            locked.required_trained_officers = target
            locked.save(update_fields=["required_trained_officers", "updated_at"])
            log_action(
                "training.officer_target.changed", obj=locked, actor=actor,
                changes={"required_trained_officers": [before, target]},
            )  # fmt: skip
        check_officer_training_step(locked.agency_id)
    return locked


def check_court_training_step(onboarding: AgencyOnboarding) -> bool:
    survey = getattr(onboarding, "survey", None)
    if survey is None or survey.status != SurveyStatus.SUBMITTED or courts_without_trained_staff(onboarding):
        return False
    step = OnboardingStep.objects.filter(onboarding=onboarding, step__number=Step.COURT_STAFF_TRAINING).first()
    if step is None or step.status == StepStatus.DONE:
        return False
    codes = ", ".join(survey.courts.order_by("code").values_list("code", flat=True))
    return step_complete_automatically(
        onboarding=onboarding,
        number=Step.COURT_STAFF_TRAINING,
        evidence_text=f"Staff of every court of jurisdiction trained: {codes}.",
    )


def officer_training_check(user: User) -> str:
    """The gate on activating an officer's account (registered with sector.onboarding.lasa.services)."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        return "No person record is linked to this account, so no training can be confirmed."
    if not TrainingRecord.objects.filter(person=person, kind=EventKind.SANCTIONED).exists():
        return "No completed sanctioned officer training is recorded for them."
    return ""


def trained_user_ids(user_ids: list[int]) -> set[int]:
    """The users (of `user_ids`) whose person record has a completed sanctioned training."""
    return set(
        TrainingRecord.objects.filter(kind=EventKind.SANCTIONED, person__user_id__in=user_ids)
        .values_list("person__user_id", flat=True)
        .distinct()
    )


def seats_taken(events: Iterable[TrainingEvent]) -> dict[int, int]:
    ids = [e.pk for e in events]
    rows = Registration.objects.filter(event_id__in=ids).values("event_id").annotate(n=Count("id"))
    return {r["event_id"]: r["n"] for r in rows}


@logs_refusal("training.person.add", "event")
def person_add_and_register(*, event: TrainingEvent, actor: User, fields: dict) -> Registration:
    """Add someone the registry does not have yet (an officer of an agency, or court staff) and register them.
    Both happen or neither: a full event or a refused registration adds nobody."""
    from django.core.exceptions import ValidationError

    if not actor.has_perm("orgs.add_person"):
        raise TrainingError("Your role does not add people to the registry.")
    court_staff = event.kind == EventKind.COURT_STAFF
    person = Person(
        first_name=fields["first_name"].strip(), last_name=fields["last_name"].strip(),
        personnel_number=(fields.get("personnel_number") or "").strip(), email=(fields.get("email") or "").strip(),
        kind="court_staff" if court_staff else "officer",
        agency=None if court_staff else fields.get("agency"), court=fields.get("court") if court_staff else None,
    )  # fmt: skip
    if court_staff and person.court is None:
        raise TrainingError("Choose the court the person works at.")
    if not court_staff and person.agency is None:
        raise TrainingError("Choose the officer's agency.")
    allowed, why = can_register(actor, event, person)
    if not allowed:
        raise TrainingError(why)
    try:
        person.full_clean()
    except ValidationError as exc:
        raise TrainingError("The person was not added.", reasons=exc.messages) from None
    with transaction.atomic():
        person.save()
        log_action(
            "orgs.person.created", obj=person, actor=actor,
            data={"organization": str(person.organisation), "for_event": event.title},
        )  # fmt: skip
        return registration_add(event=event, person=person, actor=actor)
