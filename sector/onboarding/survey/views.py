"""Survey pages: the draft, its inventory, the spreadsheet import with preview, submit, the evaluation."""

from __future__ import annotations

import base64
import secrets

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.confirm import confirmation_required
from sector.core.documents import stored_pdf
from sector.core.errors import DomainError
from sector.core.permissions import authorize, get_in_scope_or_404
from sector.core.spreadsheets import check_size
from sector.orgs.models import Agency

from ..errors import OnboardingError
from ..models import AgencyOnboarding, Evaluation, Survey
from . import services as svc
from .evaluation import figure_rows
from .forms import InventoryImportForm, InventoryLineForm, SurveyForm

SESSION_KEY = "onboarding_inventory_import"


def _survey(request, ori, *, write: bool = False) -> Survey:
    """The agency's survey: 404 outside the user's scope; for a write, 403 unless the role edits surveys."""
    agency = get_in_scope_or_404(request.user, Agency, "onboarding.view_survey", ori=ori.upper())
    onboarding = AgencyOnboarding.objects.filter(agency=agency).select_related("agency").first()
    if onboarding is None:
        raise Http404("This agency is not in onboarding.")
    survey = svc.survey_for(onboarding)
    if write:
        authorize(request.user, "change", survey)
    return survey


def _back(survey: Survey, anchor: str = "") -> str:
    return reverse("onboarding:survey", kwargs={"ori": survey.onboarding.agency.ori}) + anchor


def _page(request, survey, *, form=None, line_form=None, import_form=None, status=200):
    can_edit = not svc.edit_refusal(request.user, survey)
    lines = list(survey.lines.order_by("id"))
    context = {
        "survey": survey,
        "agency": survey.onboarding.agency,
        "lines": lines,
        "can_edit": can_edit,
        "evaluation": survey.evaluations.order_by("-created_at", "-id").first(),
        "courts": list(survey.courts.order_by("name")),
    }
    if can_edit:
        context.update(
            form=form or SurveyForm(instance=survey),
            line_form=line_form or InventoryLineForm(),
            import_form=import_form or InventoryImportForm(),
            missing=svc.missing_for_submit(survey),
        )
    return render(request, "onboarding/survey.html", context, status=status)


@require_http_methods(["GET", "POST"])
def survey(request, ori):
    survey = _survey(request, ori)
    if request.method == "GET":
        return _page(request, survey)
    authorize(request.user, "change", survey)
    form = SurveyForm(request.POST, instance=Survey.objects.get(pk=survey.pk))
    if not form.is_valid():
        messages.error(request, "The draft was not saved: correct the fields marked below.")
        return _page(request, survey, form=form, status=400)
    data = {name: form.cleaned_data.get(name) for name in svc.SURVEY_FIELDS}
    try:
        svc.survey_save(
            survey=survey,
            actor=request.user,
            data=data,
            courts=list(form.cleaned_data["courts"]),
            it_confirmed=form.cleaned_data.get("it_confirm", False),
        )
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return redirect(_back(survey))
    messages.success(request, "Draft saved. You can come back to it at any time before submitting.")
    return redirect(_back(survey))


@require_POST
def line_add(request, ori):
    survey = _survey(request, ori, write=True)
    form = InventoryLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The computer was not added: correct the fields marked below.")
        return _page(request, survey, line_form=form, status=400)
    try:
        svc.inventory_line_add(survey=survey, actor=request.user, fields=form.cleaned_data)
    except OnboardingError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, "The computer was not added. " + " ".join(svc.validation_messages(exc)))
    else:
        messages.success(request, f"Added {form.cleaned_data['model']} to the inventory.")
    return redirect(_back(survey, "#inventory"))


@require_POST
def line_remove(request, ori, line_id):
    survey = _survey(request, ori, write=True)
    try:
        svc.inventory_line_remove(survey=survey, actor=request.user, line_id=line_id)
    except OnboardingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Computer removed from the inventory.")
    return redirect(_back(survey, "#inventory"))


@require_POST
def import_preview(request, ori):
    survey = _survey(request, ori, write=True)
    form = InventoryImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV or XLSX file to import.")
        return _page(request, survey, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        check_size(upload.size, svc.MAX_IMPORT_BYTES)
        data = upload.read()
        dataset = svc.read_inventory_file(data, upload.name)
        preview = svc.inventory_import_preview(survey=survey, actor=request.user, dataset=dataset)
    except DomainError as exc:  # the import file refused, or the survey no longer editable
        messages.error(request, f"Nothing was imported. {exc}")
        return redirect(_back(survey, "#import"))
    token = secrets.token_urlsafe(16)
    if preview.ok:
        request.session[SESSION_KEY] = {
            "token": token,
            "survey": survey.pk,
            "name": upload.name[:200],
            "data": base64.b64encode(data).decode(),
        }
    else:
        request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "onboarding/import_preview.html",
        {
            "survey": survey,
            "agency": survey.onboarding.agency,
            "preview": preview,
            "rows": [(number, row, preview.errors.get(number, [])) for number, row in enumerate(preview.rows, start=2)],
            "headers": list(preview.rows[0].keys()) if preview.rows else [],
            "token": token,
            "filename": upload.name,
        },
        status=200 if preview.ok else 400,
    )


@require_POST
def import_confirm(request, ori):
    survey = _survey(request, ori, write=True)
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token") or pending.get("survey") != survey.pk:
        messages.error(request, "That import preview has expired or was already used. Upload the file again.")
        return redirect(_back(survey, "#import"))
    request.session.pop(SESSION_KEY, None)
    try:
        dataset = svc.read_inventory_file(base64.b64decode(pending["data"]), pending["name"])
        count = svc.inventory_import(survey=survey, actor=request.user, dataset=dataset)
    except DomainError as exc:  # the import file refused, or the survey no longer editable
        messages.error(request, str(exc))
        return redirect(_back(survey, "#import"))
    messages.success(request, f"Imported {count} computer(s) from {pending['name']}.")
    return redirect(_back(survey, "#inventory"))


@require_POST
def submit(request, ori):
    survey = _survey(request, ori, write=True)
    try:
        consequences = svc.submit_consequences(survey=survey, actor=request.user)
    except OnboardingError as exc:
        messages.error(request, " ".join([str(exc), *exc.reasons]))
        return redirect(_back(survey, "#submit"))
    agency = survey.onboarding.agency
    if (asked := confirmation_required(
        request, title=f"Submit the Technical Assessment Survey of {agency.name}?", consequences=consequences,
        confirm_label="Submit the survey and notify the courts", cancel_url=_back(survey, "#submit"), danger=False,
        breadcrumbs=[("Onboarding", reverse("onboarding:index")),
                     (agency.name, reverse("onboarding:agency", args=[agency.ori])), ("Survey", _back(survey))],
    )) is not None:  # fmt: skip
        return asked
    try:
        evaluation = svc.survey_submit(survey=survey, actor=request.user)
    except OnboardingError as exc:
        messages.error(request, " ".join([str(exc), *exc.reasons]))
        return redirect(_back(survey, "#submit"))
    messages.success(
        request,
        f"Survey submitted. The inventory was evaluated against requirement profile v{evaluation.profile_version}.",
    )
    return redirect("onboarding:evaluation", ori=survey.onboarding.agency.ori)


def _evaluation(request, ori, *, defer=()) -> Evaluation:
    agency = get_in_scope_or_404(request.user, Agency, "onboarding.view_evaluation", ori=ori.upper())
    evaluation = (
        Evaluation.objects.filter(survey__onboarding__agency=agency)
        .select_related("survey__onboarding__agency")
        .defer(*defer)
        .order_by("-created_at", "-id")
        .first()
    )
    if evaluation is None:
        raise Http404("The survey has not been evaluated yet: it is evaluated when submitted.")
    return evaluation


def _evaluation_context(evaluation: Evaluation) -> dict:
    return {
        "evaluation": evaluation,
        "agency": evaluation.survey.onboarding.agency,
        "survey": evaluation.survey,
        "profile": evaluation.profile_snapshot,
        "figure_rows": figure_rows(evaluation.profile_snapshot),
        "counts": evaluation.counts,
    }


@require_GET
def evaluation(request, ori):
    ev = _evaluation(request, ori)
    return render(request, "onboarding/evaluation.html", _evaluation_context(ev))


@require_GET
def evaluation_pdf(request, ori):
    # The serving path leaves the evaluation's figures (JSON) unread: they are read only to render it.
    ev = _evaluation(request, ori, defer=("lines", "blockers", "profile_snapshot"))
    # An evaluation is written once: its PDF is rendered once (again only if the survey or agency row changes).
    survey = ev.survey
    version = (ev.created_at, survey.submitted_at, survey.updated_at, survey.onboarding.agency.updated_at)

    def context():
        return _evaluation_context(Evaluation.objects.select_related("survey__onboarding__agency").get(pk=ev.pk))

    pdf = stored_pdf("onboarding/pdf/evaluation.html", record=ev, version=version, context=context)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(ev.survey.onboarding.agency.ori)
    response["Content-Disposition"] = f'attachment; filename="survey-evaluation-{name}.pdf"'
    return response
