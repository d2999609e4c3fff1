"""The clerk's intake screens: the queue, a ticket's detail and PDF, and the actions (POST only)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from citations import custody
from citations.models import Ticket, TicketVersion
from sector.core.calendar import upcoming_holidays
from sector.core.confirm import confirmation_required
from sector.core.documents import stored_pdf
from sector.core.exports import export_filters, log_export
from sector.core.pagination import keyset_page
from sector.core.permissions import authorize, can, get_in_scope_or_404, organizations_with, require_perm
from sector.orgs.models import Court

from . import services
from .exports import row_count, to_csv, to_xlsx
from .forms import (
    AcceptForm,
    CaseNumberCorrectionForm,
    ClosureForm,
    CorrectionForm,
    DecisionForm,
    DuplicateForm,
    IntakeFilterForm,
    ReferForm,
    TransferForm,
)
from .models import ClerkPreference, CourtClosure
from .selectors import (
    SORTS,
    clerk_dashboard,
    count_upto,
    court_tickets,
    intake_queue,
    next_in_queue,
    sent_away_tickets,
    ticket_warnings,
    user_court_ids,
)

PERM = "citations.process_ticket"


def _filters(request):
    courts = Court.objects.restrict(request.user)
    form = IntakeFilterForm(request.GET or None, courts=courts.only("id", "name", "code"))
    filters = form.cleaned_data if form.is_valid() else {}
    return form, filters


def _sort_links(request, current: str) -> dict[str, str]:
    """The query string each sortable column header links to (the cursor dropped: a new order starts over);
    received toggles between oldest and newest first."""
    links = {}
    for column, value in (("received", "received"), ("appearance", "appearance"), ("defendant", "defendant")):
        if column == "received" and current == "received":
            value = "-received"
        params = request.GET.copy()
        params.pop("cursor", None)
        params["sort"] = value
        links[column] = params.urlencode()
    return links


@require_GET
def intake(request):
    require_perm(request.user, PERM)
    form, filters = _filters(request)
    size = filters.get("size") or 25
    sort = filters.get("sort") or ""
    queue = intake_queue(user=request.user, filters=filters)
    page = keyset_page(queue, order=SORTS[sort], cursor=request.GET.get("cursor"), size=size)
    total, more = count_upto(queue)
    mine = user_court_ids(request.user)
    for t in page:
        t.sent_away = mine is not None and t.court_id not in mine
    pref = ClerkPreference.objects.filter(user=request.user).only("compact").first()
    context = {
        "form": form,
        "page": page,
        "query": request.GET.urlencode(),
        "total": total,
        "more": more,
        "sort": sort,
        "sort_links": _sort_links(request, sort),
        "compact": bool(pref and pref.compact),
        "searching": bool(filters.get("q")),
        "bulk_ids": [t.pk for t in page if t.can_be_accepted() and not t.sent_away],
    }
    if request.htmx:
        return render(request, "courts/partials/queue_rows.html", context)
    context["dash"] = clerk_dashboard(request.user)
    return render(request, "courts/intake.html", context)


def _back_to_queue(request) -> str:
    """The queue page (with its filters) the form came from, never another site."""
    back = request.POST.get("next", "")
    if back.startswith("/courts/intake/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    return reverse("courts:intake")


@require_POST
def intake_compact(request):
    """Switch the queue between compact and comfortable rows; remembered for this user."""
    require_perm(request.user, PERM)
    services.clerk_preference_set(actor=request.user, compact=request.POST.get("compact") == "1")
    back = _back_to_queue(request)
    return redirect(back)


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
    log_export(
        actor=request.user, what="courts.tickets", fmt=fmt, rows=row_count(qs), filters=export_filters(request.GET)
    )
    return response


_DETAIL_RELATED = ("agency", "court", "transferred_from", "duplicate_of", "last_action_by")


def _ticket_for_clerk(request, pk, *, sent_away_ok: bool = False, related=_DETAIL_RELATED, only=()) -> Ticket:
    """Scope first (404 outside the clerk's courts), then the clerk permission (403). With `sent_away_ok`, a
    ticket the clerk's court transferred away is found too (marked `read_only`: it is the other court's now).
    `only` loads just those fields (the notice's stored copy needs only what its key is made of)."""
    queryset = Ticket.objects.in_scope(request.user).select_related(*related).filter(pk=pk)
    ticket = (queryset.only(*only) if only else queryset).first()
    if ticket is None and sent_away_ok:  # empty unless the user is a clerk of the court it came from
        queryset = sent_away_tickets(request.user).select_related(*related).filter(pk=pk)
        ticket = (queryset.only(*only) if only else queryset).first()
        if ticket is not None:
            ticket.read_only = True
            return ticket
    if ticket is None:
        raise Http404("No ticket matches the given query.")
    authorize(request.user, "process", ticket)
    ticket.read_only = False
    return ticket


def _detail_context(request, ticket, *, accept_form=None, correction_form=None):
    read_only = ticket.read_only
    actions = set() if read_only else ticket.available_actions()
    expected = ""
    if not read_only and ("accept" in actions or services.can_correct_case_number(ticket)):
        number_form, calendar = services.case_number_form(ticket.court)
        expected = number_form.expected(example_seq=calendar.next_case_seq, when=timezone.localtime())
    versions = list(TicketVersion.objects.filter(ticket=ticket).order_by("-version").defer("raw"))
    applied = next((v for v in versions if v.version == ticket.applied_version), None)
    return {
        "ticket": ticket,
        "applied": applied,
        "versions": versions,
        "violations": services.violations_of(ticket),
        "warnings": ticket_warnings(ticket),
        "actions": actions,
        "read_only": read_only,
        "can_correct_case_number": not read_only and services.can_correct_case_number(ticket),
        "next_ticket": None if read_only else next_in_queue(user=request.user, ticket=ticket),
        "show_licence": can(request.user, "view_licence", ticket),
        "accept_form": accept_form or AcceptForm(expected_form=expected),
        "case_number_form": correction_form or CaseNumberCorrectionForm(),
        "expected_case_number": expected,
        "transfer_form": TransferForm(ticket=ticket) if "transfer" in actions else None,
        "duplicate_form": DuplicateForm(),
        "correction_form": CorrectionForm(),
        "refer_form": ReferForm(),
        "decision_form": DecisionForm(),
    }


@require_GET
def ticket_detail(request, pk):
    ticket = _ticket_for_clerk(request, pk, sent_away_ok=True)
    context = _detail_context(request, ticket)
    context["custody"] = custody.chain_for(ticket, context["versions"])  # issue 16: one query
    return render(request, "courts/ticket_detail.html", context)


# What the notice's stored copy is keyed by (and the permission checks read): the serving path loads only these.
_NOTICE_KEY_FIELDS = ("ticket_number", "agency", "court", "transferred_from", "applied_version", "status",
                      "revision", "updated_at", *services.DATE_FIELDS,
                      "agency__updated_at", "court__updated_at")  # fmt: skip


def _notice_context(ticket_id, *, show_licence: bool) -> dict:
    """What the notice prints: the ticket, its applied version and violations (not the detail page's forms)."""
    ticket = Ticket.objects.select_related("agency", "court").get(pk=ticket_id)
    applied = TicketVersion.objects.filter(ticket=ticket, version=ticket.applied_version).defer("raw").first()
    return {
        "ticket": ticket,
        "applied": applied,
        "violations": services.violations_of(ticket),
        "show_licence": show_licence,
        "generated_at": timezone.now(),
    }


@require_GET
def ticket_pdf(request, pk):
    """The notice, after the same checks as the ticket page; rendered once per ticket revision (a new version,
    status or clerk action is a new one) and whole/masked license number, then served from storage."""
    ticket = _ticket_for_clerk(request, pk, sent_away_ok=True, related=("agency", "court"), only=_NOTICE_KEY_FIELDS)
    show_licence = can(request.user, "view_licence", ticket)
    # The calendar's recomputation (services.DATE_FIELDS, a bulk update) does not touch updated_at: its fields
    # are part of the version too.
    version = (ticket.applied_version, ticket.status, ticket.revision, ticket.updated_at, ticket.court.updated_at,
               ticket.agency.updated_at, *(getattr(ticket, f) for f in services.DATE_FIELDS))  # fmt: skip
    pdf = stored_pdf(
        "courts/pdf/ticket.html",
        record=ticket,
        version=version,
        variant="licence" if show_licence else "masked",
        context=lambda: _notice_context(ticket.pk, show_licence=show_licence),
    )
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
    if form_class is TransferForm:
        form = TransferForm(request.POST, ticket=ticket)
    else:
        form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid() and action == "accept" and request.htmx:
        return _accept_form_again(request, ticket, form)
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
    detail_url = reverse("courts:ticket_detail", kwargs={"pk": ticket.pk})
    try:
        if action == "accept":
            try:
                t = services.ticket_accept(
                    ticket=ticket, actor=user, case_number=data["case_number"], expected_revision=expected
                )
            except services.CaseNumberError as exc:
                form.add_error("case_number", str(exc))
                if request.htmx:
                    return _accept_form_again(request, ticket, form)
                return render(request, "courts/ticket_detail.html", _detail_context(request, ticket, accept_form=form))
            if request.htmx:
                return _accept_done(request, t)
            messages.success(request, f"Ticket {t.ticket_number} filed as case {t.case_number}.")
            return _to_next(request, t)
        elif action == "transfer":
            if (r := _confirm_transfer(request, ticket, data["court"], detail_url)) is not None:
                return r
            t = services.ticket_transfer(
                ticket=ticket, actor=user, court=data["court"], note=data["note"], expected_revision=expected
            )
            messages.success(request, f"Ticket {t.ticket_number} transferred to {t.court}.")
            return _to_next(request, t)
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
            if (r := _confirm_duplicate(request, ticket, original, detail_url)) is not None:
                return r
            t = services.ticket_mark_duplicate(ticket=ticket, actor=user, original=original, expected_revision=expected)
            messages.success(request, f"Closed as a duplicate of {original.ticket_number}.")
            return _to_next(request, t)
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
        if request.htmx and action == "accept":
            form.add_error(None, str(exc))
            return _accept_form_again(request, ticket, form)
        messages.error(request, str(exc))
    return redirect("courts:ticket_detail", pk=ticket.pk)


# --- accept without a page reload (issue 16): htmx posts the accept form; these answer it -----------------


def _accept_done(request, ticket):
    """The actions card replaced by the outcome (case number, next ticket), the status badge swapped too."""
    context = {"ticket": ticket, "next_ticket": next_in_queue(user=request.user, ticket=ticket)}
    return render(request, "courts/partials/accept_done.html", context)


def _accept_form_again(request, ticket, form):
    """The accept form with its errors, in place of the accept form only (nothing was filed)."""
    context = {"ticket": ticket, "accept_form": form}
    return reswap(retarget(render(request, "courts/partials/accept_form.html", context), "#accept-region"), "innerHTML")


def _to_next(request, ticket):
    """After an action, the next record in queue order (or the queue, when nothing else waits)."""
    following = next_in_queue(user=request.user, ticket=ticket)
    if following is None:
        messages.info(request, "No other ticket waits in the queue.")
        return redirect("courts:intake")
    return redirect("courts:ticket_detail", pk=following.pk)


def _confirm_transfer(request, ticket, court, cancel_url):
    return confirmation_required(
        request,
        title=f"Transfer ticket {ticket.ticket_number} to {court.name}?",
        consequences=[
            f"The ticket leaves {ticket.court.name} and waits in {court.name}'s intake queue.",
            f"Only {court.name} can act on it afterwards; your court keeps a read-only view that says where it went.",
        ],
        confirm_label=f"Transfer to {court.name}",
        cancel_url=cancel_url,
        breadcrumbs=[("Intake queue", reverse("courts:intake")), (f"Ticket {ticket.ticket_number}", cancel_url)],
    )


def _confirm_duplicate(request, ticket, original, cancel_url):
    return confirmation_required(
        request,
        title=f"Close ticket {ticket.ticket_number} as a duplicate?",
        consequences=[
            f"This copy is closed as a duplicate transmission of ticket {original.ticket_number} "
            f"({original.get_status_display().lower()}), which is kept as it is.",
            "A closed copy cannot be reopened from the portal.",
        ],
        confirm_label="Close as a duplicate",
        cancel_url=cancel_url,
        breadcrumbs=[("Intake queue", reverse("courts:intake")), (f"Ticket {ticket.ticket_number}", cancel_url)],
    )


@require_POST
def case_number_correct(request, pk):
    """Correct a filed ticket's case number, with a reason (audit-logged with the number before and after)."""
    ticket = _ticket_for_clerk(request, pk)
    form = CaseNumberCorrectionForm(request.POST)
    if form.is_valid():
        try:
            expected = int(request.POST.get("revision", ""))
        except ValueError:
            expected = None
        before = ticket.case_number
        try:
            t = services.ticket_correct_case_number(
                ticket=ticket,
                actor=request.user,
                case_number=form.cleaned_data["case_number"],
                reason=form.cleaned_data["reason"],
                expected_revision=expected,
            )
        except services.TicketActionError as exc:
            form.add_error("case_number", str(exc))
        else:
            messages.success(request, f"Case number corrected from {before} to {t.case_number}.")
            return redirect("courts:ticket_detail", pk=t.pk)
    context = _detail_context(request, ticket, correction_form=form)
    return render(request, "courts/ticket_detail.html", context)


@require_POST
def bulk_accept(request):
    """Accept the selected tickets (or every eligible one on the page) with generated case numbers, after a
    confirmation that lists the numbers each will get."""
    require_perm(request.user, PERM)
    field = "page_ids" if request.POST.get("all_on_page") == "1" else "ids"
    ids = [int(i) for i in request.POST.getlist(field) if i.isdigit()][:200]
    tickets = list(court_tickets(request.user).filter(pk__in=ids).select_related("court"))
    tickets = [t for t in tickets if t.can_be_accepted()]
    if not tickets:
        messages.warning(request, "Select the tickets to accept first.")
        return redirect("courts:intake")
    back = _back_to_queue(request)
    preview = services.preview_case_numbers(tickets)
    n = len(tickets)
    confirm = confirmation_required(
        request,
        title=f"Accept {n} ticket{'s' if n != 1 else ''}?",
        consequences=[
            "Each ticket is filed at its court with the next case number from the court's pattern, as listed below.",
            "If another clerk files a ticket meanwhile, the numbers move up; the numbers given are shown afterwards.",
            "Filing cannot be undone from the portal (a case number can be corrected afterwards).",
        ],
        items=[f"Ticket {t.ticket_number} ({t.court.code}) → case {number}" for t, number in preview],
        confirm_label=f"Accept {n} ticket{'s' if n != 1 else ''}",
        cancel_url=back,
        danger=False,
        breadcrumbs=[("Intake queue", reverse("courts:intake"))],
    )
    if confirm is not None:
        return confirm
    done, problems = services.tickets_bulk_accept(tickets=tickets, actor=request.user)
    if done:
        given = ", ".join(f"{t.ticket_number} → {t.case_number}" for t in done[:50])
        more = f" and {len(done) - 50} more" if len(done) > 50 else ""
        messages.success(request, f"Accepted {len(done)} ticket{'s' if len(done) != 1 else ''}: {given}{more}.")
    for problem in problems[:10]:
        messages.warning(request, problem)
    return redirect(back)


@require_http_methods(["GET", "POST"])
def calendar(request):
    """Closures for the user's courts (and statewide ones); clerks add their court's, AOC any court's or all."""
    require_perm(request.user, "courts.view_courtclosure")
    # The courts the user may add closures for; None: a statewide role adds them for any court or for all.
    ids = organizations_with(request.user, "courts.add_courtclosure", "court")
    courts = Court.objects.restrict(request.user).only("id", "name", "code")
    if ids is not None:
        courts = courts.filter(pk__in=ids)
    form = ClosureForm(request.POST or None, courts=courts, statewide=ids is None)
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
        CourtClosure.objects.restrict(request.user)
        .filter(date__gte=today - timedelta(days=31))
        .select_related("court")
        .order_by("date", "id")[:300]
    )
    holidays = [(d, name) for d, name in upcoming_holidays(today)]
    return render(request, "courts/calendar.html", {"form": form, "closures": closures, "holidays": holidays})


@require_POST
def closure_delete(request, pk):
    closure = get_in_scope_or_404(request.user, CourtClosure.objects.select_related("court"), action="delete", pk=pk)
    services.closure_remove(actor=request.user, closure=closure)
    messages.success(request, "Closure removed.")
    return redirect("courts:calendar")
