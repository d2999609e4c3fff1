"""Reads of the program office: one agency's TraCS checklist, the statewide board (one annotated query, so the
board, its chart and its export agree), and the agencies whose onboarding step is overdue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sector.feed.models import FeedCredential, SenderCutover
from sector.onboarding.choices import AgreementKind, AgreementStatus, StepStatus
from sector.onboarding.models import AgencyOnboarding, Agreement, OnboardingStep
from sector.orgs.choices import PersonKind, RecordsSystem
from sector.orgs.models import Agency, Person
from sector.training.choices import EventKind
from sector.training.models import TrainingRecord

from .choices import BOARD_ORDER, BoardState, MigrationStatus
from .models import StepReminder, TracsMigration


def program_deadline() -> date:
    """The program's deadline for every agency to be on TraCS (setting TRACS_PROGRAM_DEADLINE, a Pacific day)."""
    value = getattr(settings, "TRACS_PROGRAM_DEADLINE", "2027-06-30")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:  # a mistyped setting must not take the board down; the README names the format
        return date(2027, 6, 30)


def days_left(today: date | None = None) -> int:
    return (program_deadline() - (today or timezone.localdate())).days


# ---------------------------------------------------------------- one agency's checklist


@dataclass
class ChecklistItem:
    key: str
    label: str
    done: bool
    detail: str


def _agreement_item(agency: Agency) -> ChecklistItem:
    label = "TraCS access agreement executed"
    agreement = (
        Agreement.objects.filter(onboarding__agency=agency, kind=AgreementKind.TRACS).order_by("-prepared_at").first()
    )
    if agreement is None:
        detail = "No TraCS access agreement yet: WSP support prepares it on the agency's agreements page."
        if not AgencyOnboarding.objects.filter(agency=agency).exists():
            detail = "The agency has no onboarding record, so no agreement can be prepared; WASPC starts one first."
        return ChecklistItem("agreement", label, False, detail)
    if agreement.is_executed:
        when = timezone.localtime(agreement.countersigned_at).strftime("%b %d, %Y")
        return ChecklistItem("agreement", label, True, f"Executed {when} (version {agreement.template_version}).")
    return ChecklistItem("agreement", label, False, f"{agreement.get_status_display()}.")


def tracs_trained(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.filter(Exists(TrainingRecord.objects.filter(person_id=OuterRef("pk"), kind=EventKind.TRACS)))


def _officers(agency_id: int) -> QuerySet[Person]:
    return Person.objects.filter(agency_id=agency_id, kind=PersonKind.OFFICER, active=True)


def training_item(officers: int, trained: int) -> ChecklistItem:
    label = "Officers retrained on TraCS"
    if officers == 0:
        return ChecklistItem("training", label, False, "The agency has no active officers in the registry.")
    done = trained >= officers
    detail = f"{trained} of {officers} active officer{'s' if officers != 1 else ''} trained on TraCS."
    if not done:
        detail += f" {officers - trained} to go (WASPC's TraCS officer training events)."
    return ChecklistItem("training", label, done, detail)


def sender_item(migration: TracsMigration, new_sender_ok: bool) -> ChecklistItem:
    label = "Feed sender switched"
    cut = migration.cutover_on.strftime("%b %d, %Y")
    if new_sender_ok:
        detail = (
            f"{migration.new_system} sends for the agency; {migration.old_system}'s records for it are refused "
            f"after {cut}."
        )
    else:
        detail = (
            f"No active {migration.new_system} feed credential covers the agency yet: WSP support issues or widens "
            f"one. {migration.old_system}'s records are refused after {cut}."
        )
    return ChecklistItem("sender", label, new_sender_ok, detail)


def _new_sender_covers(agency_ref: Any, system_ref: Any) -> Exists:
    return Exists(
        FeedCredential.objects.filter(revoked_at__isnull=True, system=system_ref).filter(
            Q(all_agencies=True) | Q(agencies=agency_ref)
        )
    )


def migration_checklist(migration: TracsMigration) -> list[ChecklistItem]:
    agency = migration.agency
    officers = _officers(agency.pk)
    sender_ok = (
        FeedCredential.objects.filter(revoked_at__isnull=True, system=migration.new_system)
        .filter(Q(all_agencies=True) | Q(agencies=agency))
        .exists()
    )
    return [
        _agreement_item(agency),
        training_item(officers.count(), tracs_trained(officers).count()),
        sender_item(migration, sender_ok),
    ]


def cutover_of(migration: TracsMigration) -> SenderCutover | None:
    return SenderCutover.objects.filter(system=migration.old_system, agency=migration.agency).first()


def trained_people(agency: Agency) -> QuerySet[Person]:
    return tracs_trained(_officers(agency.pk)).order_by("last_name", "first_name", "id")


# ---------------------------------------------------------------- the statewide board


@dataclass
class BoardRow:
    agency: Agency
    migration: TracsMigration | None
    state: str
    items: list[ChecklistItem] = field(default_factory=list)
    days_to_cutover: int | None = None
    after_deadline: bool = False

    @property
    def state_label(self) -> str:
        return BoardState(self.state).label

    @property
    def blockers(self) -> list[str]:
        if self.migration is None or not self.migration.is_open:
            return []
        return [f"{i.label}: {i.detail}" for i in self.items if not i.done]


def _count(qs: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values("agency_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def board_queryset(agencies: QuerySet[Agency] | None = None) -> QuerySet[Agency]:
    """Active agencies with their migration and, annotated in the same query, what the checklist derives."""
    qs = agencies if agencies is not None else Agency.objects.all()
    officers = Person.objects.filter(agency_id=OuterRef("pk"), kind=PersonKind.OFFICER, active=True)
    trained = officers.filter(Exists(TrainingRecord.objects.filter(person_id=OuterRef("pk"), kind=EventKind.TRACS)))
    return (
        qs.filter(active=True)
        .select_related("tracs_migration")
        .annotate(
            agreement_done=Exists(
                Agreement.objects.filter(
                    onboarding__agency_id=OuterRef("pk"), kind=AgreementKind.TRACS, status=AgreementStatus.EXECUTED
                )
            ),
            agreement_open=Exists(
                Agreement.objects.filter(onboarding__agency_id=OuterRef("pk"), kind=AgreementKind.TRACS).exclude(
                    status=AgreementStatus.EXECUTED
                )
            ),
            n_officers=_count(officers),
            n_trained=_count(trained),
            sender_done=_new_sender_covers(OuterRef("pk"), OuterRef("tracs_migration__new_system")),
        )
    )


def board_row(agency: Agency, today: date | None = None) -> BoardRow:
    """One annotated agency (board_queryset) as a board row; no further query."""
    today = today or timezone.localdate()
    try:
        migration: TracsMigration | None = agency.tracs_migration
    except TracsMigration.DoesNotExist:
        migration = None
    if migration is None:
        state = BoardState.ON_TRACS if agency.records_system == RecordsSystem.TRACS else BoardState.NOT_STARTED
        return BoardRow(agency, None, state)
    if agency.agreement_done:  # type: ignore[attr-defined]
        agreement = ChecklistItem("agreement", "TraCS access agreement executed", True, "Executed.")
    elif agency.agreement_open:  # type: ignore[attr-defined]
        agreement = ChecklistItem(
            "agreement", "TraCS access agreement executed", False, "Prepared; awaiting signatures."
        )
    else:
        agreement = ChecklistItem("agreement", "TraCS access agreement executed", False, "Not prepared yet.")
    items = [
        agreement,
        training_item(agency.n_officers, agency.n_trained),  # type: ignore[attr-defined]
        sender_item(migration, bool(agency.sender_done)),  # type: ignore[attr-defined]
    ]
    if migration.status == MigrationStatus.COMPLETED:
        state = BoardState.COMPLETED
    else:
        state = BoardState.READY if all(i.done for i in items) else BoardState.IN_PROGRESS
    return BoardRow(
        agency,
        migration,
        state,
        items,
        days_to_cutover=(migration.cutover_on - today).days,
        after_deadline=migration.cutover_on > program_deadline(),
    )


def board_rows(agencies: QuerySet[Agency] | None = None, today: date | None = None) -> list[BoardRow]:
    return [board_row(a, today) for a in board_queryset(agencies).order_by("name", "id")]


def board_counts(rows: list[BoardRow]) -> list[tuple[str, str, int]]:
    """(state, label, agencies) for every state, in board order: the chart and its table."""
    counts = dict.fromkeys(BOARD_ORDER, 0)
    for r in rows:
        counts[r.state] += 1
    return [(s, BoardState(s).label, counts[s]) for s in BOARD_ORDER]


# ---------------------------------------------------------------- overdue onboarding steps


@dataclass
class OverdueAgency:
    onboarding: AgencyOnboarding
    steps: list[OnboardingStep]
    recipients: list[str]
    reminded_today: bool

    @property
    def step_numbers(self) -> list[int]:
        return [s.step.number for s in self.steps]


def overdue_onboardings(today: date | None = None) -> list[OverdueAgency]:
    """Agencies not yet live with a step past its target date, the overdue steps, whom a reminder would go
    to (the agency's LASAs and contacts) and whether one was already sent today. Three queries plus one per
    agency's recipients (agency lists are a few hundred at most)."""
    from sector.accounts.roles import AGENCY_CONTACT, LASA
    from sector.accounts.selectors import emails_of_role

    today = today or timezone.localdate()
    steps = (
        OnboardingStep.objects.filter(status=StepStatus.OPEN, due_on__lt=today, onboarding__live_at__isnull=True)
        .select_related("step", "onboarding__agency")
        .order_by("onboarding__agency_name", "onboarding_id", "step__number")
    )
    by_onboarding: dict[int, list[OnboardingStep]] = {}
    for s in steps:
        by_onboarding.setdefault(s.onboarding_id, []).append(s)
    reminded = set(
        StepReminder.objects.filter(sent_on=today, onboarding_id__in=list(by_onboarding)).values_list(
            "onboarding_id", flat=True
        )
    )
    out = []
    for onboarding_id, group in by_onboarding.items():
        onboarding = group[0].onboarding
        recipients = emails_of_role(role=(LASA, AGENCY_CONTACT), agency=onboarding.agency_id)
        out.append(OverdueAgency(onboarding, group, recipients, onboarding_id in reminded))
    return out
