"""Demo outage history for the burn-down (issue 16 item 4): DOL's exchange was down twice last month and the
Back Office feed went quiet one night. Idempotent; runs after the collisions demo made the destinations."""

from datetime import timedelta

from django.utils import timezone

from .outage_models import Outage, OutageKind
from .outbox_models import Destination


def seed_outages(*, stdout=None) -> None:
    if Outage.objects.exists():
        if stdout:
            stdout.write("  demo outages already recorded")
        return
    now = timezone.now().replace(second=0, microsecond=0)
    dol = Destination.objects.filter(code="DOL").first()
    dot = Destination.objects.filter(code="DOT").first()
    rows = []
    if dol is not None:
        start = now - timedelta(days=26, hours=5)
        rows.append(Outage(kind=OutageKind.DESTINATION, destination=dol, started_at=start,
                           ended_at=start + timedelta(hours=3, minutes=10),
                           cleared_at=start + timedelta(hours=3, minutes=52), peak_backlog=214))  # fmt: skip
        start = now - timedelta(days=9, hours=2)
        rows.append(Outage(kind=OutageKind.DESTINATION, destination=dol, started_at=start,
                           ended_at=start + timedelta(minutes=40), cleared_at=start + timedelta(minutes=48),
                           peak_backlog=37))  # fmt: skip
    if dot is not None:
        start = now - timedelta(days=3, hours=7)
        rows.append(Outage(kind=OutageKind.DESTINATION, destination=dot, started_at=start,
                           ended_at=start + timedelta(hours=1, minutes=5),
                           cleared_at=start + timedelta(hours=1, minutes=30), peak_backlog=88))  # fmt: skip
    start = now - timedelta(days=14, hours=10)
    rows.append(Outage(kind=OutageKind.FEED, system="WSP-BACKOFFICE", started_at=start,
                       ended_at=start + timedelta(hours=4, minutes=20), peak_backlog=612))  # fmt: skip
    Outage.objects.bulk_create(rows)
    if stdout:
        stdout.write(f"  {len(rows)} past outages")
