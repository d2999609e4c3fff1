"""Training coverage, read once for every screen that shows it (coverage page, home panel, steps 5 and 6), so
the numbers agree: officers trained against the agency's target, court staff trained per court."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from sector.onboarding.choices import Step, StepStatus
from sector.onboarding.models import AgencyOnboarding, OnboardingStep
from sector.orgs.models import Court, Person

from .choices import EventKind
from .models import TrainingRecord


def _sanctioned(person_ref: str = "pk") -> Exists:
    return Exists(TrainingRecord.objects.filter(person_id=OuterRef(person_ref), kind=EventKind.SANCTIONED))


def agency_officers(agency_id: int) -> QuerySet[Person]:
    """The agency's active officers in the registry: the people step 5 counts."""
    return Person.objects.filter(agency_id=agency_id, kind="officer", active=True)


def trained_officers(agency_id: int) -> QuerySet[Person]:
    return agency_officers(agency_id).filter(_sanctioned())


def untrained_officers(agency_id: int) -> QuerySet[Person]:
    return agency_officers(agency_id).exclude(_sanctioned())


@dataclass
class OfficerCoverage:
    onboarding: AgencyOnboarding
    trained: int
    untrained: int
    step_done: bool = False  # step 5 done, possibly by hand for training before the portal

    @property
    def target(self) -> int | None:
        return self.onboarding.officer_target()[0]

    @property
    def source(self) -> str:
        return self.onboarding.officer_target()[1]

    @property
    def covered(self) -> bool:
        return self.target is not None and self.trained >= self.target

    @property
    def to_go(self) -> int | None:
        return None if self.target is None else max(self.target - self.trained, 0)


def officer_coverage(onboardings: QuerySet[AgencyOnboarding] | None = None) -> list[OfficerCoverage]:
    """One row per agency in onboarding: its target and how many of its active officers are trained. One query."""
    qs = onboardings if onboardings is not None else AgencyOnboarding.objects.all()
    officer = Q(agency__people__kind="officer", agency__people__active=True)
    trained = officer & Q(agency__people__training_records__kind=EventKind.SANCTIONED)
    rows = (
        qs.select_related("agency", "survey")
        .annotate(
            n_trained=Count("agency__people", filter=trained, distinct=True),
            n_officers=Count("agency__people", filter=officer, distinct=True),
            step_done=Exists(
                OnboardingStep.objects.filter(
                    onboarding_id=OuterRef("pk"), step__number=Step.OFFICER_TRAINING, status=StepStatus.DONE
                )
            ),
        )
        .order_by("agency_name", "id")
    )
    return [OfficerCoverage(o, o.n_trained, o.n_officers - o.n_trained, o.step_done) for o in rows]


def court_staff_coverage(courts: QuerySet[Court]) -> QuerySet[Court]:
    """Each court with `staff` (its active staff) and `trained` (those with an AOC court staff training record)."""
    staff = Q(people__active=True)
    return courts.annotate(
        staff=Count("people", filter=staff, distinct=True),
        trained=Count("people", filter=staff & Q(people__training_records__kind=EventKind.COURT_STAFF), distinct=True),
    )


def people_search(people: QuerySet[Person], q: str, *, limit: int = 20) -> QuerySet[Person]:
    """People matching every word of `q` in their name, personnel number, or agency or court (name, ORI, code)."""
    words = q.split()[:5]
    if not words:
        return people.none()
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(personnel_number__icontains=word)
            | Q(agency__name__icontains=word) | Q(agency__ori__iexact=word) | Q(court__name__icontains=word)
            | Q(court__code__iexact=word)
        )  # fmt: skip
    return people.select_related("agency", "court").order_by("last_name", "first_name", "id")[:limit]
