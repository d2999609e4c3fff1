"""Court readiness (clerks and AOC), notice letters, and the prosecutor's public acknowledgment page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.confirm import confirmation_required
from sector.core.pagination import keyset_page
from sector.core.permissions import authorize, get_in_scope_or_404, require_perm
from sector.core.responses import outcome_redirect, throttled_response
from sector.core.throttle import client_address, throttle_hit

from ..choices import ACK_LINK_DAYS, Readiness
from ..errors import OnboardingError
from ..models import CourtNotice, ProsecutorNotice
from ..tasks import court_letter_pdf
from . import services as svc
from .forms import AcknowledgeForm, ReadinessFilterForm, ReadinessForm

PAGE_SIZE = 50


@require_GET
def court_notices(request):
    """Each clerk's notices for their court(s); every court's for AOC and the statewide roles."""
    require_perm(request.user, "onboarding.view_courtnotice")
    form = ReadinessFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    qs = CourtNotice.objects.restrict(request.user).select_related("court", "survey__onboarding__agency")
    if status == "pending":
        qs = qs.filter(decision=Readiness.PENDING)
    elif status == "decided":
        qs = qs.exclude(decision=Readiness.PENDING)
    page = keyset_page(qs, order=("-created_at", "-id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    return render(request, "onboarding/court_notices.html", {"form": form, "page": page})


def _notice(request, pk) -> CourtNotice:
    queryset = CourtNotice.objects.select_related("court", "survey__onboarding__agency")
    return get_in_scope_or_404(request.user, queryset, "onboarding.view_courtnotice", pk=pk)


@require_GET
def notice(request, pk):
    n = _notice(request, pk)
    allowed = not svc.decide_refusal(request.user, n)
    initial = {"decision": n.decision if n.decision != Readiness.PENDING else None, "accept_from": n.accept_from,
               "reason": n.reason, "decider_name": n.decider_name or request.user.get_full_name(),
               "decider_title": n.decider_title or request.user.title}  # fmt: skip
    return render(request, "onboarding/notice.html", _notice_context(n, ReadinessForm(initial=initial), allowed))


def _notice_context(n: CourtNotice, form, can_decide: bool) -> dict:
    return {
        "notice": n,
        "agency": n.survey.onboarding.agency,
        "can_decide": can_decide,
        "form": form,
        "backdated_warning": svc.backdated_warning(n) if n.accepts_before_notice else "",
    }


@require_POST
def decide(request, pk):
    n = _notice(request, pk)
    authorize(request.user, "decide", n)
    form = ReadinessForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The decision was not recorded: correct the fields marked below.")
        return render(request, "onboarding/notice.html", _notice_context(n, form, True), status=400)

    def recorded(decided) -> str:
        if decided.accepts_before_notice:
            messages.warning(request, svc.backdated_warning(decided))
        return f"Readiness of {n.court.name} recorded."

    return outcome_redirect(
        request,
        reverse("onboarding:notice", kwargs={"pk": n.pk}),
        lambda: svc.court_readiness_decide(
            notice=n,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            accept_from=form.cleaned_data.get("accept_from"),
            reason=form.cleaned_data.get("reason", ""),
            decider_name=form.cleaned_data["decider_name"],
            decider_title=form.cleaned_data["decider_title"],
        ),
        done=recorded,
    )


@require_GET
def notice_letter(request, pk):
    n = _notice(request, pk)
    response = HttpResponse(court_letter_pdf(n), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="sector-notice-{n.survey.onboarding.agency.ori}-{n.court.code}.pdf"'
    )
    return response


def _client_ip(request) -> str | None:
    return client_address(request)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def acknowledge(request, token):
    """The prosecutor's page: no account; the signed link is the credential, and it works once. Limited per
    client address (`ack.address`): past it, 429 with Retry-After and nothing logged."""
    verdict = throttle_hit(scope="ack.address", value=client_address(request))
    if not verdict.allowed:
        return throttled_response(request, verdict, what="acknowledgment attempts")
    try:
        notice = svc.ack_notice_for(token)
    except svc.AckLinkError as exc:
        if request.method == "POST":
            svc.log_ack_refused(exc, _client_ip(request))
        return render(
            request,
            "onboarding/acknowledge.html",
            {"error": exc.kind, "message": str(exc)},
            status=410 if exc.kind == "expired" else 400,
        )
    context = {"notice": notice, "agency": notice.survey.onboarding.agency, "expires_on": svc.ack_expires_on(notice),
               "courts": list(notice.survey.courts.order_by("name")), "form": AcknowledgeForm()}  # fmt: skip
    if request.method == "GET":
        return render(request, "onboarding/acknowledge.html", context)
    form = AcknowledgeForm(request.POST)
    name = form.cleaned_data.get("name", "") if form.is_valid() else ""
    try:
        notice = svc.prosecutor_acknowledge(token=token, ip=_client_ip(request), name=name)
    except svc.AckLinkError as exc:
        context.update(error=exc.kind, message=str(exc))
        return render(request, "onboarding/acknowledge.html", context, status=409 if exc.kind == "used" else 400)
    context.update(notice=notice, just_acknowledged=True)
    return render(request, "onboarding/acknowledge.html", context)


@require_POST
def prosecutor_link_renew(request, pk):
    """Send the prosecutor a new acknowledgment link once theirs has expired (after a confirmation)."""
    notice = get_in_scope_or_404(
        request.user,
        ProsecutorNotice.objects.select_related("survey__onboarding__agency"),
        "onboarding.view_prosecutornotice",
        pk=pk,
    )
    authorize(request.user, "renew_link", notice)
    agency = notice.survey.onboarding.agency
    back = reverse("onboarding:agency", kwargs={"ori": agency.ori})
    confirm = confirmation_required(
        request,
        title=f"Send {notice.name} a new acknowledgment link?",
        consequences=[
            f"{notice.name} ({notice.office}) is emailed the notice again at {notice.email} with a new link, "
            f"valid for {ACK_LINK_DAYS} days.",
            "The old link stays dead: it cannot be used even if it is found later.",
        ],
        confirm_label="Send a new link",
        cancel_url=back,
        danger=False,
        breadcrumbs=[(agency.name, back)],
    )
    if confirm is not None:
        return confirm
    try:
        svc.prosecutor_link_renew(notice=notice, actor=request.user)
    except OnboardingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"A new acknowledgment link was sent to {notice.email}.")
    return redirect(back)
