"""Requirement profile pages (WSP): the versions, a draft with its preview, publishing with confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sector.core.confirm import confirmation_required
from sector.core.permissions import require_perm

from ..errors import OnboardingError
from ..models import RequirementProfile
from ..survey.evaluation import figure_rows
from . import services as svc
from .forms import ProfileForm
from .selectors import profile_preview

BREADCRUMBS = (("Requirement profiles", "/onboarding/profiles/"),)


def _profile(request, version: int) -> RequirementProfile:
    require_perm(request.user, svc.PUBLISH_PERM)
    profile = RequirementProfile.objects.filter(version=version).select_related("published_by").first()
    if profile is None:
        raise Http404("No requirement profile has that version.")
    return profile


def _refused(request, exc: OnboardingError, prefix: str) -> None:
    messages.error(request, " ".join(part for part in (prefix, str(exc), *exc.reasons) if part))


@require_GET
def profiles(request):
    require_perm(request.user, svc.PUBLISH_PERM)
    versions = list(RequirementProfile.objects.select_related("published_by").order_by("-version"))
    current = RequirementProfile.objects.in_force()
    return render(
        request,
        "onboarding/profiles.html",
        {
            "versions": versions,
            "current": current,
            "draft": next((p for p in versions if p.is_draft), None),
            "today": timezone.localdate(),
        },
    )


@require_POST
def profile_new(request):
    require_perm(request.user, svc.PUBLISH_PERM)
    try:
        draft = svc.profile_draft_create(actor=request.user)
    except OnboardingError as exc:
        _refused(request, exc, "No new version was started.")
        return redirect("onboarding:profiles")
    messages.success(request, f"Version {draft.version} started as a copy of the current version. Edit and preview it.")
    return redirect(draft)


def _page(request, profile, *, form=None, status=200):
    snapshot = profile.snapshot()
    context = {
        "profile": profile,
        "current": RequirementProfile.objects.in_force(),
        "snapshot": snapshot,
        "figure_rows": figure_rows(snapshot),
    }
    if profile.is_draft:
        context["form"] = form or ProfileForm(instance=profile)
        context["preview"] = profile_preview(draft=profile)
    return render(request, "onboarding/profile.html", context, status=status)


@require_GET
def profile(request, version):
    return _page(request, _profile(request, version))


@require_POST
def profile_edit(request, version):
    p = _profile(request, version)
    form = ProfileForm(request.POST, instance=RequirementProfile.objects.get(pk=p.pk))
    if not form.is_valid():
        messages.error(request, "The version was not saved: correct the fields marked below.")
        return _page(request, p, form=form, status=400)
    values = {name: form.cleaned_data[name] for name in svc.EDITABLE}
    try:
        p = svc.profile_draft_update(
            profile=p, actor=request.user, values=values, doubtful=form.cleaned_data["doubtful"]
        )
    except OnboardingError as exc:
        _refused(request, exc, "")
        return redirect(p)
    messages.success(request, f"Version {p.version} saved. The preview below uses the saved values.")
    return redirect(reverse("onboarding:profile", kwargs={"version": p.version}) + "#preview")


@require_POST
def profile_publish(request, version):
    p = _profile(request, version)
    if not p.is_draft:
        messages.error(request, f"Version {p.version} is already published.")
        return redirect(p)
    current = RequirementProfile.objects.in_force()
    consequences = [
        f"Version {p.version} (“{p.name}”) becomes the requirement profile from {p.effective_from:%B} "
        f"{p.effective_from.day}, {p.effective_from.year}: every survey submitted from then on is evaluated "
        "against it.",
        "Evaluations already made keep the version they used; the published version can no longer be edited.",
    ]
    if current is not None:
        consequences.insert(1, f"It replaces version {current.version} (“{current.name}”), which stays in the history.")
    doubtful = [f["label"] for f in p.figures() if f["doubtful"]]
    if doubtful:
        consequences.append("Marked doubtful and never applied: " + ", ".join(doubtful) + ".")
    if (r := confirmation_required(
        request, title=f"Publish requirement profile version {p.version}", consequences=consequences,
        confirm_label=f"Publish version {p.version}", cancel_url=p.get_absolute_url(),
        breadcrumbs=[*BREADCRUMBS, (f"Version {p.version}", p.get_absolute_url())],
    )) is not None:  # fmt: skip
        return r
    try:
        svc.profile_publish(profile=p, actor=request.user)
    except OnboardingError as exc:
        _refused(request, exc, "Not published.")
        return redirect(p)
    messages.success(request, f"Version {p.version} published.")
    return redirect("onboarding:profiles")
