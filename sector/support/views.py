"""Support pages: thin views that parse, call a service or a selector, and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.exports import export_filters, log_export
from sector.core.pagination import keyset_page
from sector.core.permissions import can, get_in_scope_or_404, organizations_with, require_perm
from sector.core.responses import outcome_redirect, stored_file_response
from sector.orgs.models import Agency, Court

from . import exports, services
from .business_hours import format_duration, load_calendar
from .choices import TRANSITION_LABELS, Status
from .filters import OPEN, RequestFilter
from .forms import NoteForm, ReplyForm, RequestForm, StatusForm, TriageForm
from .models import Attachment, Message, SupportRequest
from .selectors import QUEUE_ORDER, in_queue_order, measure, requests_for
from .selectors import dashboard as dashboard_figures

PAGE_SIZE = 50


def _organisations_of(user) -> list[tuple[str, object]]:
    """The organizations the user may raise a request for: where a role of theirs grants it (the policy)."""
    perm = "support.add_supportrequest"
    agency_ids = organizations_with(user, perm, "agency")  # None (a statewide grant): the user's memberships
    court_ids = organizations_with(user, perm, "court")
    agencies = (
        Agency.objects.filter(memberships__user=user).distinct()
        if agency_ids is None
        else Agency.objects.filter(pk__in=list(agency_ids))
    )
    courts = (
        Court.objects.filter(memberships__user=user).distinct()
        if court_ids is None
        else Court.objects.filter(pk__in=list(court_ids))
    )
    orgs = [(f"agency:{a.ori}", a) for a in agencies.order_by("name")]
    orgs += [(f"court:{c.code}", c) for c in courts.order_by("name")]
    return orgs


@require_GET
def request_list(request):
    """Requesters: their organizations' requests. WSP: the statewide queue with every filter."""
    require_perm(request.user, "support.view_supportrequest")
    agent = services.is_support_agent(request.user)
    statewide = agent or organizations_with(request.user, "support.view_supportrequest", "agency") is None
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = OPEN  # the queue opens on open requests; "Any status" sends an empty status
    filterset = RequestFilter(data, queryset=requests_for(request.user))
    calendar, now = load_calendar(), timezone.now()
    qs = in_queue_order(filterset.qs, now)
    page = keyset_page(qs, order=QUEUE_ORDER, cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    rows = [measure(sr, calendar=calendar, now=now) for sr in page]
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "agent": agent,
        "statewide": statewide,
        "can_raise": request.user.has_perm("support.add_supportrequest"),
        "can_export": request.user.has_perm("support.export_supportrequest"),
        "export_query": _export_query(data),
        "here": request.get_full_path(),
    }
    template = "support/partials/request_rows.html" if request.htmx else "support/request_list.html"
    return render(request, template, context)


def _export_query(params) -> str:
    params = params.copy()
    params.pop("cursor", None)
    params.pop("format", None)
    return params.urlencode()


@require_GET
def request_export(request):
    """The filtered queue as CSV or XLSX (WSP). No conversation, so no internal note, is ever exported."""
    require_perm(request.user, "support.export_supportrequest")
    filterset = RequestFilter(request.GET, queryset=requests_for(request.user))
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        fmt = "csv"
    response, rows = exports.response(filterset.qs.order_by("-created_at", "-id"), fmt=fmt)
    log_export(actor=request.user, what="support.requests", fmt=fmt, rows=rows, filters=export_filters(request.GET))
    return response


@require_http_methods(["GET", "POST"])
def request_create(request):
    require_perm(request.user, "support.add_supportrequest")
    organisations = _organisations_of(request.user)
    if not organisations:
        return render(request, "support/request_form.html", {"form": None})
    if request.method == "POST":
        form = RequestForm(request.POST, request.FILES, organisations=organisations)
        if form.is_valid():
            org = form.organisation_object()
            try:
                sr = services.request_create(
                    actor=request.user,
                    agency=org if isinstance(org, Agency) else None,
                    court=org if isinstance(org, Court) else None,
                    category=form.cleaned_data["category"],
                    priority=form.cleaned_data["priority"],
                    subject=form.cleaned_data["subject"],
                    description=form.cleaned_data["description"],
                    files=form.cleaned_data["attachments"],
                )
            except services.SupportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Request {sr.reference} was sent to WSP support. You will get an email when they answer."
                )
                return redirect(sr)
    else:
        form = RequestForm(organisations=organisations)
    return render(request, "support/request_form.html", {"form": form}, status=400 if form.errors else 200)


def _get_request(request, pk) -> SupportRequest:
    return get_in_scope_or_404(
        request.user,
        SupportRequest.objects.select_related("agency", "court", "category", "priority", "requester", "assignee"),
        "support.view_supportrequest",
        pk=pk,
    )


def _detail_context(request, sr: SupportRequest, **forms) -> dict:
    user = request.user
    agent = can(user, "handle", sr)
    thread = list(
        Message.objects.visible_to(user)
        .filter(request=sr)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")))
    )
    can_reply = sr.accepts_replies() and (agent or can(user, "message", sr))
    context = {
        "sr": sr,
        "row": measure(sr, calendar=load_calendar(), now=timezone.now()),
        "thread": thread,
        "request_attachments": list(sr.attachments.filter(message__isnull=True)),
        "agent": agent,
        "can_reply": can_reply,
        "reply_form": forms.get("reply_form") or (ReplyForm(support_request=sr, agent=agent) if can_reply else None),
    }
    if agent:
        context["note_form"] = forms.get("note_form") or NoteForm()
        context["triage_form"] = forms.get("triage_form") or TriageForm(
            initial={"assignee": sr.assignee_id, "priority": sr.priority_id, "category": sr.category_id}
        )
        context["moves"] = [(s, TRANSITION_LABELS[s]) for s in sr.next_statuses()]
    return context


@require_GET
def request_detail(request, pk):
    return _detail_page(request, _get_request(request, pk))


def _detail_page(request, sr, *, status=200, **forms):
    return render(request, "support/request_detail.html", _detail_context(request, sr, **forms), status=status)


def _fail(request, sr, exc) -> object:
    messages.error(request, str(exc))
    return redirect(sr)


@require_POST
def request_reply(request, pk):
    sr = _get_request(request, pk)
    agent = can(request.user, "handle", sr)
    if not (agent or can(request.user, "message", sr)):
        raise PermissionDenied
    form = ReplyForm(request.POST, request.FILES, support_request=sr, agent=agent)
    if not form.is_valid():
        return _detail_page(request, sr, reply_form=form, status=400)
    return outcome_redirect(
        request,
        sr,
        lambda: services.request_reply(
            support_request=sr,
            actor=request.user,
            body=form.cleaned_data["body"],
            files=form.cleaned_data["attachments"],
            status=form.cleaned_data.get("status") or None,
        ),
        done="Reply sent to the requester." if agent else "Your reply was sent.",
    )


@require_POST
def request_note(request, pk):
    sr = _get_request(request, pk)
    require_perm(request.user, "support.handle_supportrequest")
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sr, note_form=form, status=400)
    return outcome_redirect(
        request,
        sr,
        lambda: services.request_reply(
            support_request=sr, actor=request.user, body=form.cleaned_data["note"], internal=True
        ),
        done="Internal note added (WSP support only).",
    )


@require_POST
def request_triage(request, pk):
    sr = _get_request(request, pk)
    require_perm(request.user, "support.handle_supportrequest")
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, sr, triage_form=form, status=400)
    return outcome_redirect(
        request,
        sr,
        lambda: services.request_triage(support_request=sr, actor=request.user, **form.cleaned_data),
        done="Triage saved.",
    )


@require_POST
def request_status(request, pk):
    sr = _get_request(request, pk)
    require_perm(request.user, "support.handle_supportrequest")
    form = StatusForm(request.POST, support_request=sr)
    if not form.is_valid():
        return _fail(request, sr, "Choose one of the status buttons.")
    status = form.cleaned_data["status"]
    return outcome_redirect(
        request,
        sr,
        lambda: services.request_move(support_request=sr, actor=request.user, status=status),
        done=f"Status is now “{Status(status).label}”.",
    )


@require_POST
def request_assign_me(request, pk):
    """'Assign to me' on a queue row or the request page: one click, back where the agent was."""
    sr = _get_request(request, pk)
    require_perm(request.user, "support.handle_supportrequest")
    try:
        services.request_assign_to_me(support_request=sr, actor=request.user)
    except services.SupportError as exc:
        return _fail(request, sr, exc)
    messages.success(request, f"{sr.reference} is assigned to you.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect(sr)


@require_GET
def attachment_download(request, pk):
    try:
        attachment = Attachment.objects.select_related("message").get(pk=pk)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment.") from None
    _get_request(request, attachment.request_id)
    if (
        attachment.message is not None
        and attachment.message.internal
        and not request.user.has_perm("support.view_internal_note")
    ):
        raise Http404("No such attachment.")
    return stored_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        missing="The file of this attachment is missing; ask WSP support.",
    )


@require_GET
def dashboard(request):
    require_perm(request.user, "support.handle_supportrequest")
    figures = dashboard_figures()
    figures["median_first_response_text"] = format_duration(figures["median_first_response"])
    return render(request, "support/dashboard.html", {"d": figures})
