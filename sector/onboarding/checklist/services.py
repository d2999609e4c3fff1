"""Every write of the onboarding workflow. Keyword-only, typed; refusals are logged and raise OnboardingError."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sector.core.audit import actor_display, log_action
from sector.core.permissions import VIEW, can, user_scope
from sector.orgs.models import Agency

from ..choices import Stage, Step, StepStatus
from ..errors import OnboardingError, logs_refusal
from ..models import AgencyOnboarding, ChecklistStep, OnboardingStep

if TYPE_CHECKING:
    from sector.accounts.models import User


def can_complete_step(user: User, onboarding_step: OnboardingStep) -> tuple[bool, str]:
    """Whether `user` may mark the step done by hand, and if not why. Used by the page (buttons) and the service."""
    if onboarding_step.is_done:
        return False, "This step is already complete."
    step = onboarding_step.step
    scope = user_scope(user)
    if not scope.active:
        return False, "Your account is not active."
    if not can(user, VIEW, onboarding_step):
        return False, "You can complete steps only for your own agency."
    # The step names the roles that complete it (reference data); a statewide role acts for every agency, an
    # agency role only where it is held (a LASA of another agency completes nothing here).
    agency_id = onboarding_step.onboarding.agency_id
    if not any(scope.has_role(r, agency=agency_id) for r in step.completed_by_roles):
        return False, f"Only {step.responsible} completes step {step.number}."
    if step.number == Step.ONGOING_SUPPORT and not onboarding_step.onboarding.live_at:
        return False, (
            f"Step {step.number} (ongoing support) begins when the agency goes live and stays open while it is live."
        )
    return True, ""


def _refresh_stage(onboarding: AgencyOnboarding) -> None:
    steps = list(onboarding.steps.select_related("step"))
    stage = onboarding.compute_stage(steps)
    if stage != onboarding.stage:
        before = onboarding.stage
        onboarding.stage = stage
        onboarding.save(update_fields=["stage", "updated_at"])
        log_action("onboarding.stage.changed", obj=onboarding, changes={"stage": [before, stage]})


@logs_refusal("onboarding.onboarding.start", "agency")
def onboarding_start(*, agency: Agency, actor: User) -> AgencyOnboarding:
    """WASPC opens the checklist for an agency: all seven steps, each due its target days from today."""
    if not can(actor, "start_onboarding", agency):
        raise OnboardingError("Only the WASPC coordinator starts an agency's onboarding.")
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        if AgencyOnboarding.objects.filter(agency=locked).exists():
            raise OnboardingError(f"{locked.name} is already in onboarding.")
        if not locked.active:
            raise OnboardingError(f"{locked.name} is inactive in the registry; reactivate it first.")
        now = timezone.now()
        onboarding = AgencyOnboarding.objects.create(
            agency=locked, started_at=now, started_by=actor, agency_name=locked.name
        )
        today = timezone.localdate(now)
        OnboardingStep.objects.bulk_create(
            [
                OnboardingStep(
                    onboarding=onboarding,
                    step=step,
                    due_on=due.day if (due := OnboardingStep.due_for(today, step.target_days)) else None,
                )
                for step in ChecklistStep.objects.order_by("number")
            ]
        )
        from ..models import Survey

        Survey.objects.create(onboarding=onboarding)
        log_action("onboarding.onboarding.started", obj=onboarding, actor=actor, data={"agency": locked.ori})
    return onboarding


def _lock_step(onboarding: AgencyOnboarding, number: int) -> OnboardingStep:
    return (
        OnboardingStep.objects.select_for_update(of=("self",))
        .select_related("step", "onboarding")
        .get(onboarding=onboarding, step__number=number)
    )


@logs_refusal("onboarding.step.complete", "onboarding")
def step_complete(
    *,
    onboarding: AgencyOnboarding,
    number: int,
    actor: User,
    note: str,
    evidence: File | None = None,
    evidence_sha256: str = "",
) -> OnboardingStep:
    """The responsible role marks a step done, recording who, when, a note and (optionally) an evidence file."""
    note = (note or "").strip()
    if not note:
        raise OnboardingError("Write a note saying what was done (e.g. the date the overview was given).")
    with transaction.atomic():
        try:
            obj = _lock_step(onboarding, number)
        except OnboardingStep.DoesNotExist:
            raise OnboardingError(f"There is no step {number} in this checklist.") from None
        allowed, reason = can_complete_step(actor, obj)
        if not allowed:
            raise OnboardingError(reason)
        obj.status = StepStatus.DONE
        obj.completed_at = timezone.now()
        obj.completed_by = actor
        obj.completed_by_name = actor_display(actor)
        obj.note = note[:5000]
        fields = ["status", "completed_at", "completed_by", "completed_by_name", "note"]
        if evidence is not None:
            obj.evidence = evidence
            obj.evidence_name = (getattr(evidence, "name", "") or "evidence")[:200]
            obj.evidence_sha256 = evidence_sha256
            fields += ["evidence", "evidence_name", "evidence_sha256"]
        obj.save(update_fields=fields)
        log_action(
            "onboarding.step.completed",
            obj=onboarding,
            actor=actor,
            changes={f"step {number}": ["open", "done"]},
            data={"step": number, "note": obj.note[:300], "evidence": obj.evidence_name},
        )
        _refresh_stage(obj.onboarding)
    return obj


def step_complete_automatically(*, onboarding: AgencyOnboarding, number: int, evidence_text: str) -> bool:
    """A step's own workflow finished (survey and notices, agreement, LASA, training): mark it done.
    Idempotent; returns whether it changed anything. Called inside the workflow's transaction."""
    obj = _lock_step(onboarding, number)
    if obj.is_done:
        return False
    obj.status = StepStatus.DONE
    obj.completed_at = timezone.now()
    obj.completed_by_name = "automatic"
    obj.evidence_text = evidence_text[:300]
    obj.automatic = True
    obj.save(update_fields=["status", "completed_at", "completed_by_name", "evidence_text", "automatic"])
    log_action(
        "onboarding.step.completed",
        obj=onboarding,
        changes={f"step {number}": ["open", "done"]},
        data={"step": number, "evidence": evidence_text[:300], "automatic": True},
    )
    _refresh_stage(obj.onboarding)
    return True


def go_live_blockers(onboarding: AgencyOnboarding, steps: list[OnboardingStep] | None = None) -> list[str]:
    """The reasons the agency cannot go live yet (empty when it can)."""
    steps = steps if steps is not None else list(onboarding.steps.select_related("step"))
    reasons = [
        f"Step {s.step.number} is not done: {s.step.title} ({s.step.responsible})."
        for s in sorted(steps, key=lambda s: s.step.number)
        if s.step.required_for_go_live and not s.is_done
    ]
    if onboarding.live_at:
        reasons.insert(0, "The agency is already live.")
    return reasons


@logs_refusal("onboarding.onboarding.go_live", "onboarding")
def onboarding_go_live(*, onboarding: AgencyOnboarding, actor: User) -> AgencyOnboarding:
    """WSP takes the agency live: refused, with every reason, until steps 1–6 are done."""
    if not can(actor, "go_live", onboarding):
        raise OnboardingError("Only WSP support takes an agency live.")
    with transaction.atomic():
        locked = AgencyOnboarding.objects.select_for_update().get(pk=onboarding.pk)
        reasons = go_live_blockers(locked)
        if reasons:
            raise OnboardingError("The agency cannot go live yet.", reasons=reasons)
        locked.live_at = timezone.now()
        locked.live_by = actor
        locked.stage = Stage.LIVE
        locked.save(update_fields=["live_at", "live_by", "stage", "updated_at"])
        log_action("onboarding.onboarding.went_live", obj=locked, actor=actor, changes={"stage": ["ready", "live"]})
    return locked
