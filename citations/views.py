"""The agency side: the agency's tickets and their court status, correction requests, number accountability."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sector.core.pagination import keyset_page
from sector.core.permissions import can, get_in_scope_or_404, organizations_with, require_perm
from sector.core.spreadsheets import ImportFileError, check_size
from sector.orgs.models import Agency

from . import custody
from .choices import BLOCK_FILE_MAX_BYTES, TicketStatus
from .models import NumberBlock, Ticket, TicketVersion, Violation
from .selectors import agency_tickets, block_report, needs_action_count
from .services import NumberBlockError, number_blocks_import, parse_blocks


class TicketFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=40, label="Ticket number or defendant")
    status = forms.ChoiceField(
        choices=[("", "Any court status"), *TicketStatus.choices], required=False, label="Court status"
    )
    needs_action = forms.BooleanField(required=False, label="Needs your action")


@require_GET
def ticket_list(request):
    require_perm(request.user, "citations.view_ticket")
    form = TicketFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = keyset_page(
        agency_tickets(user=request.user, filters=filters),
        order=("-received_at", "-id"),
        cursor=request.GET.get("cursor"),
        size=50,
    )
    return render(
        request,
        "citations/ticket_list.html",
        {"form": form, "page": page, "needs_action": needs_action_count(request.user)},
    )


@require_GET
def ticket_detail(request, pk):
    ticket = get_in_scope_or_404(
        request.user, Ticket.objects.select_related("court", "agency", "transferred_from"), pk=pk
    )
    versions = list(TicketVersion.objects.filter(ticket=ticket).order_by("-version").defer("raw"))
    return render(
        request,
        "citations/ticket_detail.html",
        {
            "ticket": ticket,
            "versions": versions,
            "applied": next((v for v in versions if v.version == ticket.applied_version), None),
            "violations": list(
                Violation.objects.filter(ticket=ticket, version=ticket.applied_version).order_by("position")
            ),
            "show_licence": can(request.user, "view_licence", ticket),
            "custody": custody.chain_for(ticket, versions),
        },
    )


class BlockImportForm(forms.Form):
    agency = forms.ModelChoiceField(queryset=Agency.objects.none())
    file = forms.FileField(help_text="CSV or XLSX: first number, last number, optional note (one block a row).")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


@require_http_methods(["GET", "POST"])
def number_blocks(request):
    require_perm(request.user, "citations.view_numberblock")
    # The agencies whose blocks the user may import: where a role grants it, never an organization where the user
    # holds another role only.
    ids = organizations_with(request.user, "citations.add_numberblock", "agency")
    agencies = Agency.objects.restrict(request.user).only("id", "name", "ori")
    if ids is not None:
        agencies = agencies.filter(pk__in=ids)
    form = BlockImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST":
        require_perm(request.user, "citations.add_numberblock")
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_size(upload.size, BLOCK_FILE_MAX_BYTES)
                rows = parse_blocks(upload.read(), upload.name)
                created = number_blocks_import(agency=form.cleaned_data["agency"], rows=rows, actor=request.user)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            except NumberBlockError as exc:
                form.add_error("agency", str(exc))
            else:
                messages.success(request, f"Imported {created} new block{'s' if created != 1 else ''}.")
                return redirect("citations:number_blocks")
    blocks = list(NumberBlock.objects.restrict(request.user).select_related("agency")[:200])
    reports = [(b, block_report(b)) for b in blocks[:50]]
    return render(request, "citations/number_blocks.html", {"form": form, "reports": reports})
