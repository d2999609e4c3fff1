"""The records officer's screens (issue 16 item 5): retention periods, holds, disposition preview and run."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .confirm import confirmation_required
from .models import DispositionRun, HoldKind, RecordHold, RetentionPeriod
from .pagination import keyset_page
from .permissions import require_perm
from .retention import (
    RetentionError,
    disposition_preview,
    disposition_run,
    hold_place,
    hold_release,
    record_class,
    record_classes,
    retention_period_set,
)

CRUMB = ("Records retention", "retention:period_list")


class PeriodForm(forms.Form):
    years = forms.IntegerField(min_value=1, max_value=200, label="Years kept after closing")
    authority = forms.CharField(
        max_length=300, label="Authority", help_text="The retention schedule and item (disposition authority number)."
    )
    demo = forms.BooleanField(required=False, label="This is a demo figure, not a retention fact")


class HoldForm(forms.Form):
    record_class = forms.ChoiceField(label="Record class")
    object_id = forms.CharField(max_length=64, label="Record id", help_text="The record's id (for a log: the year).")
    label = forms.CharField(max_length=200, required=False, label="What is held", help_text="No personal details.")
    kind = forms.ChoiceField(choices=HoldKind.choices, label="Kind of hold")
    reference = forms.CharField(max_length=200, label="Case or request number")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_class"].choices = [(rc.key, rc.label) for rc in record_classes]


class ReleaseForm(forms.Form):
    note = forms.CharField(max_length=300, label="Why the hold ends")


def _class_or_404(key: str):
    try:
        return record_class(key)
    except RetentionError:
        raise Http404 from None


@require_GET
def period_list(request):
    require_perm(request.user, "core.view_retentionperiod")
    periods = {p.record_class: p for p in RetentionPeriod.objects.select_related("set_by")}
    rows = [(rc, periods.get(rc.key)) for rc in record_classes]
    runs = list(DispositionRun.objects.select_related("run_by")[:10])
    return render(request, "core/retention/periods.html", {"rows": rows, "runs": runs})


@require_http_methods(["GET", "POST"])
def period_edit(request, key):
    require_perm(request.user, "core.view_retentionperiod")
    rc = _class_or_404(key)
    if not request.user.has_perm("core.change_retentionperiod"):
        raise PermissionDenied
    period = RetentionPeriod.objects.filter(record_class=rc.key).first()
    initial = {"years": period.years, "authority": period.authority, "demo": period.demo} if period else {}
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            retention_period_set(actor=request.user, record_class_key=rc.key, **form.cleaned_data)
        except RetentionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, f"The retention period of {rc.label.lower()} is saved.")
            return redirect("retention:period_list")
    return render(request, "core/retention/period_form.html", {"rc": rc, "form": form, "period": period})


@require_http_methods(["GET", "POST"])
def hold_list(request):
    require_perm(request.user, "core.view_recordhold")
    form = HoldForm(request.POST or None, initial={"record_class": request.GET.get("record_class", "")})
    if request.method == "POST":
        require_perm(request.user, "core.add_recordhold")
        if form.is_valid():
            try:
                hold_place(actor=request.user, record_class_key=form.cleaned_data.pop("record_class"), **{
                    k: form.cleaned_data[k] for k in ("object_id", "label", "kind", "reference")
                })  # fmt: skip
            except RetentionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, "The hold is placed: the record is kept until the hold is released.")
                return redirect("retention:hold_list")
    qs = RecordHold.objects.select_related("placed_by", "released_by")
    show = request.GET.get("show", "active")
    if show != "all":
        qs = qs.filter(released_at__isnull=True)
    page = keyset_page(qs, order=("-placed_at", "-id"), cursor=request.GET.get("cursor"), size=50)
    labels = {rc.key: rc.label for rc in record_classes}
    for hold in page:
        hold.class_label = labels.get(hold.record_class, hold.record_class)
    return render(request, "core/retention/holds.html", {"form": form, "page": page, "show": show})


@require_POST
def hold_release_view(request, pk):
    require_perm(request.user, "core.view_recordhold")
    hold = get_object_or_404(RecordHold, pk=pk)
    require_perm(request.user, "core.change_recordhold")
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the hold ends before releasing it.")
        return redirect("retention:hold_list")
    asked = confirmation_required(
        request,
        title="Release this hold?",
        consequences=[
            f"{hold.label} is no longer held for {hold.reference}.",
            "Once its retention period has passed, the next disposition run may remove or anonymize it.",
        ],
        confirm_label="Release the hold",
        cancel_url=reverse("retention:hold_list"),
        breadcrumbs=[(reverse(CRUMB[1]), CRUMB[0]), (reverse("retention:hold_list"), "Holds")],
    )
    if asked:
        return asked
    try:
        hold_release(actor=request.user, hold=hold, note=form.cleaned_data["note"])
    except RetentionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "The hold is released.")
    return redirect("retention:hold_list")


@require_http_methods(["GET", "POST"])
def disposition(request, key):
    require_perm(request.user, "core.view_dispositionrun")
    rc = _class_or_404(key)
    if request.method == "POST":
        require_perm(request.user, "core.dispose_records")
        expected = [pk[:64] for pk in request.POST.getlist("pk")][:1000]
        preview = disposition_preview(actor=request.user, record_class_key=rc.key)
        listed = [item for item in preview.due if item.pk in set(expected)]
        if not listed:
            messages.error(request, "Nothing listed is due any more: look at the preview again.")
            return redirect("retention:disposition", key=rc.key)
        asked = confirmation_required(
            request,
            title=f"Dispose of {len(listed)} record{'s' if len(listed) != 1 else ''}?",
            consequences=[
                f"Each record listed is {rc.method} now; this cannot be undone.",
                f"Authority: {preview.period.authority if preview.period else ''}"
                + (" (a demo figure, not a retention fact)" if preview.period and preview.period.demo else ""),
                "A certificate of destruction naming each record is written to the audit log.",
            ],
            items=[item.label for item in listed[:50]],
            confirm_label="Dispose of them",
            cancel_url=reverse("retention:disposition", kwargs={"key": rc.key}),
            breadcrumbs=[(reverse(CRUMB[1]), CRUMB[0])],
        )
        if asked:
            return asked
        try:
            run = disposition_run(actor=request.user, record_class_key=rc.key, expected=expected)
        except RetentionError as e:
            messages.error(request, str(e))
            return redirect("retention:disposition", key=rc.key)
        messages.success(
            request, f"Certificate of destruction SECTOR-DISP-{run.pk:06d}: {run.count} record(s) {run.method}."
        )
        return redirect("retention:disposition", key=rc.key)
    preview = disposition_preview(actor=request.user, record_class_key=rc.key)
    runs = list(DispositionRun.objects.filter(record_class=rc.key).select_related("run_by")[:20])
    return render(request, "core/retention/disposition.html", {"rc": rc, "preview": preview, "runs": runs})
