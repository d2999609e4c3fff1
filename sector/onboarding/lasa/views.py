"""Pages for the agency contact's invitation, the LASA proposal and decision, and the LASA's user management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sector.accounts.roles import LASA
from sector.accounts.selectors import users_with_role
from sector.core.confirm import confirmation_required
from sector.core.permissions import authorize, can, get_in_scope_or_404
from sector.core.responses import outcome_redirect
from sector.orgs.models import Agency

from ..choices import LASA_MANAGED_ROLES
from ..errors import OnboardingError
from ..models import AgencyOnboarding, LasaProposal
from . import services as svc
from .forms import AgencyUserInviteForm, AgencyUserRoleForm, ContactInviteForm, LasaDecisionForm, LasaProposalForm

User = get_user_model()


def _onboarding(request, ori, perm="onboarding.view_agencyonboarding") -> AgencyOnboarding:
    agency = get_in_scope_or_404(request.user, Agency, perm, ori=ori.upper())
    onboarding = AgencyOnboarding.objects.filter(agency=agency).select_related("agency").first()
    if onboarding is None:
        raise Http404("This agency is not in onboarding.")
    return onboarding


def _agency_users(agency):
    return User.objects.filter(memberships__agency=agency, is_active=True).order_by("last_name", "first_name", "id")


@require_POST
def contact_invite(request, ori):
    onboarding = _onboarding(request, ori)
    authorize(request.user, "invite_contact", onboarding)
    form = ContactInviteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"Contact not invited. {label}: {' '.join(errors)}")
        return redirect(onboarding.get_absolute_url() + "#step-1")
    return outcome_redirect(
        request,
        onboarding.get_absolute_url() + "#step-1",
        lambda: svc.contact_invite(onboarding=onboarding, actor=request.user, **form.cleaned_data),
        done=lambda contact: f"Overview recorded; {contact.email} was invited to fill in the survey.",
        refused="Contact not invited. ",
    )


def _lasa_page(request, onboarding, *, form=None, status=200):
    proposals = list(
        onboarding.lasa_proposals.select_related("primary_user", "backup_user", "proposed_by", "decided_by")
    )
    open_proposal = next((p for p in proposals if p.status == "proposed"), None)
    context = {
        "agency": onboarding.agency,
        "onboarding": onboarding,
        "proposals": proposals,
        "open_proposal": open_proposal,
        "lasas": list(users_with_role(role=LASA, agency=onboarding.agency_id, active_only=False).order_by("last_name")),
    }
    if can(request.user, "propose_lasa", onboarding) and open_proposal is None:
        context["form"] = form or LasaProposalForm(users=_agency_users(onboarding.agency))
    if open_proposal is not None and can(request.user, "decide", open_proposal):
        context["decision_form"] = LasaDecisionForm()
    return render(request, "onboarding/lasa.html", context, status=status)


@require_GET
def lasa(request, ori):
    return _lasa_page(request, _onboarding(request, ori))


@require_POST
def lasa_propose(request, ori):
    onboarding = _onboarding(request, ori)
    authorize(request.user, "propose_lasa", onboarding)
    form = LasaProposalForm(request.POST, users=_agency_users(onboarding.agency))
    if not form.is_valid():
        messages.error(request, "The proposal was not sent: correct the fields marked below.")
        return _lasa_page(request, onboarding, form=form, status=400)
    try:
        svc.lasa_propose(onboarding=onboarding, actor=request.user, **form.cleaned_data)
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return _lasa_page(request, onboarding, form=form, status=400)
    messages.success(request, "LASA proposed. WSP support approves or declines it.")
    return redirect("onboarding:lasa", ori=onboarding.agency.ori)


@require_POST
def lasa_decide(request, pk):
    proposal = get_in_scope_or_404(
        request.user, LasaProposal.objects.select_related("onboarding__agency"), "onboarding.view_lasaproposal", pk=pk
    )
    authorize(request.user, "decide", proposal)
    form = LasaDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or decline.")
        return redirect("onboarding:lasa", ori=proposal.onboarding.agency.ori)
    return outcome_redirect(
        request,
        reverse("onboarding:lasa", kwargs={"ori": proposal.onboarding.agency.ori}),
        lambda: svc.lasa_decide(
            proposal=proposal,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        done="Decision recorded.",
    )


# --- agency users ------------------------------------------------------------------------------------------


def _agency_for_manager(request, ori) -> Agency:
    return get_in_scope_or_404(request.user, Agency, action="manage_users", ori=ori.upper())


@require_GET
def users(request, ori):
    agency = _agency_for_manager(request, ori)
    people = list(svc.managed_users(agency))
    trained = svc.trained_user_ids([u.pk for u in people])
    rows = []
    for u in people:
        roles = sorted(g.name for m in u.memberships.all() for g in m.roles.all() if g.name in LASA_MANAGED_ROLES)
        person = getattr(u, "person", None)
        rows.append(
            {
                "user": u,
                "role": roles[0] if roles else "",
                "trained": u.pk in trained,
                "personnel_number": person.personnel_number if person else "",
            }
        )
    return render(
        request,
        "onboarding/users.html",
        {"agency": agency, "rows": rows, "invite_form": AgencyUserInviteForm(), "roles": LASA_MANAGED_ROLES},
    )


def _run(request, agency, func, success, **kwargs):
    return outcome_redirect(
        request,
        reverse("onboarding:users", kwargs={"ori": agency.ori}),
        lambda: func(agency=agency, actor=request.user, **kwargs),
        done=lambda user: success.format(user=user),
    )


@require_POST
def user_invite(request, ori):
    agency = _agency_for_manager(request, ori)
    form = AgencyUserInviteForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"Not invited. {form.fields[field].label}: {' '.join(errors)}")
        return redirect("onboarding:users", ori=agency.ori)
    return _run(request, agency, svc.agency_user_invite, "Invited {user}.", **form.cleaned_data)


@require_POST
def user_role(request, ori, user_id):
    agency = _agency_for_manager(request, ori)
    form = AgencyUserRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose officer or collision reviewer.")
        return redirect("onboarding:users", ori=agency.ori)
    return _run(request, agency, svc.agency_user_set_role, "Role of {user} changed.", target_id=user_id,
                role=form.cleaned_data["role"])  # fmt: skip


@require_POST
def user_deactivate(request, ori, user_id):
    agency = _agency_for_manager(request, ori)
    try:
        target, consequences = svc.deactivation_consequences(agency=agency, actor=request.user, target_id=user_id)
    except OnboardingError as exc:
        messages.error(request, str(exc))
        return redirect("onboarding:users", ori=agency.ori)
    users_url = reverse("onboarding:users", args=[agency.ori])
    name = target.get_full_name() or target.username
    if (asked := confirmation_required(
        request, title=f"Deactivate {name}'s account?", consequences=consequences,
        confirm_label=f"Deactivate {name}", cancel_url=users_url,
        breadcrumbs=[("Onboarding", reverse("onboarding:index")),
                     (agency.name, reverse("onboarding:agency", args=[agency.ori])), ("Users", users_url)],
    )) is not None:  # fmt: skip
        return asked
    return _run(request, agency, svc.agency_user_deactivate, "{user} deactivated; they stay officer of record.",
                target_id=user_id)  # fmt: skip


@require_POST
def user_activate(request, ori, user_id):
    agency = _agency_for_manager(request, ori)
    return _run(request, agency, svc.agency_user_activate, "{user} activated.", target_id=user_id)
