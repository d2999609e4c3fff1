"""Reads the onboarding pages share. Every one starts from `restrict(user)`."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sector.accounts.models import User
from sector.orgs.models import Agency

from ..choices import StepStatus
from ..models import AgencyOnboarding, OnboardingStep


def pipeline(*, user: User, stage: str = "", overdue_only: bool = False, q: str = "") -> QuerySet[AgencyOnboarding]:
    """Agencies in onboarding with their progress (done steps, overdue steps) in one query per page."""
    today = timezone.localdate()
    qs = (
        AgencyOnboarding.objects.restrict(user)
        .select_related("agency")
        .annotate(
            done_count=Count("steps", filter=Q(steps__status=StepStatus.DONE)),
            overdue_count=Count("steps", filter=Q(steps__status=StepStatus.OPEN, steps__due_on__lt=today)),
        )
    )
    if stage:
        qs = qs.filter(stage=stage)
    if overdue_only:
        qs = qs.filter(overdue_count__gt=0)
    if q:
        q = q.strip()
        qs = qs.filter(Q(agency_name__icontains=q) | Q(agency__ori__iexact=q))
    return qs


def stage_counts(*, user: User) -> dict[str, int]:
    rows = AgencyOnboarding.objects.restrict(user).values_list("stage").annotate(n=Count("id"))
    return dict(rows)


def agencies_not_started(*, user: User) -> QuerySet[Agency]:
    return Agency.objects.restrict(user).filter(active=True, onboarding__isnull=True).only("ori", "name")


def checklist(onboarding: AgencyOnboarding) -> list[OnboardingStep]:
    return list(onboarding.steps.select_related("step", "completed_by").order_by("step__number"))


def overdue_steps(*, user: User, limit: int = 20) -> list[OnboardingStep]:
    return list(
        OnboardingStep.objects.restrict(user)
        .overdue()
        .select_related("step", "onboarding__agency")
        .order_by("due_on", "id")[:limit]
    )
