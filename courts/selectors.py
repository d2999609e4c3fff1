"""Reads the clerk screens share: the intake queue, a ticket's warnings, the clerk's dashboard figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Right, TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone

from citations.models import Ticket, TicketQuerySet
from citations.rules import search_key
from sector.accounts.models import User
from sector.core.permissions import organizations_with

QUEUE_ORDER = ("queue_rank", "queue_at", "id")
# The orders a clerk may pick (column headers). Each is a keyset order with an index behind it for one court
# (ticket_court_*_idx); the appearance order lists only tickets that have an appearance set.
SORTS = {
    "": QUEUE_ORDER,
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
    "appearance": ("appearance_at", "id"),
    "defendant": ("defendant_last_name", "defendant_first_name", "id"),
}
COUNT_CAP = 1000
LIST_FIELDS = (
    "id", "ticket_number", "kind", "status", "needs_clerk", "issued_at", "received_at", "late", "juvenile",
    "defendant_last_name", "defendant_first_name", "defendant_dob", "licence_number", "amendment_pending",
    "void_requested", "in_custody", "appearance_at", "queue_rank", "queue_at", "case_number", "court_id", "agency_id",
    "agency__name", "agency__ori", "court__code", "court__name", "filing_date", "deadline_at", "transferred_from_id",
    "appearance_warning",
)  # fmt: skip


def user_court_ids(user: User) -> list[int] | None:
    """The courts whose tickets the user works as a clerk (the policy's `process` action), or None where a
    statewide role or an administrator does so for every court."""
    ids = organizations_with(user, "citations.process_ticket", "court")
    return None if ids is None else list(ids)


def court_tickets(user: User) -> TicketQuerySet:
    """Tickets at the user's courts (statewide roles and administrators: every court)."""
    ids = user_court_ids(user)
    qs = Ticket.objects.all()
    return qs if ids is None else qs.filter(court_id__in=ids)


def sent_away_tickets(user: User) -> QuerySet[Ticket]:
    """Tickets the user's courts transferred to another court: still findable there, read only."""
    ids = user_court_ids(user)
    return Ticket.objects.none() if ids is None else Ticket.objects.filter(transferred_from_id__in=ids)


def intake_queue(*, user: User, filters: dict[str, Any]) -> TicketQuerySet:
    """The queue as filtered. A search looks through every status (unless one is picked) and also finds the
    tickets the user's courts transferred away; without a search the list is the court's own work."""
    q = (filters.get("q") or "").strip()
    ids = user_court_ids(user)
    qs = Ticket.objects.all()
    if ids is not None:
        qs = qs.filter(Q(court_id__in=ids) | Q(transferred_from_id__in=ids)) if q else qs.filter(court_id__in=ids)
    qs = qs.select_related("agency", "court").only(*LIST_FIELDS)
    court = filters.get("court")
    if court:
        qs = qs.filter(court_id=court)
    status = filters.get("status")
    if status == "all" or (q and not status):
        pass
    elif status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(needs_clerk=True)
    if filters.get("agency"):
        qs = qs.filter(agency_id=filters["agency"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("issued_from"):
        qs = qs.filter(issued_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        qs = qs.filter(issued_at__date__lte=filters["issued_to"])
    if filters.get("late") == "yes":
        qs = qs.filter(late=True)
    elif filters.get("late") == "no":
        qs = qs.filter(late=False)
    if filters.get("amendment"):
        qs = qs.filter(Q(amendment_pending=True) | Q(void_requested=True))
    if filters.get("appearance"):
        qs = qs.exclude(appearance_warning="")
    if filters.get("sort") == "appearance":
        qs = qs.filter(appearance_at__isnull=False)
    if q:
        qs = qs.filter(search_q(q))
    return qs


def count_upto(qs: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows match, counted up to `cap` (one query that stops there): (count, more than cap)."""
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap


def search_q(q: str) -> Q:
    """One box for what a clerk has in hand: ticket number, case number, agency case number, plate, full license
    number or its last four, or a defendant's name as "LAST, FIRST" or "First Last" (prefixes, any case).

    Every branch of the OR is an index (citations migrations 0001 and 0004), so PostgreSQL answers it with a
    BitmapOr however many tickets there are."""
    upper = " ".join(q.upper().split())
    key = search_key(upper)
    cond = (
        Q(ticket_number=upper)
        | Q(case_number=upper)
        | Q(licence_number__in=sorted({upper, key}))
        | Q(agency_case_number=key[:60])
        | Q(plate=key[:12])
    )
    if len(key) == 4:
        cond |= Q(Exact(Right("licence_number", 4), key))
    if any(ch.isdigit() for ch in upper):
        return cond
    if "," in upper:
        last, first = (p.strip() for p in upper.split(",", 1))
        name = Q(defendant_last_name__istartswith=last)
        if first:
            name &= Q(defendant_first_name__istartswith=first)
        return cond | name
    cond |= Q(defendant_last_name__istartswith=upper)
    if " " in upper:
        # "First Last" (or "LAST FIRST" without the comma): both readings; a multi-word last name is covered above.
        a, b = upper.split(" ", 1)
        cond |= Q(defendant_first_name__istartswith=a, defendant_last_name__istartswith=b)
        cond |= Q(defendant_last_name__istartswith=a, defendant_first_name__istartswith=b)
    return cond


def next_in_queue(*, user: User, ticket: Ticket) -> Ticket | None:
    """The record after `ticket` in queue order among those waiting for the clerk at the user's courts, wrapping
    to the top when it was the last one: one query, two index-backed LIMIT 1 branches (UNION ALL), so the ticket
    page's query count does not depend on where the ticket stands in the queue."""
    from django.db.models import F, IntegerField, Value
    from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan

    queue = court_tickets(user).filter(needs_clerk=True).exclude(pk=ticket.pk).order_by(*QUEUE_ORDER).only("id")
    position = (ticket.queue_rank, ticket.queue_at, ticket.id)
    after = queue.filter(TupleGreaterThan(Tuple(*[F(n) for n in QUEUE_ORDER]), position))
    after = after.annotate(pick=Value(0, output_field=IntegerField()))[:1]
    top = queue.annotate(pick=Value(1, output_field=IntegerField()))[:1]
    found = sorted(after.union(top, all=True), key=lambda t: t.pick)
    return found[0] if found else None


def ticket_warnings(ticket: Ticket) -> list[dict[str, Any]]:
    """Duplicate (same number elsewhere) and possible-match (same defendant, about the same time) warnings."""
    out = []
    for other in (
        Ticket.objects.filter(ticket_number=ticket.ticket_number)
        .exclude(pk=ticket.pk)
        .select_related("agency", "court")
        .only("id", "ticket_number", "agency__name", "court__code", "status")[:10]
    ):
        out.append(
            {
                "code": "same_number",
                "ticket": other,
                "message": f"{other.agency.name} also sent number {other.ticket_number}.",
            }
        )
    if ticket.defendant_last_name:
        window = timedelta(minutes=30)
        similar = (
            Ticket.objects.filter(
                defendant_last_name__iexact=ticket.defendant_last_name,
                issued_at__range=(ticket.issued_at - window, ticket.issued_at + window),
            )
            .exclude(pk=ticket.pk)
            .exclude(ticket_number=ticket.ticket_number)
        )
        if ticket.defendant_dob:
            similar = similar.filter(defendant_dob=ticket.defendant_dob)
        for other in similar.select_related("agency").only("id", "ticket_number", "agency__name", "issued_at")[:10]:
            out.append(
                {
                    "code": "possible_match",
                    "ticket": other,
                    "message": f"Same defendant within 30 minutes: {other.ticket_number} ({other.agency.name}).",
                }
            )
    return out


DAILY_CACHE_SECONDS = 60


def _daily_counts(qs: QuerySet[Ticket], start: datetime, user: User) -> dict[date, int]:
    """Tickets received per local day since `start`, cached for a minute per set of courts: the chart
    does not need to be fresher than that, and clerks reload the queue often."""
    ids = user_court_ids(user)
    key = f"courts:daily:{start:%Y%m%d}:{'all' if ids is None else sorted(ids)}"
    counts = cache.get(key)
    if counts is None:
        rows = (
            qs.filter(received_at__gte=start)
            .annotate(day=TruncDate("received_at"))
            .values("day")
            .annotate(n=Count("id"))
        )
        counts = {r["day"]: r["n"] for r in rows.order_by("day")}
        cache.set(key, counts, DAILY_CACHE_SECONDS)
    return counts


def _pending_figures(qs: QuerySet[Ticket], user: User) -> dict[str, Any]:
    """Pending, late and appearance-to-check counts and the oldest pending ticket, cached like the chart.

    At 1,000,000 tickets a court with 70,000 pending spent 55-80 ms counting them from the queue index on every
    view of the queue (issue 15, EXPLAIN ANALYZE): the figures at a glance are now at most DAILY_CACHE_SECONDS
    old (the page says as of when); the list below them is always live."""
    ids = user_court_ids(user)
    key = f"courts:pending:{'all' if ids is None else sorted(ids)}"
    figures = cache.get(key)
    if figures is None:
        figures = qs.filter(needs_clerk=True).aggregate(
            pending=Count("id"),
            late=Count("id", filter=Q(late=True)),
            appearance=Count("id", filter=~Q(appearance_warning="")),
            oldest=Min("received_at"),
        )
        figures["as_of"] = timezone.now()
        cache.set(key, figures, DAILY_CACHE_SECONDS)
    return dict(figures)


def clerk_dashboard(user: User) -> dict[str, Any]:
    """Two index-backed queries, none scanning a court's whole history, each cached for a minute: the last
    fourteen days by (court, received_at), the pending figures from the queue's needs_clerk index."""
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - timedelta(days=today.weekday())
    chart_start = today - timedelta(days=13)
    qs = court_tickets(user)
    figures = _pending_figures(qs, user)
    by_day = _daily_counts(qs, chart_start, user)
    days = [(today - timedelta(days=i)).date() for i in range(13, -1, -1)]
    # The week starts at most six days back, inside the chart's fourteen: both figures come from it.
    figures["today"] = by_day.get(today.date(), 0)
    figures["week"] = sum(n for day, n in by_day.items() if day >= week.date())
    figures["chart"] = {"labels": [d.strftime("%b %d") for d in days], "values": [by_day.get(d, 0) for d in days]}
    return figures
