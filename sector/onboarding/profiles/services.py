"""Every write of a requirement profile version: draft from the current one, edit the draft, publish it.

A published version is history (evaluations copy the figures they used), so only the draft is ever edited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sector.core.audit import log_action

from ..choices import PROFILE_FIGURES
from ..errors import OnboardingError, logs_refusal
from ..models import RequirementProfile

if TYPE_CHECKING:
    from sector.accounts.models import User

PUBLISH_PERM = "onboarding.publish_requirementprofile"
EDITABLE = (
    "name", "effective_from", "compatible_os", *(name for name, _label, _unit in PROFILE_FIGURES),
    "required_equipment", "recommended_equipment", "client_installs", "source",
)  # fmt: skip
COPIED = (*EDITABLE, "doubtful")


def _check(actor: User) -> None:
    if not actor.has_perm(PUBLISH_PERM):
        raise OnboardingError("Only WSP publishes requirement profile versions.")


@logs_refusal("onboarding.profile.draft", "profile")
def profile_draft_create(*, actor: User) -> RequirementProfile:
    """A new draft version, a copy of the profile in force (or the latest published one)."""
    _check(actor)
    with transaction.atomic():
        # Lock every version: two WSP users pressing "new version" at once get one draft, not two.
        versions = list(RequirementProfile.objects.select_for_update().order_by("version"))
        draft = next((p for p in versions if p.is_draft), None)
        if draft is not None:
            raise OnboardingError(f"Version {draft.version} is already being prepared: edit it or publish it.")
        current = RequirementProfile.objects.in_force() or RequirementProfile.objects.published().first()
        if current is None:
            raise OnboardingError("There is no published version to start from.")
        top = RequirementProfile.objects.aggregate(top=Max("version"))["top"] or 0
        draft = RequirementProfile.objects.create(
            **{name: getattr(current, name) for name in COPIED if name != "effective_from"},
            version=top + 1, effective_from=timezone.localdate(), created_by=actor,
        )  # fmt: skip
        log_action("onboarding.profile.drafted", obj=draft, actor=actor, data={"from_version": current.version})
    return draft


def _draft(profile: RequirementProfile) -> RequirementProfile:
    locked = RequirementProfile.objects.select_for_update().get(pk=profile.pk)
    if not locked.is_draft:
        raise OnboardingError(f"Version {locked.version} is published and cannot change: start a new version.")
    return locked


@logs_refusal("onboarding.profile.edit", "profile")
def profile_draft_update(
    *, profile: RequirementProfile, actor: User, values: dict, doubtful: list[str]
) -> RequirementProfile:
    """Save the draft's values and which figures are doubtful; the audit entry has each change before/after."""
    _check(actor)
    with transaction.atomic():
        locked = _draft(profile)
        before = {name: getattr(locked, name) for name in COPIED}
        for name in EDITABLE:
            if name in values:
                value = values[name]
                if isinstance(value, str):  # browsers send textarea lines as CRLF
                    value = "\n".join(line.rstrip() for line in value.strip().splitlines())
                setattr(locked, name, value)
        locked.doubtful = [name for name, _label, _unit in PROFILE_FIGURES if name in set(doubtful)]
        try:
            locked.full_clean(exclude=["version"])
        except ValidationError as exc:
            raise OnboardingError("The version was not saved.", reasons=exc.messages) from None
        changes = {
            name: [before[name], getattr(locked, name)] for name in COPIED if before[name] != getattr(locked, name)
        }
        if changes:
            locked.save()
            log_action("onboarding.profile.edited", obj=locked, actor=actor, changes=changes)
    return locked


@logs_refusal("onboarding.profile.publish", "profile")
def profile_publish(*, profile: RequirementProfile, actor: User) -> RequirementProfile:
    """Publish the draft: surveys submitted from its effective date on are evaluated against it. Evaluations
    already made keep the version they used."""
    _check(actor)
    with transaction.atomic():
        locked = _draft(profile)
        if locked.effective_from < timezone.localdate():
            raise OnboardingError(
                "The effective date is in the past: give today or a later date. Evaluations already made keep "
                "the version they used."
            )
        problems = [w for w in locked.warnings() if "below the minimum" in w]
        if problems:
            raise OnboardingError("The version cannot be published.", reasons=problems)
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.save(update_fields=["published_at", "published_by"])
        log_action(
            "onboarding.profile.published",
            obj=locked,
            actor=actor,
            data={"version": locked.version, "effective_from": locked.effective_from.isoformat()},
        )
    return locked
