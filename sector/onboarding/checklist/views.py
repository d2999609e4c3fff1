"""Onboarding pages. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sector.core.pagination import keyset_page
from sector.core.permissions import authorize, can, get_in_scope_or_404, organizations_with, require_perm
from sector.core.responses import outcome_redirect, stored_file_response
from sector.orgs.models import Agency

from ..choices import Stage, Step
from ..errors import OnboardingError
from ..lasa.forms import ContactInviteForm
from ..models import AgencyOnboarding, CourtNotice, ProsecutorNotice, Survey
from . import selectors, services
from .forms import PipelineFilterForm, StartOnboardingForm, StepCompleteForm

PAGE_SIZE = 50
VIEW_PERM = "onboarding.view_agencyonboarding"


@require_GET
def home(request):
    """Each role's onboarding home: the pipeline for whom the policy lets see every agency's onboarding, else
    the checklist of the first agency where a role of the user lets them see it, else the court notices."""
    user = request.user
    agencies = organizations_with(user, VIEW_PERM, "agency")  # None: every agency (a statewide role)
    if agencies is None:
        return pipeline(request)
    courts = organizations_with(user, "onboarding.view_courtnotice", "court")
    if courts:
        return redirect("onboarding:court_notices")
    require_perm(user, VIEW_PERM)
    agency = Agency.objects.filter(pk__in=list(agencies)).order_by("name", "id").first()
    if agency is None:
        raise PermissionDenied
    return redirect("onboarding:agency", ori=agency.ori)


def pipeline(request):
    form = PipelineFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.pipeline(
        user=request.user,
        stage=filters.get("stage", ""),
        overdue_only=filters.get("overdue", False),
        q=filters.get("q", ""),
    )
    page = keyset_page(qs, order=("agency_name", "id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    counts = selectors.stage_counts(user=request.user)
    context = {
        "form": form,
        "page": page,
        "stages": [(value, label, counts.get(value, 0)) for value, label in Stage.choices],
        "total": sum(counts.values()),
    }
    if request.user.has_perm("onboarding.add_agencyonboarding"):  # the page's offer; the agency is checked on start
        context["start_form"] = StartOnboardingForm(queryset=selectors.agencies_not_started(user=request.user))
    template = "onboarding/partials/pipeline_rows.html" if request.htmx else "onboarding/pipeline.html"
    return render(request, template, context)


def _agency_and_onboarding(request, ori):
    agency = get_in_scope_or_404(request.user, Agency, VIEW_PERM, ori=ori.upper())
    onboarding = AgencyOnboarding.objects.filter(agency=agency).select_related("agency").first()
    return agency, onboarding


@require_GET
def agency(request, ori):
    agency, onboarding = _agency_and_onboarding(request, ori)
    context = {"agency": agency, "onboarding": onboarding, "Step": Step}
    if onboarding is not None:
        steps = selectors.checklist(onboarding)
        rows = []
        for s in steps:
            allowed, _reason = services.can_complete_step(request.user, s)
            rows.append({"s": s, "overdue": s.is_overdue(), "can_complete": allowed})
        blockers = services.go_live_blockers(onboarding, steps)
        context.update(
            rows=rows,
            blockers=blockers,
            done=sum(1 for s in steps if s.is_done),
            total=len(steps),
            complete_form=StepCompleteForm(),
            can_go_live=can(request.user, "go_live", onboarding) and not onboarding.live_at,
            survey_status=Survey.objects.filter(onboarding=onboarding).values_list("status", flat=True).first(),
            court_notices=list(
                CourtNotice.objects.filter(survey__onboarding=onboarding)
                .select_related("court")
                .order_by("court__name")
            ),
            prosecutor_notice=ProsecutorNotice.objects.filter(survey__onboarding=onboarding).first(),
            agreements=list(onboarding.agreements.order_by("-prepared_at", "-id")),
            contact_form=ContactInviteForm() if can(request.user, "invite_contact", onboarding) else None,
        )
    elif can(request.user, "start_onboarding", agency):
        context["can_start"] = True
    return render(request, "onboarding/agency.html", context)


@require_POST
def start(request):
    require_perm(request.user, "onboarding.add_agencyonboarding")
    form = StartOnboardingForm(request.POST, queryset=selectors.agencies_not_started(user=request.user))
    if not form.is_valid():
        for error in form.errors.get("agency", []):
            messages.error(request, error)
        return redirect("onboarding:index")
    agency = form.cleaned_data["agency"]
    try:
        services.onboarding_start(agency=agency, actor=request.user)
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return redirect("onboarding:index")
    messages.success(request, f"Onboarding started for {agency.name}: seven steps are open.")
    return redirect("onboarding:agency", ori=agency.ori)


def _onboarding_or_404(request, ori) -> AgencyOnboarding:
    agency, onboarding = _agency_and_onboarding(request, ori)
    if onboarding is None:
        raise Http404("This agency is not in onboarding.")
    return onboarding


@require_POST
def step_complete(request, ori, number):
    onboarding = _onboarding_or_404(request, ori)
    form = StepCompleteForm(request.POST, request.FILES)
    back = reverse("onboarding:agency", kwargs={"ori": onboarding.agency.ori}) + f"#step-{number}"
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"Step {number} not completed. {label}: {error}" if label else error)
        return redirect(back)
    return outcome_redirect(
        request,
        back,
        lambda: services.step_complete(
            onboarding=onboarding,
            number=number,
            actor=request.user,
            note=form.cleaned_data["note"],
            evidence=form.cleaned_data.get("evidence"),
            evidence_sha256=getattr(form, "evidence_sha256", ""),
        ),
        done=f"Step {number} marked complete.",
        refused=f"Step {number} not completed. ",
    )


@require_GET
def step_evidence(request, ori, number):
    onboarding = _onboarding_or_404(request, ori)
    step = onboarding.steps.filter(step__number=number).first()
    if step is None:
        raise Http404("No evidence was attached to this step.")
    return stored_file_response(
        step.evidence, filename=step.evidence_name, missing="No evidence was attached to this step."
    )


@require_POST
def go_live(request, ori):
    onboarding = _onboarding_or_404(request, ori)
    authorize(request.user, "go_live", onboarding)
    try:
        services.onboarding_go_live(onboarding=onboarding, actor=request.user)
    except OnboardingError as exc:
        messages.error(request, " ".join([str(exc), *exc.reasons]))
        return redirect("onboarding:agency", ori=onboarding.agency.ori)
    messages.success(
        request, f"{onboarding.agency.name} is live. Step {Step.ONGOING_SUPPORT} (ongoing support) is now open."
    )
    return redirect("onboarding:agency", ori=onboarding.agency.ori)


@require_GET
def export(request):
    """The pipeline as a spreadsheet (CSV, or Excel with ?format=xlsx); cells cannot run formulas."""
    import tablib

    from sector.core.exports import export_filters, export_response, log_export

    require_perm(request.user, "orgs.export_agency")
    require_perm(request.user, VIEW_PERM)
    dataset = tablib.Dataset(
        headers=["agency", "ori", "county", "stage", "steps_done", "overdue_steps", "started", "live_since"]
    )
    for o in selectors.pipeline(user=request.user).order_by("agency_name", "id"):
        dataset.append([
            o.agency_name, o.agency.ori, o.agency.county, o.get_stage_display(), o.done_count, o.overdue_count,
            o.started_at.date().isoformat(), o.live_at.date().isoformat() if o.live_at else "",
        ])  # fmt: skip
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    log_export(
        actor=request.user, what="onboarding.pipeline", fmt=fmt, rows=len(dataset), filters=export_filters(request.GET)
    )
    return export_response(dataset, fmt, "onboarding-pipeline")
