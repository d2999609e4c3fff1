"""A collision report's custody chain: signed by the officer, sent by the Back Office, received by the portal,
reviewed and approved at the agency, delivered to and acknowledged by each destination (DOT, DOL). Built from
what the report page already loads (the report, its versions, its outbox deliveries): no query of its own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from sector.core.custody import Hop, after, hop
from sector.core.formatting import PACIFIC
from sector.feed.choices import DELIVERY_ACK_EXPECTED_HOURS
from sector.feed.outbox_models import DeliveryStatus

from .choices import AWAITING, ReportStatus
from .deadlines import review_due

if TYPE_CHECKING:
    from sector.feed.outbox_models import Delivery

    from .models import CollisionReport, CollisionVersion


def review_expected_by(queued_at: datetime | None) -> datetime | None:
    """The end of the review's last day (10 state business days, collisions.deadlines)."""
    if queued_at is None:
        return None
    return datetime.combine(review_due(queued_at).day, time(23, 59), tzinfo=PACIFIC)


def delivery_expected_by(created_at: datetime | None) -> datetime | None:
    return after(created_at, timedelta(hours=DELIVERY_ACK_EXPECTED_HOURS))


def _ack(delivery: Delivery) -> str:
    if delivery.status != DeliveryStatus.DELIVERED:
        tries = f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
        if delivery.status == DeliveryStatus.FAILED:
            return f"Failed after {tries}; WSP support can retry it"
        return f"Not acknowledged yet ({tries})"
    answer = " ".join((delivery.ack or "").split())
    code = f"HTTP {delivery.last_status_code}" if delivery.last_status_code else "File written"
    return f"Acknowledged: {code}" + (f" — {answer[:80]}{'…' if len(answer) > 80 else ''}" if answer else "")


def report_chain(
    report: CollisionReport, versions: Sequence[CollisionVersion], deliveries: Sequence[Delivery]
) -> list[Hop]:
    now = timezone.now()
    first = min(versions, key=lambda v: v.version) if versions else None
    sent_by = report.source_system or "the sending system"
    hops = [
        hop(
            "Signed by the officer",
            at=(first.reported_at or first.occurred_at) if first else None,
            by=report.officer_name,
            optional=True,
        ),
        hop("Sent by the Back Office", at=first.sent_at if first else None, by=sent_by, optional=True),
        hop(
            "Received by the portal",
            at=report.received_at,
            by="SECTOR Program Portal",
            detail=f"Acknowledged to {sent_by} in the batch answer"
            + (f"; {len(versions)} versions" if len(versions) > 1 else ""),
        ),
    ]
    expected = review_expected_by(report.queued_at)
    if report.approved_at:
        who = report.approved_by.get_full_name() or report.approved_by.username if report.approved_by else ""
        detail = f"Version {report.approved_version}"
        hops.append(hop("Approved by the agency", at=report.approved_at, by=who, detail=detail, expected_by=expected))
    elif report.status == ReportStatus.RETURNED:
        detail = "Returned to the officer for a correction"
        hops.append(hop("Approved by the agency", at=None, optional=True, detail=detail))
    elif report.status in AWAITING:
        detail = "In the agency's review queue"
        hops.append(hop("Approved by the agency", at=None, expected_by=expected, detail=detail, now=now))
    for d in sorted(deliveries, key=lambda d: (d.created_at, d.id)):
        hops.append(
            hop(
                f"Delivered to {d.destination.name}",
                at=d.delivered_at,
                by=d.destination.name if d.delivered_at else "",
                detail=_ack(d),
                expected_by=delivery_expected_by(d.created_at),
                now=now,
            )
        )
    return hops


# --- the overdue list on the feed screens -----------------------------------------------------------------


def _overdue_reviews(user, now):
    from .deadlines import overdue_before
    from .models import CollisionReport

    return (
        CollisionReport.objects.restrict(user)
        .filter(status__in=list(AWAITING), queued_at__lt=overdue_before(now))
        .select_related("agency")
        .only("id", "report_number", "queued_at", "status", "agency__name")
    )


def _overdue_row(r):
    from sector.feed.registry import OverdueRow

    return OverdueRow(
        record=f"Collision report {r.report_number}",
        url=r.get_absolute_url(),
        where=f"{r.agency.name} ({r.get_status_display().lower()})",
        since=r.queued_at,
        expected_by=review_expected_by(r.queued_at),
    )


def overdue_source():
    from sector.feed.registry import OverdueSource

    return OverdueSource(
        key="reviews",
        label="Reports not approved",
        hop="Reviewed and approved by the agency",
        expectation="10 business days after the report entered the agency's review queue",
        queryset=_overdue_reviews,
        order=("queued_at", "id"),
        row=_overdue_row,
        perm="collisions.view_collisionreport",
    )
