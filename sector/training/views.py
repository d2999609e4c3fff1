"""Training pages: events with seats left, registrations, attendance, completion, certificates, histories."""

from __future__ import annotations

import base64
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sector.core.documents import stored_pdf
from sector.core.exports import export_filters, export_response, log_export
from sector.core.pagination import keyset_page
from sector.core.permissions import authorize, can, get_in_scope_or_404, organizations_with, require_perm
from sector.core.responses import outcome_redirect
from sector.core.spreadsheets import check_size
from sector.onboarding.choices import Step
from sector.onboarding.models import AgencyOnboarding
from sector.orgs.models import Court, Person

from . import roster, selectors, services
from .choices import EventKind, EventStatus
from .forms import EventForm, NewPersonForm, OfficerTargetForm, PersonSearchForm, RegisterForm
from .models import TrainingEvent, TrainingRecord

PAGE_SIZE = 25
VIEW = "training.view_trainingevent"


def _kinds_for(user) -> list[str]:
    return services.kinds_offered(user)


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


def _new_person_form(request, e, data=None) -> NewPersonForm:
    from sector.orgs.models import Agency

    agencies = Agency.objects.restrict(request.user).order_by("name")
    if e.host_agency_id:
        agencies = agencies.filter(pk=e.host_agency_id)
    return NewPersonForm(
        data, court_staff=e.kind == EventKind.COURT_STAFF, agencies=agencies, courts=Court.objects.order_by("name"),
    )  # fmt: skip


def _register_context(request, e) -> dict:
    """The search box, its results (people not yet registered) and the form that adds a new person."""
    search = PersonSearchForm(request.GET or None)
    q = search.cleaned_data["q"].strip() if search.is_valid() else ""
    candidates = []
    if q:
        people = _people_for(request.user, e).exclude(pk__in=e.registrations.values("person_id"))
        candidates = list(selectors.people_search(people, q))
    return {"search_form": search, "q": q, "candidates": candidates}


@require_GET
def event(request, pk):
    e = _event(request, pk)
    can_register = e.status == EventStatus.SCHEDULED and can(request.user, "register", e)
    if request.htmx and can_register and "q" in request.GET:
        return render(request, "training/partials/register_results.html", {"event": e, **_register_context(request, e)})
    return _event_page(request, e, can_register=can_register)


def _event_page(request, e, *, can_register: bool, new_person_form=None, status=200):
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
        "can_register": can_register,
        "records": list(e.records.select_related("person").filter(person_id__in=visible))
        if e.status == "completed"
        else [],
    }
    if can_register:
        context.update(_register_context(request, e))
        if request.user.has_perm("orgs.add_person"):
            context["new_person_form"] = new_person_form or _new_person_form(request, e)
    return render(request, "training/event.html", context, status=status)


@require_POST
def register(request, pk):
    e = _event(request, pk)
    authorize(request.user, "register", e)
    form = RegisterForm(request.POST, people=Person.objects.restrict(request.user))
    if not form.is_valid():
        messages.error(request, "Not registered: find the person by name, agency or personnel number first.")
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
def register_new(request, pk):
    """Add a person the registry does not have and register them; the form comes back with its errors."""
    e = _event(request, pk)
    authorize(request.user, "register", e)
    require_perm(request.user, "orgs.add_person")
    form = _new_person_form(request, e, request.POST)
    if not form.is_valid():
        messages.error(request, "Nobody was added: correct the fields marked below.")
        return _event_page(request, e, can_register=True, new_person_form=form, status=400)
    try:
        registration = services.person_add_and_register(event=e, actor=request.user, fields=form.cleaned_data)
    except services.TrainingError as exc:
        messages.error(request, " ".join(["Nobody was added.", str(exc), *exc.reasons]))
        return _event_page(request, e, can_register=True, new_person_form=form, status=400)
    messages.success(request, f"{registration.person.full_name} added to the registry and registered.")
    return redirect(e)


@require_POST
def unregister(request, pk, registration_id):
    e = _event(request, pk)
    authorize(request.user, "register", e)
    return outcome_redirect(
        request,
        e,
        lambda: services.registration_remove(event=e, registration_id=registration_id, actor=request.user),
        done="Registration removed.",
    )


@require_POST
def attendance(request, pk):
    e = _event(request, pk)
    authorize(request.user, "attendance", e)
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
    authorize(request.user, "attendance", e)
    return outcome_redirect(
        request,
        e,
        lambda: services.event_complete(event=e, actor=request.user),
        done=lambda records: f"Event completed: {len(records)} training record(s) and certificate(s) created.",
    )


def _record(request, pk, *, only=()) -> TrainingRecord:
    queryset = TrainingRecord.objects.select_related("person", "event", "agency_at_time", "court_at_time")
    return get_in_scope_or_404(
        request.user, queryset.only(*only) if only else queryset, "training.view_trainingrecord", pk=pk
    )


# What a certificate prints (its stored copy's key) and what the checks read: all its serving path loads.
_CERTIFICATE_FIELDS = ("completed_on", "kind", "person__first_name", "person__last_name", "person__agency",
                       "person__court", "event__title", "event__kind", "event__place", "event__trainer",
                       "agency_at_time__name", "court_at_time__name")  # fmt: skip


@require_GET
def certificate(request, pk):
    record = _record(request, pk, only=_CERTIFICATE_FIELDS)
    # Rendered once, then from storage; what it prints is the version (the rows have no updated_at).
    e, org = record.event, record.agency_at_time or record.court_at_time
    version = (record.certificate_number, record.completed_on, record.person.full_name, e.title, e.kind, e.place,
               e.trainer, org.name if org else "")  # fmt: skip
    pdf = stored_pdf(
        "training/pdf/certificate.html",
        record=record,
        version=version,
        context=lambda: {"record": _record(request, pk)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{record.certificate_number}.pdf"'
    return response


@require_GET
def person(request, pk):
    """A person's training history, wherever they trained. An officer may see their own."""
    p = get_in_scope_or_404(request.user, Person.objects.select_related("agency", "court"), VIEW, pk=pk)
    if not (p.user_id == request.user.pk or can(request.user, "view", p)):  # own record, or the person's org
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
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    log_export(
        actor=request.user,
        what="training.roster",
        fmt=fmt,
        rows=len(dataset),
        filters=export_filters(request.GET),
        obj=e,
    )
    return export_response(dataset, fmt, f"roster-{e.pk}")


@require_POST
def roster_import(request, pk):
    e = _event(request, pk)
    authorize(request.user, "register", e)
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
    authorize(request.user, "register", e)
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


def _require_statewide(request) -> None:
    """The coverage pages compare every agency: for whom the policy lets see every agency's onboarding."""
    require_perm(request.user, "onboarding.view_agencyonboarding")
    if organizations_with(request.user, "onboarding.view_agencyonboarding", "agency") is not None:
        raise PermissionDenied


@require_GET
def coverage(request):
    """Training coverage per agency in onboarding (officers trained against the agency's target) and per court
    accepting e-tickets (its staff with an AOC training record)."""
    _require_statewide(request)
    courts = selectors.court_staff_coverage(Court.objects.filter(accepts_etickets=True)).order_by("name", "id")
    context = {"agencies": selectors.officer_coverage(), "courts": courts, "step_number": int(Step.OFFICER_TRAINING)}
    return render(request, "training/coverage.html", context)


def _onboarding(request, ori) -> AgencyOnboarding:
    _require_statewide(request)
    onboarding = AgencyOnboarding.objects.select_related("agency", "survey").filter(agency__ori=ori.upper()).first()
    if onboarding is None:
        raise Http404("This agency is not in onboarding.")
    return onboarding


@require_GET
def coverage_agency(request, ori):
    """One agency's officers: who still has no sanctioned training (by name), who has, and its target."""
    onboarding = _onboarding(request, ori)
    row = selectors.officer_coverage(AgencyOnboarding.objects.filter(pk=onboarding.pk))[0]
    trained = (
        TrainingRecord.objects.filter(
            kind=EventKind.SANCTIONED, person__in=selectors.agency_officers(onboarding.agency_id)
        )
        .select_related("person", "event")
        .order_by("person__last_name", "person__first_name", "person_id", "-completed_on", "-id")
    )
    context = {
        "onboarding": onboarding,
        "agency": onboarding.agency,
        "row": row,
        "untrained": list(selectors.untrained_officers(onboarding.agency_id).order_by("last_name", "first_name", "id")),
        "trained": list(trained),
        "can_set_target": not services.target_refusal(request.user),
        "target_form": OfficerTargetForm(initial={"target": onboarding.required_trained_officers}),
    }
    return render(request, "training/coverage_agency.html", context)


@require_POST
def officer_target(request, ori):
    onboarding = _onboarding(request, ori)
    back = reverse("training:coverage_agency", kwargs={"ori": onboarding.agency.ori})
    form = OfficerTargetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The target was not changed. " + " ".join(form.errors.get("target", [])))
        return redirect(back)
    try:
        updated = services.officer_target_set(
            onboarding=onboarding, actor=request.user, target=form.cleaned_data["target"]
        )
    except services.TrainingError as exc:
        messages.error(request, f"The target was not changed. {exc}")
        return redirect(back)
    target, source = updated.officer_target()
    messages.success(request, f"Officers to train: {target} ({source})." if target else "Target cleared.")
    return redirect(back)
