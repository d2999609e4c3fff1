"""Program office pages: the TraCS migration board and each agency's migration, bulk onboarding from a
spreadsheet, and the overdue-step reminders. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import base64
import re
import secrets

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.confirm import confirmation_required
from sector.core.exports import export_filters, export_response, log_export
from sector.core.formatting import pacific
from sector.core.pagination import keyset_page
from sector.core.permissions import authorize, can, get_in_scope_or_404, organizations_with, require_perm
from sector.core.responses import outcome_redirect
from sector.core.spreadsheets import ImportFileError, check_size
from sector.orgs.choices import ORI_PATTERN, RecordsSystem
from sector.orgs.models import Agency

from . import selectors, services
from .choices import BULK_COLUMNS, BULK_MAX_BYTES, BULK_OPTIONAL
from .forms import BulkUploadForm, MigrationOpenForm, RescheduleForm
from .models import TracsMigration

VIEW = "program.view_tracsmigration"
PAGE_SIZE = 50
BULK_SESSION = "program_bulk_onboarding"
START_PERM = "onboarding.add_agencyonboarding"


def _statewide(user) -> bool:
    return organizations_with(user, VIEW, "agency") is None


def _openable():
    return Agency.objects.filter(active=True, tracs_migration__isnull=True).exclude(records_system=RecordsSystem.TRACS)


@require_GET
def board(request):
    """The statewide board for WASPC, WSP and AOC; an agency's LASA is sent to the agency's own migration."""
    require_perm(request.user, VIEW)
    if not _statewide(request.user):
        mine = TracsMigration.objects.restrict(request.user).select_related("agency").order_by("agency_name").first()
        if mine is not None:
            return redirect(mine)
        return render(request, "program/board_none.html")
    all_rows = selectors.board_rows()
    page = keyset_page(
        selectors.board_queryset(), order=("name", "id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE
    )
    counts = selectors.board_counts(all_rows)
    context = {
        "page": page,
        "rows": [selectors.board_row(a) for a in page],
        "counts": counts,
        "chart": {"labels": [label for _s, label, _n in counts], "counts": [n for _s, _l, n in counts]},
        "deadline": selectors.program_deadline(),
        "days_left": selectors.days_left(),
        "late": [r for r in all_rows if r.after_deadline and r.state != "completed"],
    }
    if request.user.has_perm(services.OPEN_PERM):
        context["open_form"] = MigrationOpenForm(queryset=_openable())
    return render(request, "program/board.html", context)


EXPORT_HEADERS = [
    "ORI", "Agency", "County", "Records system", "State", "Cut-over date", "Days to cut-over",
    "After the program deadline", "TraCS agreement executed", "Officers trained on TraCS", "Active officers",
    "Feed sender switched", "Blockers",
]  # fmt: skip


@require_GET
def board_export(request):
    require_perm(request.user, VIEW)
    if not _statewide(request.user):
        raise PermissionDenied
    dataset = tablib.Dataset(headers=EXPORT_HEADERS)
    for r in selectors.board_rows():
        a, m = r.agency, r.migration
        items = {i.key: i for i in r.items}
        yes_no = {True: "yes", False: "no"}
        dataset.append(
            [
                a.ori, a.name, a.county, a.get_records_system_display(), r.state_label,
                pacific(m.cutover_on) if m else "", "" if r.days_to_cutover is None else r.days_to_cutover,
                yes_no[r.after_deadline] if m else "", yes_no[items["agreement"].done] if m else "",
                a.n_trained, a.n_officers, yes_no[items["sender"].done] if m else "", "; ".join(r.blockers),
            ]
        )  # fmt: skip
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    log_export(
        actor=request.user, what="program.tracs_board", fmt=fmt, rows=len(dataset), filters=export_filters(request.GET)
    )
    return export_response(dataset, fmt, "tracs-migration-board")


@require_POST
def migration_open(request):
    require_perm(request.user, services.OPEN_PERM)
    form = MigrationOpenForm(request.POST, queryset=_openable())
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("program:board")
    agency = form.cleaned_data["agency"]
    try:
        migration = services.migration_open(
            agency=agency,
            cutover_on=form.cleaned_data["cutover_on"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except services.ProgramError as exc:
        messages.error(request, str(exc))
        return redirect("program:board")
    messages.success(request, f"Opened the TraCS migration of {agency.name}; cut-over {pacific(migration.cutover_on)}.")
    return redirect(migration)


def _migration(request, ori) -> TracsMigration:
    ori = str(ori).upper()
    if not re.fullmatch(ORI_PATTERN, ori):
        raise Http404("No agency has that ORI.")
    return get_in_scope_or_404(request.user, TracsMigration.objects.select_related("agency"), VIEW, agency__ori=ori)


@require_GET
def migration(request, ori):
    m = _migration(request, ori)
    items = selectors.migration_checklist(m)
    may_change = can(request.user, "change", m) and m.is_open
    context = {
        "m": m,
        "agency": m.agency,
        "items": items,
        "done": sum(1 for i in items if i.done),
        "cutover": selectors.cutover_of(m),
        "deadline": selectors.program_deadline(),
        "days_left": selectors.days_left(),
        "days_to_cutover": (m.cutover_on - timezone.localdate()).days,
        "trained": selectors.trained_people(m.agency)[:200],
        "may_change": may_change,
        "reschedule_form": RescheduleForm(initial={"cutover_on": m.cutover_on}) if may_change else None,
    }
    return render(request, "program/migration.html", context)


@require_POST
def migration_reschedule(request, ori):
    m = _migration(request, ori)
    authorize(request.user, "change", m)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("cutover_on", []):
            messages.error(request, error)
        return redirect(m)
    return outcome_redirect(
        request,
        m,
        lambda: services.migration_reschedule(
            migration=m, cutover_on=form.cleaned_data["cutover_on"], actor=request.user
        ),
        done=lambda done: f"The cut-over date is now {pacific(done.cutover_on)}.",
    )


@require_POST
def migration_complete(request, ori):
    m = _migration(request, ori)
    authorize(request.user, "change", m)
    blockers = services.completion_blockers(m)
    if blockers:
        for b in blockers:
            messages.error(request, b)
        return redirect(m)
    asked = confirmation_required(
        request,
        title=f"Complete the TraCS migration of {m.agency.name}?",
        consequences=[
            f"{m.agency.name}'s records system becomes TraCS in the agency registry.",
            f"{m.old_system}'s records for the agency stay refused after {pacific(m.cutover_on)}.",
            "The agency's LASAs are emailed. A completed migration cannot be reopened.",
        ],
        confirm_label="Complete the migration",
        cancel_url=m.get_absolute_url(),
        breadcrumbs=[("TraCS migration", reverse("program:board")), (m.agency.name, m.get_absolute_url())],
    )
    if asked:
        return asked
    return outcome_redirect(
        request,
        m,
        lambda: services.migration_complete(migration=m, actor=request.user),
        done=f"The TraCS migration of {m.agency.name} is completed.",
    )


# ---------------------------------------------------------------- bulk onboarding


def _bulk_context(**extra):
    return {"columns": BULK_COLUMNS, "optional": BULK_OPTIONAL, "form": BulkUploadForm(), **extra}


@require_GET
def bulk_onboarding(request):
    require_perm(request.user, START_PERM)
    return render(request, "program/bulk_onboarding.html", _bulk_context())


@require_http_methods(["POST"])
def bulk_onboarding_preview(request):
    require_perm(request.user, START_PERM)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a CSV or XLSX spreadsheet to upload.")
        return redirect("program:bulk_onboarding")
    try:
        check_size(upload.size, BULK_MAX_BYTES)
        data = upload.read()
        dataset = services.read_bulk_file(data, upload.name or "")
    except ImportFileError as exc:
        messages.error(request, f"Nothing was imported. {exc}")
        return redirect("program:bulk_onboarding")
    preview = services.bulk_onboarding_preview(actor=request.user, dataset=dataset)
    token = secrets.token_urlsafe(16)
    if preview.ok and preview.to_start:
        request.session[BULK_SESSION] = {
            "token": token,
            "name": upload.name or "",
            "data": base64.b64encode(data).decode(),
        }
    else:
        request.session.pop(BULK_SESSION, None)
    return render(
        request,
        "program/bulk_preview.html",
        {"preview": preview, "token": token, "filename": upload.name},
        status=200 if preview.ok else 400,
    )


@require_POST
def bulk_onboarding_confirm(request):
    require_perm(request.user, START_PERM)
    pending = request.session.get(BULK_SESSION)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, "That preview has expired or was already used. Upload the spreadsheet again.")
        return redirect("program:bulk_onboarding")
    request.session.pop(BULK_SESSION, None)

    def apply() -> int:
        try:
            dataset = services.read_bulk_file(base64.b64decode(pending["data"]), pending.get("name", ""))
        except ImportFileError as exc:
            raise services.ProgramError(str(exc)) from None
        return services.bulk_onboarding_apply(actor=request.user, dataset=dataset)

    return outcome_redirect(
        request,
        "onboarding:index",
        apply,
        done=lambda n: f"Started onboarding for {n} agenc{'y' if n == 1 else 'ies'}.",
    )


# ---------------------------------------------------------------- overdue reminders


@require_GET
def reminders(request):
    require_perm(request.user, START_PERM)
    items = selectors.overdue_onboardings()
    return render(
        request,
        "program/reminders.html",
        {"items": items, "due": [i for i in items if not i.reminded_today and i.recipients]},
    )


@require_POST
def reminders_send(request):
    require_perm(request.user, START_PERM)
    items = [i for i in selectors.overdue_onboardings() if not i.reminded_today and i.recipients]
    wanted = {int(v) for v in request.POST.getlist("onboarding") if v.isdigit()}
    chosen = [i for i in items if i.onboarding.pk in wanted]
    if not chosen:
        messages.error(request, "No agency to remind: every overdue agency was reminded today or has no contact.")
        return redirect("program:reminders")
    asked = confirmation_required(
        request,
        title=f"Send {len(chosen)} overdue-step reminder{'s' if len(chosen) != 1 else ''}?",
        consequences=[
            "Each agency's LASAs and contacts are emailed the overdue steps and their target dates.",
            "An agency is reminded at most once a day; the reminders are recorded in each agency's history.",
        ],
        items=[f"{i.onboarding.agency_name}: step(s) {', '.join(map(str, i.step_numbers))}" for i in chosen],
        confirm_label="Send the reminders",
        cancel_url=reverse("program:reminders"),
        danger=False,
        breadcrumbs=[("Overdue reminders", reverse("program:reminders"))],
    )
    if asked:
        return asked
    outcome = services.overdue_reminders_send(actor=request.user, onboarding_ids=[i.onboarding.pk for i in chosen])
    text = f"Sent {len(outcome.sent)} reminder{'s' if len(outcome.sent) != 1 else ''}."
    if outcome.already:
        n = len(outcome.already)
        text += f" {n} agenc{'y was' if n == 1 else 'ies were'} already reminded today."
    messages.success(request, text)
    return redirect("program:reminders")
