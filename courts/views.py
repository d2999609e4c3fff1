"""The clerk's intake screens: the queue, a ticket's detail and PDF, and the actions (POST only)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from citations.models import Ticket, TicketVersion
from sector.core.calendar import upcoming_holidays
from sector.core.pagination import keyset_page
from sector.core.pdf import render_pdf
from sector.core.permissions import require_perm
from sector.orgs.models import Court

from . import services
from .exports import to_csv, to_xlsx
from .forms import (
    AcceptForm,
    ClosureForm,
    CorrectionForm,
    DecisionForm,
    DuplicateForm,
    IntakeFilterForm,
    ReferForm,
    TransferForm,
)
from .models import CourtClosure
from .selectors import QUEUE_ORDER, clerk_dashboard, court_tickets, intake_queue, ticket_warnings

PERM = "citations.process_ticket"


def _filters(request):
    courts = Court.objects.restrict(request.user)
    form = IntakeFilterForm(request.GET or None, courts=courts.only("id", "name", "code"))
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters


@require_GET
def intake(request):
    require_perm(request.user, PERM)
    form, filters = _filters(request)
    size = filters.get("size") or 25
    page = keyset_page(
        intake_queue(user=request.user, filters=filters), order=QUEUE_ORDER, cursor=request.GET.get("cursor"), size=size
    )
    context = {"form": form, "page": page, "query": request.GET.urlencode()}
    if request.htmx:
        return render(request, "courts/partials/queue_rows.html", context)
    context["dash"] = clerk_dashboard(request.user)
    return render(request, "courts/intake.html", context)


@require_GET
def intake_export(request, fmt):
    require_perm(request.user, PERM)
    require_perm(request.user, "citations.export_ticket")
    _form, filters = _filters(request)
    qs = intake_queue(user=request.user, filters=filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(to_csv(qs), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            to_xlsx(qs), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'attachment; filename="intake-{stamp}.{fmt}"'
    return response


def _ticket_for_clerk(request, pk) -> Ticket:
    """Scope first (404 outside the clerk's courts), then the clerk permission (403)."""
    ticket = (
        Ticket.objects.restrict(request.user)
        .select_related("agency", "court", "transferred_from", "duplicate_of", "last_action_by")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404("No ticket matches the given query.")
    require_perm(request.user, PERM)
    if not court_tickets(request.user).filter(pk=ticket.pk).exists():
        raise Http404("No ticket matches the given query.")
    return ticket


def _detail_context(request, ticket):
    versions = list(TicketVersion.objects.filter(ticket=ticket).order_by("-version").defer("raw"))
    applied = next((v for v in versions if v.version == ticket.applied_version), None)
    return {
        "ticket": ticket,
        "applied": applied,
        "versions": versions,
        "violations": services.violations_of(ticket),
        "warnings": ticket_warnings(ticket),
        "actions": ticket.available_actions(),
        "show_licence": request.user.has_perm("citations.view_licence_ticket"),
        "accept_form": AcceptForm(),
        "transfer_form": TransferForm(),
        "duplicate_form": DuplicateForm(),
        "correction_form": CorrectionForm(),
        "refer_form": ReferForm(),
        "decision_form": DecisionForm(),
    }


@require_GET
def ticket_detail(request, pk):
    ticket = _ticket_for_clerk(request, pk)
    return render(request, "courts/ticket_detail.html", _detail_context(request, ticket))


@require_GET
def ticket_pdf(request, pk):
    ticket = _ticket_for_clerk(request, pk)
    context = _detail_context(request, ticket)
    context["generated_at"] = timezone.now()
    pdf = render_pdf("courts/pdf/ticket.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ticket-{ticket.ticket_number}.pdf"'
    return response


FORMS = {
    "accept": AcceptForm,
    "transfer": TransferForm,
    "duplicate": DuplicateForm,
    "request_correction": CorrectionForm,
    "refer": ReferForm,
    "decide": DecisionForm,
    "confirm_void": None,
    "apply_amendment": None,
}


@require_POST
def ticket_action(request, pk, action):
    if action not in FORMS:
        raise Http404("Unknown action.")
    ticket = _ticket_for_clerk(request, pk)
    form_class = FORMS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        errors = "; ".join(
            f"{form.fields[f].label or f}: {' '.join(e)}" if f in form.fields else " ".join(e)
            for f, e in form.errors.items()
        )
        messages.error(request, f"Not done. {errors}")
        return redirect("courts:ticket_detail", pk=ticket.pk)
    data = form.cleaned_data if form else {}
    try:
        expected = int(request.POST.get("revision", ""))
    except ValueError:
        expected = None
    user = request.user
    try:
        if action == "accept":
            t = services.ticket_accept(
                ticket=ticket, actor=user, case_number=data["case_number"], expected_revision=expected
            )
            messages.success(request, f"Ticket {t.ticket_number} filed as case {t.case_number}.")
        elif action == "transfer":
            t = services.ticket_transfer(
                ticket=ticket, actor=user, court=data["court"], note=data["note"], expected_revision=expected
            )
            messages.success(request, f"Ticket {t.ticket_number} transferred to {t.court}.")
            return redirect("courts:intake")
        elif action == "duplicate":
            original = (
                court_tickets(user)
                .filter(ticket_number=data["original"].strip().upper(), agency_id=ticket.agency_id)
                .exclude(pk=ticket.pk)
                .first()
            )
            if original is None:
                messages.error(request, "No ticket with that number from the same agency at your courts.")
                return redirect("courts:ticket_detail", pk=ticket.pk)
            services.ticket_mark_duplicate(ticket=ticket, actor=user, original=original, expected_revision=expected)
            messages.success(request, f"Closed as a duplicate of {original.ticket_number}.")
        elif action == "request_correction":
            services.ticket_request_correction(
                ticket=ticket, actor=user, reason=data["reason"], note=data["note"], expected_revision=expected
            )
            messages.success(request, "Correction requested; the agency has been told.")
        elif action == "refer":
            services.ticket_refer(ticket=ticket, actor=user, question=data["question"], expected_revision=expected)
            messages.success(request, "Referred to a judge.")
        elif action == "decide":
            services.ticket_record_decision(
                ticket=ticket, actor=user, decision=data["decision"], note=data["note"], expected_revision=expected
            )
            messages.success(request, "Decision recorded.")
        elif action == "confirm_void":
            services.ticket_confirm_void(ticket=ticket, actor=user, expected_revision=expected)
            messages.success(request, "Void confirmed. The ticket stays on record.")
        elif action == "apply_amendment":
            services.ticket_apply_amendment(ticket=ticket, actor=user, expected_revision=expected)
            messages.success(request, "Amendment applied.")
    except services.TicketActionError as exc:
        messages.error(request, str(exc))
    return redirect("courts:ticket_detail", pk=ticket.pk)


@require_POST
def bulk_accept(request):
    require_perm(request.user, PERM)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:200]
    tickets = list(court_tickets(request.user).filter(pk__in=ids))
    if not tickets:
        messages.warning(request, "Select the tickets to accept first.")
        return redirect("courts:intake")
    done, problems = services.tickets_bulk_accept(tickets=tickets, actor=request.user)
    if done:
        messages.success(request, f"Accepted {len(done)} ticket{'s' if len(done) != 1 else ''}.")
    for problem in problems[:10]:
        messages.warning(request, problem)
    return redirect("courts:intake")


@require_http_methods(["GET", "POST"])
def calendar(request):
    """Closures for the user's courts (and statewide ones); clerks add their court's, AOC any court's or all."""
    require_perm(request.user, "courts.view_courtclosure")
    courts = Court.objects.restrict(request.user).only("id", "name", "code")
    statewide = request.user.is_superuser or "aoc_coordinator" in request.user.role_names
    form = ClosureForm(request.POST or None, courts=courts, statewide=statewide)
    if request.method == "POST":
        require_perm(request.user, "courts.add_courtclosure")
        if form.is_valid():
            try:
                services.closure_add(
                    actor=request.user,
                    court=form.cleaned_data["court"],
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                )
            except services.TicketActionError as exc:
                form.add_error("date", str(exc))
            else:
                messages.success(
                    request,
                    "Closure added. Filing dates of tickets already received stay as they were; response "
                    "deadlines and appearance checks of open tickets now count it.",
                )
                return redirect("courts:calendar")
    today = timezone.localdate()
    closures = list(
        CourtClosure.objects.filter(Q(court__in=courts) | Q(court__isnull=True), date__gte=today - timedelta(days=31))
        .select_related("court")
        .order_by("date", "id")[:300]
    )
    holidays = [(d, name) for d, name in upcoming_holidays(today)]
    return render(request, "courts/calendar.html", {"form": form, "closures": closures, "holidays": holidays})


@require_POST
def closure_delete(request, pk):
    closure = CourtClosure.objects.select_related("court").filter(pk=pk).first()
    courts = Court.objects.restrict(request.user)
    if closure is None or (closure.court_id and not courts.filter(pk=closure.court_id).exists()):
        raise Http404("No closure matches the given query.")
    require_perm(request.user, "courts.delete_courtclosure")
    if closure.court_id is None and not (request.user.is_superuser or "aoc_coordinator" in request.user.role_names):
        raise PermissionDenied
    services.closure_remove(actor=request.user, closure=closure)
    messages.success(request, "Closure removed.")
    return redirect("courts:calendar")
