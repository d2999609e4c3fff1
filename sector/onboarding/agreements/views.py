"""Agreement pages: prepare (WSP), sign or upload (agency), countersign (WSP), PDFs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sector.core.confirm import confirmation_required
from sector.core.permissions import authorize, can, get_in_scope_or_404
from sector.core.responses import outcome_redirect, stored_file_response
from sector.orgs.models import Agency

from ..errors import OnboardingError
from ..models import AgencyOnboarding, Agreement
from . import services as svc
from .forms import PrepareAgreementForm, SignAgreementForm, UploadSignedAgreementForm

VIEW = "onboarding.view_agreement"


def _onboarding(request, ori) -> AgencyOnboarding:
    agency = get_in_scope_or_404(request.user, Agency, VIEW, ori=ori.upper())
    onboarding = AgencyOnboarding.objects.filter(agency=agency).select_related("agency").first()
    if onboarding is None:
        raise Http404("This agency is not in onboarding.")
    return onboarding


def _agreement(request, pk) -> Agreement:
    return get_in_scope_or_404(request.user, Agreement.objects.select_related("onboarding__agency"), VIEW, pk=pk)


@require_GET
def agreements(request, ori):
    onboarding = _onboarding(request, ori)
    context = {
        "agency": onboarding.agency,
        "agreements": list(onboarding.agreements.order_by("-prepared_at", "-id")),
    }
    if can(request.user, "prepare_agreement", onboarding):
        context["prepare_form"] = PrepareAgreementForm(templates=svc.latest_templates())
    return render(request, "onboarding/agreements.html", context)


@require_POST
def prepare(request, ori):
    onboarding = _onboarding(request, ori)
    authorize(request.user, "prepare_agreement", onboarding)
    form = PrepareAgreementForm(request.POST, templates=svc.latest_templates())
    if not form.is_valid():
        messages.error(request, "Choose an agreement from the list.")
        return redirect("onboarding:agreements", ori=onboarding.agency.ori)
    try:
        agreement = svc.agreement_prepare(
            onboarding=onboarding, template=form.cleaned_data["template"], actor=request.user
        )
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return redirect("onboarding:agreements", ori=onboarding.agency.ori)
    messages.success(request, f"{agreement.title} prepared; the agency has been emailed to sign it.")
    return redirect(agreement)


def _detail(request, agreement, *, sign_form=None, upload_form=None, status=200):
    context = {
        "agreement": agreement,
        "agency": agreement.onboarding.agency,
        "paragraphs": [p.strip() for p in agreement.body.split("\n\n") if p.strip()],
        "sign_form": sign_form or SignAgreementForm(),
        "upload_form": upload_form or UploadSignedAgreementForm(),
    }
    return render(request, "onboarding/agreement.html", context, status=status)


@require_GET
def agreement(request, pk):
    return _detail(request, _agreement(request, pk))


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


@require_POST
def sign(request, pk):
    agreement = _agreement(request, pk)
    authorize(request.user, "sign", agreement)
    form = SignAgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not signed: correct the fields marked below.")
        return _detail(request, agreement, sign_form=form, status=400)
    return outcome_redirect(
        request,
        agreement,
        lambda: svc.agreement_sign(
            agreement=agreement,
            actor=request.user,
            name=form.cleaned_data["signatory_name"],
            title=form.cleaned_data["signatory_title"],
            authority=form.cleaned_data["authority"],
            ip=_ip(request),
        ),
        done="Signed for the agency. WSP countersigns next.",
    )


@require_POST
def upload(request, pk):
    agreement = _agreement(request, pk)
    authorize(request.user, "sign", agreement)
    form = UploadSignedAgreementForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "The signed copy was not uploaded: correct the fields marked below.")
        return _detail(request, agreement, upload_form=form, status=400)
    return outcome_redirect(
        request,
        agreement,
        lambda: svc.agreement_upload_signed(
            agreement=agreement,
            actor=request.user,
            upload=form.cleaned_data["signed_copy"],
            sha256=form.sha256,
            resolution_number=form.cleaned_data["resolution_number"],
            resolution_date=form.cleaned_data["resolution_date"],
            name=form.cleaned_data.get("signatory_name", ""),
            title=form.cleaned_data.get("signatory_title", ""),
        ),
        done="Signed copy uploaded. WSP countersigns next.",
    )


@require_POST
def countersign(request, pk):
    agreement = _agreement(request, pk)
    authorize(request.user, "countersign", agreement)
    try:
        consequences = svc.countersign_consequences(agreement=agreement, actor=request.user)
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return redirect(agreement)
    agency = agreement.onboarding.agency
    if (asked := confirmation_required(
        request, title=f"Countersign and execute the agreement with {agency.name}?", consequences=consequences,
        confirm_label="Countersign and execute", cancel_url=agreement.get_absolute_url(), danger=False,
        breadcrumbs=[("Onboarding", reverse("onboarding:index")),
                     (agency.name, reverse("onboarding:agency", args=[agency.ori])),
                     ("Agreements", reverse("onboarding:agreements", args=[agency.ori])),
                     (agreement.title, agreement.get_absolute_url())],
    )) is not None:  # fmt: skip
        return asked
    return outcome_redirect(
        request,
        agreement,
        lambda: svc.agreement_countersign(agreement=agreement, actor=request.user),
        done="Countersigned. The agreement is executed and its PDF stored.",
    )


@require_GET
def agreement_pdf(request, pk):
    """The agreement as it stands: the stored executed PDF once executed, else a copy for review."""
    agreement = _agreement(request, pk)
    name = f"{agreement.kind}-{agreement.onboarding.agency.ori}"
    if agreement.is_executed:
        try:  # checked against the SHA-256 recorded at countersigning on every read
            pdf = svc.executed_pdf_bytes(agreement, actor=request.user)
        except OnboardingError as exc:
            messages.error(request, f"The executed PDF cannot be downloaded. {exc}")
            return redirect(agreement)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}-executed.pdf"'
        response["X-Content-SHA256"] = agreement.executed_sha256
        return response
    response = HttpResponse(svc.review_copy_pdf(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-for-signature.pdf"'
    return response


@require_GET
def signed_copy(request, pk):
    agreement = _agreement(request, pk)
    return stored_file_response(
        agreement.signed_copy,
        filename=f"{agreement.kind}-{agreement.onboarding.agency.ori}-signed-copy.pdf",
        missing="No signed copy was uploaded for this agreement.",
    )
