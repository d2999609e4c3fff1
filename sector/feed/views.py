"""WSP support's feed screens: batches, exceptions (with re-processing) and feed credentials."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.pagination import keyset_page
from sector.core.permissions import get_in_scope_or_404, require_perm

from . import services
from .choices import ExceptionStatus
from .forms import CredentialForm, DismissForm, ExceptionFilterForm, ScopeForm
from .models import Batch, FeedCredential, FeedException
from .selectors import feed_health

PAGE_SIZE = 50


@require_GET
def batch_list(request):
    require_perm(request.user, "feed.view_batch")
    qs = Batch.objects.restrict(request.user).defer("results")
    page = keyset_page(qs, order=("-received_at", "-id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    return render(request, "feed/batch_list.html", {"page": page, "health": feed_health()})


@require_GET
def batch_detail(request, pk):
    batch = get_in_scope_or_404(request.user, Batch, "feed.view_batch", pk=pk)
    return render(request, "feed/batch_detail.html", {"batch": batch})


@require_GET
def exception_list(request):
    require_perm(request.user, "feed.view_feedexception")
    form = ExceptionFilterForm(request.GET or None)
    qs = FeedException.objects.restrict(request.user).select_related("batch").defer("raw", "batch__results")
    status = "open"
    if form.is_valid():
        status = form.cleaned_data["status"] or "open"
        if form.cleaned_data["code"]:
            qs = qs.filter(codes__contains=form.cleaned_data["code"])
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"].strip().upper()
            qs = qs.filter(number__startswith=q) | qs.filter(agency_ori=q)
    if status != "all":
        qs = qs.filter(status=status)
    page = keyset_page(qs, order=("-created_at", "-id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    return render(request, "feed/exception_list.html", {"page": page, "form": form, "status": status})


@require_GET
def exception_detail(request, pk):
    exc = get_in_scope_or_404(
        request.user, FeedException.objects.select_related("batch"), "feed.view_feedexception", pk=pk
    )
    import orjson

    try:
        pretty = orjson.dumps(orjson.loads(exc.raw), option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONDecodeError:
        pretty = exc.raw
    return render(request, "feed/exception_detail.html", {"exc": exc, "pretty": pretty, "dismiss_form": DismissForm()})


@require_POST
def exception_reprocess(request, pk):
    exc = get_in_scope_or_404(request.user, FeedException, "feed.reprocess_feedexception", pk=pk)
    done = services.exception_reprocess(exceptions=[exc], actor=request.user)
    if done["resolved"]:
        messages.success(request, "Re-processed: the record is stored now.")
    elif done["still_rejected"]:
        messages.warning(request, "Still rejected: see the errors below.")
    else:
        messages.info(request, "This exception was already closed.")
    return redirect("feed:exception_detail", pk=exc.pk)


@require_POST
def exception_reprocess_bulk(request):
    require_perm(request.user, "feed.reprocess_feedexception")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:500]
    selected = list(FeedException.objects.restrict(request.user).filter(pk__in=ids, status=ExceptionStatus.OPEN))
    if not selected:
        messages.warning(request, "Select the exceptions to re-process first.")
        return redirect("feed:exception_list")
    done = services.exception_reprocess(exceptions=selected, actor=request.user)
    messages.success(
        request, f"Re-processed {len(selected)}: {done['resolved']} stored, {done['still_rejected']} still rejected."
    )
    return redirect("feed:exception_list")


@require_POST
def exception_dismiss(request, pk):
    exc = get_in_scope_or_404(request.user, FeedException, "feed.reprocess_feedexception", pk=pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the exception is dismissed (a note is required).")
        return redirect("feed:exception_detail", pk=exc.pk)
    services.exception_dismiss(exception=exc, actor=request.user, note=form.cleaned_data["note"])
    messages.success(request, "Dismissed.")
    return redirect("feed:exception_detail", pk=exc.pk)


@require_http_methods(["GET", "POST"])
def credential_list(request):
    require_perm(request.user, "feed.view_feedcredential")
    token = None
    form = CredentialForm(request.POST or None)
    if request.method == "POST":
        require_perm(request.user, "feed.add_feedcredential")
        if form.is_valid():
            credential, token = services.credential_create(
                system=form.cleaned_data["system"],
                record_types=form.cleaned_data["record_types"],
                agencies=form.cleaned_data["agency_list"],
                actor=request.user,
            )
            messages.success(request, f"Token issued for {credential.system}. Copy it now: it is not shown again.")
            form = CredentialForm()
    credentials = list(
        FeedCredential.objects.restrict(request.user)
        .prefetch_related("agencies")
        .order_by("system", "-created_at", "id")[:500]
    )
    labels = dict(services.record_type_choices())
    for c in credentials:
        c.type_labels = [labels.get(t, t) for t in c.record_types]
    response = render(request, "feed/credential_list.html", {"credentials": credentials, "form": form, "token": token})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def credential_detail(request, pk):
    """A credential's scope, which WSP support changes here (audited, before and after)."""
    credential = get_in_scope_or_404(request.user, FeedCredential, "feed.view_feedcredential", pk=pk)
    form = ScopeForm(request.POST or None, initial=ScopeForm.initial_for(credential))
    if request.method == "POST":
        require_perm(request.user, "feed.change_feedcredential")
        if form.is_valid():
            services.credential_scope_change(
                credential=credential,
                record_types=form.cleaned_data["record_types"],
                agencies=form.cleaned_data["agency_list"],
                actor=request.user,
            )
            messages.success(request, f"Scope of {credential.system} ({credential.token_hint}…) saved.")
            return redirect("feed:credential_list")
    labels = dict(services.record_type_choices())
    type_labels = [labels.get(t, t) for t in credential.record_types]
    return render(
        request, "feed/credential_detail.html", {"credential": credential, "form": form, "type_labels": type_labels}
    )


@require_POST
def credential_revoke(request, pk):
    credential = get_in_scope_or_404(request.user, FeedCredential, "feed.change_feedcredential", pk=pk)
    services.credential_revoke(credential=credential, actor=request.user)
    messages.success(request, f"Token {credential.token_hint}… for {credential.system} revoked.")
    return redirect("feed:credential_list")
