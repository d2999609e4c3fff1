"""Collision screens: the agency review queue, report pages and actions, PDFs, access log and releases."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.calendar import short_date
from sector.core.confirm import confirmation_required
from sector.core.documents import stored_pdf
from sector.core.formatting import duration, mask_license_at, pacific
from sector.core.pagination import keyset_page
from sector.core.permissions import get_in_scope_or_404, organizations_with, require_perm
from sector.feed.outbox_models import Delivery, Destination
from sector.feed.outbox_views import destination_counts
from sector.orgs.models import Agency

from . import services
from .choices import AWAITING, AccessKind, ReportStatus, Severity, VersionKind
from .custody import report_chain
from .deadlines import overdue_before, review_due
from .forms import QueueFilterForm, ReleaseForm, ReturnForm
from .models import (
    AccessLog,
    AgencyReviewSetting,
    CollisionDiagram,
    CollisionPerson,
    CollisionReport,
    CollisionUnit,
    CollisionVersion,
    Release,
    ReviewNote,
)
from .pdf import diagram_data_uri, other_parties_mask, redacted_view
from .selectors import QUEUE_ORDER, capped_count, dashboard, resubmission_changes, review_queue
from .validation import field_label, value_label

VIEW = "collisions.view_collisionreport"
REVIEW = "collisions.review_collisionreport"


def _report(request, pk, action="view", *, only=()) -> CollisionReport:
    """The report if it is the user's business (else 404) and the policy lets them do `action` to it (else 403).
    `only` loads just those fields (a PDF's stored copy needs only what its key and the checks read)."""
    queryset = CollisionReport.objects.select_related("agency")
    return get_in_scope_or_404(request.user, queryset.only(*only) if only else queryset, action=action, pk=pk)


# What a stored report or release PDF is keyed by, and what the policy checks read: all its serving path loads.
_PDF_KEY_FIELDS = ("report_number", "review_version", "status", "approved_at", "updated_at", "author", "agency",
                   "agency__updated_at")  # fmt: skip


@require_GET
def review_queue_view(request):
    require_perm(request.user, VIEW)
    agencies = Agency.objects.restrict(request.user).order_by("name").only("id", "name", "ori")
    form = QueueFilterForm(request.GET or None, agencies=agencies)
    data = form.cleaned_data if form.is_valid() else {}
    agency = data.get("agency") or agencies.first()
    status = data.get("status") or "awaiting"
    size = data.get("size") or 25
    filters = {"q": data.get("q") or "", "severity": data.get("severity") or ""}
    page = None
    matched = (0, False)
    if agency is not None:
        qs = review_queue(user=request.user, agency_id=agency.pk, status=status, **filters)
        page = keyset_page(qs, order=QUEUE_ORDER, cursor=request.GET.get("cursor"), size=size)
        matched = capped_count(qs)
    now = timezone.now()
    reviews_at = organizations_with(request.user, REVIEW, "agency")
    template = "collisions/partials/queue_rows.html" if request.htmx else "collisions/review_queue.html"
    rows = _queue_rows(page, now) if page is not None else []
    return render(
        request,
        template,
        {
            "form": form,
            "agency": agency,
            "page": page,
            "rows": rows,
            "matched": matched[0],
            "matched_text": f"more than {matched[0]:,}" if matched[1] else f"{matched[0]:,}",
            "filters": filters,
            "filtered": any(filters.values()),
            # Claiming is offered where the user reviews: this agency's queue, not one where they are an officer.
            "can_review": agency is not None and (reviews_at is None or agency.pk in reviews_at),
        },
    )


_SEVERITY = dict(Severity.choices)
_STATUS = dict(ReportStatus.choices)


def _queue_rows(page, now) -> list[dict]:
    """The queue's rows prepared in Python: at 100 rows the template engine's lookups cost more than the query."""
    cutoff = overdue_before(now)
    base = reverse("collisions:report_detail", args=[0])[: -len("0/")]
    out = []
    for r in page:
        claimer = r.claimed_by if r.claimed_by_id and r.claim_expires and r.claim_expires > now else None
        awaiting = r.status in AWAITING
        out.append(
            {
                "url": f"{base}{r.pk}/",
                "number": r.report_number,
                "version": r.review_version,
                "resubmitted": bool(r.returned_version) and r.status != ReportStatus.RETURNED,
                "supplement": r.version_kind == VersionKind.SUPPLEMENT,
                "replaced": r.replaced_under_review and awaiting,
                "occurred": pacific(r.occurred_at),
                "location": r.location_text,
                "severity": _SEVERITY.get(r.severity, r.severity),
                "errors": r.error_count,
                "warnings": r.warning_count,
                "age": _age(r.queued_at, now),
                "overdue": (overdue := awaiting and r.queued_at < cutoff),
                "due": short_date(review_due(r.queued_at).day) if overdue else "",
                "status": _STATUS.get(r.status, r.status),
                "claimed_by": (claimer.get_full_name() or claimer.username) if claimer else "",
            }
        )
    return out


@require_POST
def claim_next_view(request):
    require_perm(request.user, REVIEW)
    agencies = Agency.objects.restrict(request.user)
    try:
        agency = agencies.get(pk=int(request.POST.get("agency", "")))
    except (Agency.DoesNotExist, ValueError):
        raise Http404("No such agency in your scope.") from None
    q = " ".join(request.POST.get("q", "").split())[:100]
    severity = request.POST.get("severity", "")
    report = services.claim_next(actor=request.user, agency_id=agency.pk, q=q, severity=severity)
    if report is None:
        messages.info(
            request,
            "No report is waiting that you can claim"
            + (" among the reports your search shows" if q or severity else "")
            + ": every one is claimed, or there are none.",
        )
        return redirect(f"{_queue_url()}?{urlencode({'agency': agency.pk, 'q': q, 'severity': severity})}")
    messages.success(request, f"You hold report {report.report_number} for 30 minutes.")
    return redirect("collisions:report_detail", pk=report.pk)


def _queue_url():
    return reverse("collisions:review_queue")


@require_GET
def report_detail(request, pk):
    report = _report(request, pk)
    services.access_record(actor=request.user, report=report, kind=AccessKind.VIEW)
    version = CollisionVersion.objects.get(report=report, version=report.review_version)
    versions = list(CollisionVersion.objects.filter(report=report).order_by("-version").defer("raw"))
    has_diagram = CollisionDiagram.objects.filter(version=version).exists()
    notes = list(ReviewNote.objects.filter(report=report).order_by("-version", "section", "id"))
    actions = services.available_actions(actor=request.user, report=report)
    deliveries = list(
        Delivery.objects.filter(record_type="collision", record_id=report.pk)
        .select_related("destination")
        .defer("payload")
    )
    return render(
        request,
        "collisions/report_detail.html",
        {
            "report": report,
            "version": version,
            "versions": versions,
            "units": list(CollisionUnit.objects.filter(version=version).order_by("unit_number")),
            "persons": list(CollisionPerson.objects.filter(version=version).order_by("position")),
            "has_diagram": has_diagram,
            "notes": notes,
            "actions": actions,
            "return_form": ReturnForm() if "return" in actions else None,
            "findings": [{**f, "where": field_label(f.get("field", ""))} for f in version.findings],
            "changes": [
                (
                    field_label(path),
                    mask_license_at(path, value_label(path, before)),
                    mask_license_at(path, value_label(path, after)),
                )
                for path, (before, after) in (resubmission_changes(report) if report.returned_version else {}).items()
            ],
            "deliveries": deliveries,
            "custody": report_chain(report, versions, deliveries),
            "claimed_by": report.claimed_by if report.claim_active(timezone.now()) else None,
            "review_due": review_due(report.queued_at) if report.status in AWAITING and report.queued_at else None,
            "is_author": services.is_author(request.user, report),
        },
    )


@require_GET
def report_diagram(request, pk, version):
    report = _report(request, pk)
    diagram = CollisionDiagram.objects.filter(version__report=report, version__version=version).first()
    if diagram is None:
        raise Http404("This version has no diagram.")
    services.access_record(actor=request.user, report=report, kind=AccessKind.DIAGRAM)
    response = HttpResponse(bytes(diagram.data), content_type=diagram.media_type)
    response["Cache-Control"] = "private, no-store"
    return response


ACTIONS = ("claim", "release", "approve", "return")


@require_POST
def report_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404("Unknown action.")
    report = _report(request, pk, "review")
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        expected = None
    user = request.user
    if request.htmx and action in HTMX_ACTIONS:
        return _report_action_htmx(request, report, action, expected)
    try:
        if action == "claim":
            services.claim_report(actor=user, report_id=report.pk)
            messages.success(request, f"You hold report {report.report_number} for 30 minutes.")
        elif action == "release":
            services.release_claim(actor=user, report_id=report.pk)
            messages.success(request, "Claim released; the report is back in the queue.")
            return redirect(f"{_queue_url()}?agency={report.agency_id}")
        elif action == "approve":
            if "approve" in services.available_actions(actor=user, report=report) and (
                confirm := _confirm_approval(request, report)
            ):
                return confirm
            r = services.report_approve(actor=user, report_id=report.pk, expected_version=expected)
            if r.status == ReportStatus.REVIEWED:
                messages.success(request, "Reviewed. A second reviewer gives the final approval.")
            else:
                messages.success(request, f"Approved version {r.approved_version}; it is on its way to DOT and DOL.")
            return redirect(f"{_queue_url()}?agency={report.agency_id}")
        elif action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Not returned: each note is at most 5,000 characters.")
                return redirect("collisions:report_detail", pk=report.pk)
            services.report_return(actor=user, report_id=report.pk, notes=form.notes(), expected_version=expected)
            messages.success(
                request, "Returned to the officer with your notes; the officer and the LASA have been emailed."
            )
            return redirect(f"{_queue_url()}?agency={report.agency_id}")
    except services.ReviewError as exc:
        messages.error(request, f"Not done: {exc}")
    return redirect("collisions:report_detail", pk=report.pk)


# --- claim, release and approve without a page reload (issue 16) ------------------------------------------

HTMX_ACTIONS = ("claim", "release", "approve")


def _review_card(request, report, **extra):
    """The review card as the detail page draws it, with the outcome of what was just done."""
    report = _report(request, report.pk)
    context = {
        "report": report,
        "actions": services.available_actions(actor=request.user, report=report),
        "is_author": services.is_author(request.user, report),
        **extra,
    }
    context["return_form"] = ReturnForm() if "return" in context["actions"] else None
    if extra.get("done"):
        context["actions"] = set()
    return render(request, "collisions/partials/review_card.html", context)


def _report_action_htmx(request, report, action, expected):
    """The same services and the same confirmation as the full-page post; the answer is the review card."""
    user = request.user
    try:
        if action == "claim":
            services.claim_report(actor=user, report_id=report.pk)
            r = CollisionReport.objects.get(pk=report.pk)
            until = pacific(r.claim_expires, "g:i A T") if r.claim_expires else ""
            return _review_card(request, report, outcome=f"You hold report {report.report_number} until {until}.")
        if action == "release":
            services.release_claim(actor=user, report_id=report.pk)
            return _review_card(request, report, outcome="Claim released; the report is back in the queue.")
        if "approve" in services.available_actions(actor=user, report=report) and (
            confirm := _confirm_approval(request, report)
        ):
            return confirm
        r = services.report_approve(actor=user, report_id=report.pk, expected_version=expected)
        if r.status == ReportStatus.REVIEWED:
            outcome = "Reviewed. A second reviewer gives the final approval."
        else:
            outcome = f"Approved version {r.approved_version}; it is on its way to DOT and DOL."
        return _review_card(request, report, outcome=outcome, done=True)
    except services.ReviewError as exc:
        return _review_card(request, report, outcome=f"Not done: {exc}", outcome_level="danger")


def _confirm_approval(request, report):
    """Approval sends the report to DOT and DOL (or, with two levels, hands it to a second reviewer)."""
    detail = reverse("collisions:report_detail", args=[report.pk])
    number, version = report.report_number, report.review_version
    if report.status == ReportStatus.PENDING and services.second_level_required(report.agency_id):
        title = f"Record your review of report {number}?"
        consequences = [
            f"Version {version} is marked reviewed by you; a different reviewer gives the final approval.",
            "Nothing is sent to DOT or DOL until then.",
        ]
        label = "Record my review"
    else:
        destinations = list(Destination.objects.filter(active=True, record_type="collision").order_by("code"))
        names = " and ".join(d.name for d in destinations) or "no destination (none is active)"
        title = f"Approve report {number} and send it to DOT and DOL?"
        consequences = [
            f"Version {version} of collision report {number} is approved in your name.",
            f"A copy of the full report, with every party's personal details, is sent to {names}.",
            "An approved report cannot be returned: a correction arrives from the officer as a supplement.",
        ]
        label = f"Approve and send version {version}"
    return confirmation_required(
        request,
        title=title,
        consequences=consequences,
        confirm_label=label,
        cancel_url=detail,
        danger=False,
        breadcrumbs=[("Collision reports", _queue_url()), (number, detail)],
    )


def _pdf_context(report, version):
    diagram = CollisionDiagram.objects.filter(version=version).first()
    return {
        "report": report,
        "version": version,
        "units": list(CollisionUnit.objects.filter(version=version).order_by("unit_number")),
        "persons": list(CollisionPerson.objects.filter(version=version).order_by("position")),
        "diagram_uri": diagram_data_uri(diagram),
        "generated_at": timezone.now(),
        "narrative": version.narrative,
        "location": report.location_text,
    }


@require_GET
def report_pdf(request, pk):
    report = _report(request, pk, only=_PDF_KEY_FIELDS)
    services.access_record(actor=request.user, report=report, kind=AccessKind.PDF)
    number = report.review_version

    def context():
        whole = CollisionReport.objects.select_related("agency").get(pk=report.pk)
        return _pdf_context(whole, CollisionVersion.objects.get(report=whole, version=number))

    # Rendered once per version under review and status (approval included), then served from storage.
    version = (number, report.status, report.approved_at, report.updated_at, report.agency.updated_at)
    pdf = stored_pdf("collisions/pdf/report.html", record=report, version=version, context=context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="collision-{report.report_number}-v{number}.pdf"'
    return response


@require_GET
def access_log(request, pk):
    report = _report(request, pk, "view_access")
    page = keyset_page(
        AccessLog.objects.restrict(request.user).filter(report=report).only("id", "user_name", "kind", "at"),
        order=("-at", "-id"),
        cursor=request.GET.get("cursor"),
        size=100,
    )
    return render(request, "collisions/access_log.html", {"report": report, "page": page})


@require_http_methods(["GET", "POST"])
def releases(request, pk):
    report = _report(request, pk, "release")
    services.access_record(actor=request.user, report=report, kind=AccessKind.RELEASES)  # the form lists every person
    version_no = report.approved_version or report.review_version
    persons = list(
        CollisionPerson.objects.filter(version__report=report, version__version=version_no).order_by("position")
    )
    form = ReleaseForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if confirm := _confirm_release(request, report, d, persons):
            return confirm
        release = services.release_record(
            actor=request.user, report_id=report.pk, party_name=d["party_name"], relation=d["relation"], what=d["what"],
            released_on=d["released_on"], person_position=d["person_position"], narrative=d["narrative"],
        )  # fmt: skip
        messages.success(request, f"Release to {release.party_name} recorded. Download its redacted PDF below.")
        return redirect("collisions:releases", pk=report.pk)
    rows = list(Release.objects.filter(report=report).order_by("-released_on", "-id"))
    return render(request, "collisions/releases.html", {"report": report, "form": form, "releases": rows})


def _confirm_release(request, report, d, persons):
    """A release cannot be taken back: the person confirms who gets what before it is recorded."""
    kept = next((p for p in persons if p.position == d["person_position"]), None)
    relation = dict(ReleaseForm.base_fields["relation"].choices).get(d["relation"], "")
    if kept is not None:
        name = f"{kept.person.get('first_name', '')} {kept.person.get('last_name', '')}".strip()
        redaction = f"The redacted copy keeps {name}'s details and removes every other party's."
    else:
        redaction = "The redacted copy removes the personal details of every party."
    if d["narrative"].strip():
        narrative = (
            "The copy carries the narrative as you typed it; any other party's name, address, license or plate "
            "still in it is masked."
        )
    else:
        narrative = "The copy leaves the narrative out (you gave no redacted narrative)."
    url = reverse("collisions:releases", args=[report.pk])
    return confirmation_required(
        request,
        title=f"Release report {report.report_number} to {d['party_name']}?",
        consequences=[
            f"{d['party_name']} ({relation.lower()}) receives: {d['what']}, released on {d['released_on']:%B %-d, %Y}.",
            redaction,
            narrative,
            "The release is recorded in the report's release log and its timeline; it cannot be deleted.",
        ],
        confirm_label="Record the release",
        cancel_url=url,
        danger=False,
        breadcrumbs=[("Collision reports", _queue_url()), (report.report_number, report.get_absolute_url())],
    )


@require_GET
def release_pdf(request, pk, release_pk):
    report = _report(request, pk, "release", only=_PDF_KEY_FIELDS)
    release = Release.objects.filter(report=report, pk=release_pk).first()
    if release is None:
        raise Http404("No such release.")
    services.access_record(actor=request.user, report=report, kind=AccessKind.RELEASE_PDF)

    def context():
        whole = CollisionReport.objects.select_related("agency").get(pk=report.pk)
        ctx = _pdf_context(whole, CollisionVersion.objects.get(report=whole, version=release.version))
        # The reviewer's redacted narrative (or none: the narrative is left out); then, as a second guard, every
        # other party's known names, addresses, licenses and plates are masked in all free text the copy prints.
        mask = other_parties_mask(ctx["persons"], ctx["units"], release.person_position)
        ctx["persons"], ctx["units"] = redacted_view(ctx["persons"], ctx["units"], release.person_position)
        ctx["release"] = release
        ctx["narrative"] = mask(release.narrative)
        ctx["location"] = mask(whole.location_text)
        ctx["party_name"] = mask(release.party_name)
        return ctx

    # A release is recorded once: its copy is rendered once (again only if the report's row or agency changes).
    version = (release.version, report.updated_at, report.agency.updated_at)
    pdf = stored_pdf("collisions/pdf/release.html", record=release, version=version, context=context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="collision-{report.report_number}-release-{release.pk}.pdf"'
    )
    return response


@require_GET
def dashboard_view(request):
    require_perm(request.user, VIEW)
    statewide = organizations_with(request.user, VIEW, "agency") is None
    data = dashboard(user=request.user)
    destinations = destination_counts(request.user) if request.user.has_perm("feed.view_delivery") else []
    return render(
        request, "collisions/dashboard.html", {"dash": data, "statewide": statewide, "destinations": destinations}
    )


def _age(since, now) -> str:
    """How long a report has waited, in days on every row (the 10-day rule is counted in days)."""
    return duration(now - since, "days")


# ---------------------------------------------------------------- agency review settings (issue 16)

SETTINGS_PERM = "collisions.change_agencyreviewsetting"


@require_GET
def review_settings(request):
    """WSP support's list of every active agency's review settings."""
    require_perm(request.user, SETTINGS_PERM)
    qs = Agency.objects.filter(active=True).select_related("collision_settings")
    page = keyset_page(qs, order=("name", "id"), cursor=request.GET.get("cursor"), size=50)
    return render(request, "collisions/review_settings.html", {"page": page})


@require_http_methods(["GET", "POST"])
def review_setting_edit(request, ori):
    require_perm(request.user, SETTINGS_PERM)
    agency = get_in_scope_or_404(request.user, Agency, ori=str(ori).upper()[:20].replace("\x00", ""))
    if request.method == "POST":
        services.review_setting_change(
            agency_id=agency.pk,
            actor=request.user,
            second_level_approval=request.POST.get("second_level_approval") == "on",
        )
        messages.success(request, f"Saved the review settings of {agency.name}.")
        return redirect("collisions:review_setting_edit", ori=agency.ori)
    setting = AgencyReviewSetting.objects.filter(agency=agency).first()
    return render(request, "collisions/review_setting.html", {"agency": agency, "setting": setting})
