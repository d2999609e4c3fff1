"""WSP support's delivery screens: per-destination status, the delivery list (failed first), retry one or many."""

from __future__ import annotations

from datetime import timedelta

import orjson
from django import forms
from django.contrib import messages
from django.db.models import Count, Min, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sector.core.formatting import mask_licenses
from sector.core.jobs import enqueue
from sector.core.pagination import keyset_page
from sector.core.permissions import get_in_scope_or_404, require_perm

from .outbox import deliveries_retry, deliveries_retry_all_task
from .outbox_models import Delivery, DeliveryStatus, Destination
from .registry import record_viewed

LIST_FIELDS = (
    "id", "destination_id", "label", "idempotency_key", "status", "attempts", "next_attempt_at", "last_status_code",
    "last_error", "created_at", "delivered_at", "failed_at", "destination__code",
)  # fmt: skip


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(choices=DeliveryStatus.choices, required=False, initial=DeliveryStatus.FAILED)
    destination = forms.ModelChoiceField(
        queryset=Destination.objects.order_by("code"), required=False, empty_label="Any destination"
    )


RATE_WINDOW = timedelta(minutes=5)


def destination_counts(user) -> list[Destination]:
    """Per destination: delivered, pending, failed, oldest pending, deliveries per second over the last five
    minutes and the estimated time to drain the pending ones at that rate (one query)."""
    pending = Q(deliveries__status=DeliveryStatus.PENDING)
    since = timezone.now() - RATE_WINDOW
    rows = list(
        Destination.objects.restrict(user)
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            pending=Count("deliveries", filter=pending),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            oldest_pending=Min("deliveries__created_at", filter=pending),
            recent=Count(
                "deliveries",
                filter=Q(deliveries__status=DeliveryStatus.DELIVERED, deliveries__delivered_at__gte=since),
            ),
        )
        .order_by("code")
    )
    for d in rows:
        d.rate = d.recent / RATE_WINDOW.total_seconds()
        d.drain_seconds = round(d.pending / d.rate) if d.rate and d.pending else None
    return rows


@require_GET
def destination_status(request):
    require_perm(request.user, "feed.view_delivery")
    return render(request, "feed/outbox/destinations.html", {"destinations": destination_counts(request.user)})


@require_GET
def delivery_list(request):
    require_perm(request.user, "feed.view_delivery")
    form = DeliveryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or DeliveryStatus.FAILED
    qs = Delivery.objects.restrict(request.user).filter(status=status).select_related("destination").only(*LIST_FIELDS)
    if data.get("destination"):
        qs = qs.filter(destination=data["destination"])
    page = keyset_page(qs, order=("-created_at", "-id"), cursor=request.GET.get("cursor"), size=50)
    return render(request, "feed/outbox/delivery_list.html", {"form": form, "page": page, "status": status})


@require_GET
def delivery_detail(request, pk):
    delivery = get_in_scope_or_404(
        request.user, Delivery.objects.select_related("destination"), "feed.view_delivery", pk=pk
    )
    if (viewed := record_viewed.get(delivery.record_type)) is not None:
        viewed(actor=request.user, record_id=delivery.record_id)  # the payload is the record's whole content
    return render(
        request, "feed/outbox/delivery_detail.html", {"delivery": delivery, "payload": payload_display(delivery)}
    )


def payload_display(delivery: Delivery) -> str | None:
    """The payload as the page shows it: indented JSON with license numbers masked (the bytes sent keep them).
    None when the bytes are not JSON, so nothing unmasked is shown."""
    try:
        data = orjson.loads(bytes(delivery.payload))
    except orjson.JSONDecodeError:
        return None
    return orjson.dumps(mask_licenses(data), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode()[:20000]


@require_POST
def delivery_retry(request):
    require_perm(request.user, "feed.retry_delivery")
    ids = []
    for raw in request.POST.getlist("ids"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    if request.POST.get("all_failed") == "1":
        enqueue(deliveries_retry_all_task, request.user.pk)
        messages.success(request, "Every failed delivery is being queued again (in the background).")
        return redirect("outbox:delivery_list")
    else:
        targets = list(Delivery.objects.restrict(request.user).filter(pk__in=ids[:5000]).only("id"))
    if not targets:
        messages.error(request, "Select at least one failed delivery to retry.")
        return redirect("outbox:delivery_list")
    n = deliveries_retry(deliveries=targets, actor=request.user)
    messages.success(request, f"{n} deliver{'y' if n == 1 else 'ies'} queued again with the same bytes and key.")
    return redirect("outbox:delivery_list")


# ---------------------------------------------------------------- WSP support edits a destination (issue 16)


class DestinationForm(forms.Form):
    url = forms.CharField(label="URL", required=False, max_length=500, help_text="Where deliveries are posted.")
    active = forms.BooleanField(label="Enabled (new approvals are delivered here)", required=False)
    paused_until = forms.DateTimeField(
        label="Paused until (Pacific time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text="Deliveries wait without using up tries; empty: not paused (resume now).",
        error_messages={"invalid": "Enter the time as a date and time, e.g. 2026-12-08 06:00."},
    )
    auth_header = forms.CharField(label="Credential header", required=False, max_length=60)
    new_secret = forms.CharField(
        label="New secret (replaces the stored one)",
        required=False,
        max_length=2000,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Write-only: the stored secret is never shown. Leave empty to keep it.",
    )
    clear_secret = forms.BooleanField(label="Remove the stored secret", required=False)


@require_http_methods(["GET", "POST"])
def destination_edit(request, code):
    from sector.core.permissions import authorize

    from .outbox import DestinationError, destination_change

    require_perm(request.user, "feed.change_destination")
    dest = get_in_scope_or_404(request.user, Destination, "feed.view_destination", code=str(code)[:20])
    authorize(request.user, "change", dest)
    if request.method == "POST":
        form = DestinationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                destination_change(destination=dest, actor=request.user, **data)
            except DestinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Saved {dest.name}.")
                return redirect("outbox:destination_edit", code=dest.code)
    else:
        initial = {
            "url": dest.url,
            "active": dest.active,
            "paused_until": timezone.localtime(dest.paused_until).strftime("%Y-%m-%dT%H:%M")
            if dest.paused_until
            else None,
            "auth_header": dest.auth_header,
        }
        form = DestinationForm(initial=initial)
    return render(
        request,
        "feed/outbox/destination_edit.html",
        {"d": dest, "form": form, "has_secret": bool(dest.auth_secret)},
        status=400 if request.method == "POST" else 200,
    )
