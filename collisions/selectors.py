"""Reads the collision views share. Every one starts from the permission chokepoint (`restrict`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from sector.accounts.models import User
from sector.core.permissions import organizations_with
from sector.feed.versions import version_changes

from .choices import AWAITING, OVERDUE_AFTER, ReportStatus, Severity
from .models import CollisionReport, CollisionVersion, ReviewNote

LIST_FIELDS = (
    "id", "agency_id", "report_number", "status", "occurred_at", "location_text", "severity", "error_count",
    "warning_count", "queued_at", "claimed_by_id", "claim_expires", "returned_version", "version_kind",
    "review_version", "replaced_under_review", "officer_name", "author_id", "approved_at", "returned_at",
    "agency_case_number",
)  # fmt: skip
COUNT_CAP = 1000  # "25 of more than 1,000": an exact count past this costs more than it tells
QUEUE_ORDER = ("queued_at", "id")  # oldest waiting first: the queue's order and the order "claim next" takes


def own_reports_only(user: User) -> bool:
    """Whether every report the user sees is one they wrote (an officer's own-records role, no agency-wide role and
    no statewide one): their panel then speaks of "your reports", never of the agency's figures."""
    return organizations_with(user, "collisions.view_collisionreport", "agency", own=False) == []


def visible_reports(user: User) -> QuerySet[CollisionReport]:
    """The reports the user may view, from the policy (an officer: the ones they wrote)."""
    return CollisionReport.objects.restrict(user)


def name_variants(text: str) -> set[str]:
    """A name as typed in either order: 'DOE, JANE', 'Jane Doe' and 'Doe Jane' all find driver DOE JANE and
    officer Jane Doe (drivers are stored 'LAST FIRST', officers as SECTOR writes them, usually 'First Last')."""
    if "," in text:
        last, first = (" ".join(part.upper().split()) for part in text.split(",", 1))
        return {f"{last} {first}".strip(), f"{first} {last}".strip()} - {""}
    words = text.upper().split()
    return {" ".join(words), " ".join(words[-1:] + words[:-1])} - {""}


def filter_queue(qs: QuerySet[CollisionReport], *, q: str = "", severity: str = "") -> QuerySet[CollisionReport]:
    """The reviewer's search (report number, agency case number, officer or driver name) and severity filter:
    the same for the list and for "claim next", so the report claimed is the first one the list shows."""
    q = " ".join((q or "").split())
    if q:
        condition = Q(report_number__icontains=q) | Q(agency_case_number__icontains=q)
        for name in name_variants(q):
            condition |= Q(officer_name__icontains=name) | Q(driver_names__icontains=name)
        qs = qs.filter(condition)
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    return qs


def review_queue(
    *, user: User, agency_id: int, status: str = "awaiting", q: str = "", severity: str = ""
) -> QuerySet[CollisionReport]:
    qs = visible_reports(user).filter(agency_id=agency_id)
    if status == "awaiting":
        qs = qs.filter(status__in=AWAITING)
    elif status in ReportStatus.values:
        qs = qs.filter(status=status)
    qs = filter_queue(qs, q=q, severity=severity)
    return qs.select_related("claimed_by").only(
        *LIST_FIELDS, "claimed_by__username", "claimed_by__first_name", "claimed_by__last_name"
    )


def capped_count(qs: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """How many rows match, counting at most `cap` + 1 (one bounded query): (count, more than cap)."""
    cap = cap or COUNT_CAP
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def resubmission_changes(report: CollisionReport) -> dict[str, Any]:
    """What changed in the version under review since the version that was returned."""
    if not report.returned_version or report.returned_version == report.review_version:
        return {}
    raws = dict(
        CollisionVersion.objects.filter(
            report=report, version__in=[report.returned_version, report.review_version]
        ).values_list("version", "raw")
    )
    before, after = raws.get(report.returned_version), raws.get(report.review_version)
    if before is None or after is None:
        return {}
    changes = version_changes(before, after)
    if any(k.startswith("diagram.") for k in changes):
        changes = {k: v for k, v in changes.items() if not k.startswith("diagram.")} | {
            "diagram": ["(previous image)", "(new image)"]
        }
    return changes


def dashboard(*, user: User, days: int = 14) -> dict[str, Any]:
    """Queue size, age distribution, approvals and returns per day, returns by section (fixed query count), over
    the reports the user may view: an agency's for its LASA and reviewers, every one statewide, an officer's own."""
    now = timezone.now()
    base = visible_reports(user)
    notes = ReviewNote.objects.filter(report__in=base.values("pk"))
    buckets = [("Under 1 day", timedelta(0), timedelta(days=1)), ("1–3 days", timedelta(days=1), timedelta(days=3)),
               ("3–10 days", timedelta(days=3), OVERDUE_AFTER), ("Over 10 days", OVERDUE_AFTER, None)]  # fmt: skip
    aggregates = {
        "queue": Count("id", filter=Q(status__in=AWAITING)),
        "oldest": Min("queued_at", filter=Q(status__in=AWAITING)),
    }
    for i, (_label, low, high) in enumerate(buckets):
        cond = Q(status__in=AWAITING, queued_at__lte=now - low)
        if high is not None:
            cond &= Q(queued_at__gt=now - high)
        aggregates[f"b{i}"] = Count("id", filter=cond)
    agg = base.aggregate(**aggregates)
    since = now - timedelta(days=days)
    approvals = dict(
        base.filter(approved_at__gte=since)
        .annotate(day=TruncDate("approved_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    returns = dict(
        notes.filter(created_at__gte=since).annotate(day=TruncDate("created_at")).values("day")
        .annotate(n=Count("report_id", distinct=True)).values_list("day", "n")
    )  # fmt: skip
    by_section = list(notes.values("section").annotate(n=Count("id")).order_by("-n", "section"))
    today = timezone.localdate()
    day_list = [today - timedelta(days=d) for d in range(days - 1, -1, -1)]
    return {
        "queue": agg["queue"],
        "oldest": agg["oldest"],
        "ages": [(label, agg[f"b{i}"]) for i, (label, _, _) in enumerate(buckets)],
        "chart": {
            "labels": [d.isoformat() for d in day_list],
            "approved": [approvals.get(d, 0) for d in day_list],
            "returned": [returns.get(d, 0) for d in day_list],
        },
        "by_section": by_section,
    }
