"""Training pages: events with seats left, registrations, attendance, completion, certificates, histories."""

from __future__ import annotations

import base64
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sector.accounts.roles import STATEWIDE_ROLES
from sector.core.exports import export_response
from sector.core.pagination import keyset_page
from sector.core.pdf import render_pdf
from sector.core.permissions import get_in_scope_or_404, require_perm, user_scope
from sector.core.responses import outcome_redirect
from sector.core.spreadsheets import check_size
from sector.onboarding.models import AgencyOnboarding
from sector.orgs.models import Court, Person

from . import roster, services
from .choices import EventKind, EventStatus
from .forms import EventForm, RegisterForm
from .models import TrainingEvent, TrainingRecord

PAGE_SIZE = 25
VIEW = "training.view_trainingevent"


def _kinds_for(user) -> list[str]:
    roles = user_scope(user).roles
    out = []
    if "waspc_coordinator" in roles:
        out.append(EventKind.SANCTIONED)
    if "aoc_coordinator" in roles:
        out.append(EventKind.COURT_STAFF)
    if "lasa" in roles:
        out.append(EventKind.TRAIN_THE_TRAINER)
    return out


@require_GET
def events(request):
    require_perm(request.user, VIEW)
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    qs = TrainingEvent.objects.restrict(request.user).select_related("host_agency")
    if when == "past":
        qs = qs.filter(starts_at__lt=now)
        page = keyset_page(qs, order=("-starts_at", "-id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    else:
        when = "upcoming"
        qs = qs.filter(starts_at__gte=now)
        page = keyset_page(qs, order=("starts_at", "id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    taken = services.seats_taken(page.object_list)
    rows = [{"e": e, "taken": taken.get(e.pk, 0), "left": max(e.capacity - taken.get(e.pk, 0), 0)} for e in page]
    kinds = _kinds_for(request.user)
    context = {"page": page, "rows": rows, "when": when}
    if kinds and request.user.has_perm("training.add_trainingevent"):
        context["form"] = EventForm(kinds=kinds)
    return render(request, "training/events.html", context)


@require_POST
def event_create(request):
    require_perm(request.user, "training.add_trainingevent")
    form = EventForm(request.POST, kinds=_kinds_for(request.user))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"Event not created. {label}: {' '.join(errors)}")
        return redirect("training:events")
    try:
        event = services.event_create(actor=request.user, **form.cleaned_data)
    except services.TrainingError as exc:
        messages.error(request, str(exc))
        return redirect("training:events")
    messages.success(request, f"Event “{event.title}” created.")
    return redirect(event)


def _event(request, pk) -> TrainingEvent:
    return get_in_scope_or_404(request.user, TrainingEvent.objects.select_related("host_agency"), VIEW, pk=pk)


def _people_for(user, event):
    people = Person.objects.restrict(user).filter(active=True)
    if event.kind == EventKind.COURT_STAFF:
        return people.filter(court__isnull=False).order_by("last_name", "first_name", "id")
    people = people.filter(agency__isnull=False, kind="officer")
    if event.host_agency_id:
        people = people.filter(agency_id=event.host_agency_id)
    return people.select_related("agency").order_by("last_name", "first_name", "id")


@require_GET
def event(request, pk):
    e = _event(request, pk)
    visible = set(Person.objects.restrict(request.user).values_list("pk", flat=True).filter(
        pk__in=e.registrations.values("person_id")))  # fmt: skip
    regs = [r for r in e.registrations.select_related("person__agency", "person__court") if r.person_id in visible]
    taken = e.registrations.count()
    can_run, _ = services.can_run(request.user, e.kind, e.host_agency_id)
    context = {
        "event": e,
        "registrations": regs,
        "taken": taken,
        "left": max(e.capacity - taken, 0),
        "can_run": can_run and e.status == EventStatus.SCHEDULED,
        "records": list(e.records.select_related("person").filter(person_id__in=visible))
        if e.status == "completed"
        else [],
    }
    if e.status == EventStatus.SCHEDULED and request.user.has_perm("training.add_registration"):
        people = _people_for(request.user, e).exclude(pk__in=e.registrations.values("person_id"))
        context["register_form"] = RegisterForm(people=people)
    return render(request, "training/event.html", context)


@require_POST
def register(request, pk):
    e = _event(request, pk)
    require_perm(request.user, "training.add_registration")
    form = RegisterForm(request.POST, people=Person.objects.restrict(request.user))
    if not form.is_valid():
        messages.error(request, "Not registered: choose a person from the list.")
        return redirect(e)
    person = form.cleaned_data["person"]
    return outcome_redirect(
        request,
        e,
        lambda: services.registration_add(event=e, person=person, actor=request.user),
        done=f"{person.full_name} registered.",
        refused="Not registered. ",
    )


@require_POST
def unregister(request, pk, registration_id):
    e = _event(request, pk)
    require_perm(request.user, "training.add_registration")
    return outcome_redirect(
        request,
        e,
        lambda: services.registration_remove(event=e, registration_id=registration_id, actor=request.user),
        done="Registration removed.",
    )


@require_POST
def attendance(request, pk):
    e = _event(request, pk)
    require_perm(request.user, "training.change_registration")
    try:
        ids = {int(v) for v in request.POST.getlist("attended")}
    except ValueError:
        messages.error(request, "Attendance not saved: the form was damaged; reload the page and try again.")
        return redirect(e)
    return outcome_redirect(
        request,
        e,
        lambda: services.attendance_mark(event=e, actor=request.user, attended_ids=ids),
        done=lambda present: f"Attendance saved: {present} present.",
    )


@require_POST
def complete(request, pk):
    e = _event(request, pk)
    require_perm(request.user, "training.change_registration")
    return outcome_redirect(
        request,
        e,
        lambda: services.event_complete(event=e, actor=request.user),
        done=lambda records: f"Event completed: {len(records)} training record(s) and certificate(s) created.",
    )


def _record(request, pk) -> TrainingRecord:
    return get_in_scope_or_404(
        request.user,
        TrainingRecord.objects.select_related("person", "event", "agency_at_time", "court_at_time"),
        "training.view_trainingrecord",
        pk=pk,
    )


@require_GET
def certificate(request, pk):
    record = _record(request, pk)
    pdf = render_pdf("training/pdf/certificate.html", {"record": record})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record.certificate_number}.pdf"'
    return response


@require_GET
def person(request, pk):
    """A person's training history, wherever they trained. An officer may see their own."""
    p = get_in_scope_or_404(request.user, Person.objects.select_related("agency", "court"), VIEW, pk=pk)
    if not (request.user.has_perm("orgs.view_person") or p.user_id == request.user.pk):
        raise PermissionDenied
    require_perm(request.user, "training.view_trainingrecord")
    records = list(TrainingRecord.objects.filter(person=p).select_related("event", "agency_at_time", "court_at_time"))
    return render(request, "training/person.html", {"person": p, "records": records})


# --- roster spreadsheets and coverage ---------------------------------------------------------------------

ROSTER_SESSION = "training_roster_import"


def _visible_people(request, e) -> set[int]:
    return set(
        Person.objects.restrict(request.user)
        .filter(pk__in=e.registrations.values("person_id"))
        .values_list("pk", flat=True)
    )


@require_GET
def roster_export(request, pk):
    e = _event(request, pk)
    dataset = roster.roster_dataset(e, _visible_people(request, e))
    return export_response(dataset, request.GET.get("format", "csv"), f"roster-{e.pk}")


@require_POST
def roster_import(request, pk):
    e = _event(request, pk)
    require_perm(request.user, "training.add_registration")
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose a CSV or XLSX roster to import.")
        return redirect(e)
    try:
        check_size(upload.size, roster.MAX_BYTES)
        data = upload.read()
        dataset = roster.read_roster(data, e)
    except roster.ImportFileError as exc:
        messages.error(request, f"Nothing was imported. {exc}")
        return redirect(e)
    preview = roster.preview_roster(event=e, actor=request.user, dataset=dataset)
    token = secrets.token_urlsafe(16)
    if preview.ok:
        request.session[ROSTER_SESSION] = {"token": token, "event": e.pk, "data": base64.b64encode(data).decode()}
    else:
        request.session.pop(ROSTER_SESSION, None)
    return render(
        request,
        "training/roster_preview.html",
        {"event": e, "preview": preview, "headers": dataset.headers, "token": token, "filename": upload.name},
        status=200 if preview.ok else 400,
    )


@require_POST
def roster_import_confirm(request, pk):
    e = _event(request, pk)
    require_perm(request.user, "training.add_registration")
    pending = request.session.get(ROSTER_SESSION)
    if not pending or pending.get("token") != request.POST.get("token") or pending.get("event") != e.pk:
        messages.error(request, "That roster preview has expired or was already used. Upload the file again.")
        return redirect(e)
    request.session.pop(ROSTER_SESSION, None)
    return outcome_redirect(  # refused: the roster file, or the event no longer open
        request,
        e,
        lambda: roster.import_roster(
            event=e, actor=request.user, dataset=roster.read_roster(base64.b64decode(pending["data"]), e)
        ),
        done=lambda count: f"Registered {count} people from the roster.",
    )


@require_GET
def coverage(request):
    """Training coverage per agency in onboarding (officers trained vs required) and per court (staff trained)."""
    require_perm(request.user, "onboarding.view_agencyonboarding")
    if not (request.user.is_superuser or user_scope(request.user).roles & STATEWIDE_ROLES):
        raise PermissionDenied
    agencies = (
        AgencyOnboarding.objects.select_related("agency")
        .annotate(
            trained=Count(
                "agency__people",
                filter=Q(agency__people__kind="officer", agency__people__training_records__kind=EventKind.SANCTIONED),
                distinct=True,
            )
        )
        .order_by("agency_name", "id")
    )
    courts = (
        Court.objects.annotate(
            trained=Count("people", filter=Q(people__training_records__kind=EventKind.COURT_STAFF), distinct=True)
        )
        .filter(accepts_etickets=True)
        .order_by("name", "id")
    )
    return render(request, "training/coverage.html", {"agencies": agencies, "courts": courts})
