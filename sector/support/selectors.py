"""Reads the support pages share: the queue, one organization's history, the dashboard figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import TruncWeek
from django.utils import timezone

from sector.accounts.models import User
from sector.core.calendar import PACIFIC, BusinessCalendar

from .business_hours import format_duration, load_calendar
from .choices import OPEN_STATUSES, Status
from .models import Priority, SupportRequest, breach_condition

# The queue's order, as its heading says: breached first, then the most urgent priority, then the oldest.
QUEUE_ORDER = ("breach_rank", "priority__order", "created_at", "id")

if TYPE_CHECKING:
    from sector.orgs.models import Agency

LIST_FIELDS = (
    "id", "subject", "status", "created_at", "first_response_at", "first_response_due", "resolution_due",
    "resolved_at", "closed_at", "waiting_since", "resolution_paused",
    "agency_id", "court_id", "category_id", "priority_id", "requester_id", "assignee_id",
    "agency__name", "agency__ori", "court__name", "court__code", "category__name", "priority__name",
    "priority__order", "priority__first_response_hours", "priority__resolution_hours",
    "requester__username", "requester__first_name", "requester__last_name",
    "assignee__username", "assignee__first_name", "assignee__last_name",
)  # fmt: skip


def requests_for(user: User) -> QuerySet[SupportRequest]:
    """The requests the user may see, with what a list row shows (one query per page, no per-row lookups)."""
    return (
        SupportRequest.objects.restrict(user)
        .select_related("agency", "court", "category", "priority", "requester", "assignee")
        .only(*LIST_FIELDS)
    )


def in_queue_order(qs: QuerySet[SupportRequest], now: datetime) -> QuerySet[SupportRequest]:
    """Annotate what the queue sorts on first (0 for a request that missed a target, else 1)."""
    return qs.annotate(
        breach_rank=Case(When(breach_condition(now), then=Value(0)), default=Value(1), output_field=IntegerField())
    )


def support_agents() -> QuerySet[User]:
    """The people WSP can assign a request to: active users with the support-handling permission."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(
                groups__permissions__codename="handle_supportrequest",
                groups__permissions__content_type__app_label="support",
            )
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def support_history_for_agency(*, agency: Agency, user: User, limit: int = 5) -> dict[str, Any] | None:
    """An agency's support history for its page and onboarding step 7: open and total counts and the latest
    requests. None when the user may not see the agency's requests (so the caller shows nothing)."""
    if not user.has_perm("support.view_supportrequest"):
        return None
    # One query: the latest rows carry the agency's totals as window counts over every row of the agency.
    recent = list(
        SupportRequest.objects.restrict(user)
        .filter(agency=agency)
        .select_related("category", "priority")
        .annotate(
            n_total=Window(Count("id")),
            n_open=Window(Count("id", filter=Q(status__in=OPEN_STATUSES))),
            n_resolved=Window(Count("id", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED]))),
        )
        .order_by("-created_at", "-id")[:limit]
    )
    first = recent[0] if recent else None
    counts = {
        "total": first.n_total if first else 0,
        "open": first.n_open if first else 0,
        "resolved": first.n_resolved if first else 0,
    }
    return {"agency": agency, "counts": counts, "recent": recent, "now": timezone.now()}


def week_start(moment: datetime) -> datetime:
    local = moment.astimezone(PACIFIC)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime.combine(monday, datetime.min.time(), tzinfo=PACIFIC)


def dashboard(
    *, now: datetime | None = None, calendar: BusinessCalendar | None = None, weeks: int = 12
) -> dict[str, Any]:
    """WSP's dashboard: open requests by priority, breaches this week, median business time to first response
    over the last 90 days, and requests raised per week (a handful of aggregate queries)."""
    now = now or timezone.now()
    calendar = calendar or load_calendar()
    this_week = week_start(now)
    open_qs = SupportRequest.objects.open()
    by_priority = {row["priority"]: row["n"] for row in open_qs.values("priority").annotate(n=Count("id"))}
    open_by_priority = [
        {"priority": p, "open": by_priority.get(p.pk, 0)} for p in Priority.objects.order_by("order", "name")
    ]
    # A breach "this week" is a target whose due time fell this week (up to now) and was missed.
    fr_breaches = SupportRequest.objects.filter(first_response_due__gte=this_week, first_response_due__lt=now).filter(
        Q(first_response_at__isnull=True) | Q(first_response_at__gt=F("first_response_due"))
    )
    res_breaches = SupportRequest.objects.filter(resolution_due__gte=this_week, resolution_due__lt=now).filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("resolution_due"))
    )
    answered = SupportRequest.objects.filter(
        first_response_at__isnull=False, created_at__gte=now - timedelta(days=90)
    ).values_list("created_at", "first_response_at")
    durations = [calendar.business_time_between(c, f).total_seconds() for c, f in answered if f is not None]
    median_first = timedelta(seconds=statistics.median(durations)) if durations else None
    start = this_week - timedelta(weeks=weeks - 1)
    per_week = {
        row["week"].astimezone(PACIFIC).date() if hasattr(row["week"], "astimezone") else row["week"]: row["n"]
        for row in SupportRequest.objects.filter(created_at__gte=start)
        .annotate(week=TruncWeek("created_at", tzinfo=PACIFIC))
        .values("week")
        .annotate(n=Count("id"))
    }
    labels, counts = [], []
    for i in range(weeks):
        monday = (start + timedelta(weeks=i)).date()
        labels.append(monday.strftime("%b %-d"))
        counts.append(per_week.get(monday, 0))
    return {
        "open_by_priority": open_by_priority,
        "open_total": sum(row["open"] for row in open_by_priority),
        "unassigned": open_qs.filter(assignee__isnull=True).count(),
        "first_response_breaches_this_week": fr_breaches.count(),
        "resolution_breaches_this_week": res_breaches.count(),
        "median_first_response": median_first,
        "answered_count": len(durations),
        "chart": {"labels": labels, "counts": counts, "title": "Requests raised per week"},
        "chart_rows": list(zip(labels, counts, strict=True)),
        "week_start": this_week,
    }


@dataclass
class Measured:
    """A request with its business-time figures against its priority's targets."""

    sr: SupportRequest
    first_response_elapsed: timedelta
    resolution_elapsed: timedelta
    first_response_breached: bool
    resolution_breached: bool

    @property
    def breached(self) -> bool:
        return self.first_response_breached or self.resolution_breached

    @property
    def paused_since(self) -> datetime | None:
        """While the request waits on the requester, since when its resolution clock has been paused."""
        return self.sr.waiting_since if self.sr.resolved_at is None else None

    @property
    def first_response_text(self) -> str:
        return format_duration(self.first_response_elapsed)

    @property
    def resolution_text(self) -> str:
        return format_duration(self.resolution_elapsed)


def measure(sr: SupportRequest, *, calendar: BusinessCalendar, now: datetime) -> Measured:
    """Time to first response and to resolution in business hours: finished clocks stop at their event, running
    ones at `now` (a closed request without a recorded resolution stops at its closing). Time spent waiting on
    the requester is not on the resolution clock: earlier waits, and the current one up to `now`."""
    first_end = sr.first_response_at or now
    resolution_end = sr.resolved_at or sr.closed_at or now
    paused = sr.resolution_paused or timedelta(0)
    if sr.waiting_since is not None and sr.resolved_at is None:
        paused += calendar.business_time_between(sr.waiting_since, resolution_end)
    resolution = calendar.business_time_between(sr.created_at, resolution_end) - paused
    return Measured(
        sr=sr,
        first_response_elapsed=calendar.business_time_between(sr.created_at, first_end),
        resolution_elapsed=max(resolution, timedelta(0)),
        first_response_breached=sr.first_response_breached(now),
        resolution_breached=sr.resolution_breached(now),
    )
