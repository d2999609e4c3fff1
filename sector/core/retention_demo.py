"""Demo retention periods and a hold (issue 16 item 5). Every figure here is marked as a demo figure, not a
retention fact: the portal ships no retention period; WSP's records officer and AOC set the real ones."""

from django.utils import timezone

from .formatting import PACIFIC
from .models import HoldKind, RecordHold, RetentionPeriod
from .retention import record_classes

DEMO_AUTHORITY = "DEMO FIGURE: not a retention schedule. The records officer replaces it with the real item."
DEMO_YEARS = {"citations.ticket": 3, "feed.feedexception": 1, "core.auditentry": 6, "collisions.accesslog": 6}


def seed_retention(*, stdout=None) -> None:
    from django.contrib.auth import get_user_model

    wsp = get_user_model().objects.filter(username="wsp").first()
    now = timezone.now()
    made = 0
    for rc in record_classes:
        if rc.key in DEMO_YEARS and not RetentionPeriod.objects.filter(record_class=rc.key).exists():
            RetentionPeriod.objects.create(
                record_class=rc.key, years=DEMO_YEARS[rc.key], authority=DEMO_AUTHORITY, demo=True, set_by=None,
                set_at=now,
            )  # fmt: skip
            made += 1
    if wsp is not None and not RecordHold.objects.exists():
        year = now.astimezone(PACIFIC).year - 1
        RecordHold.objects.create(
            record_class="core.auditentry", object_id=str(year), label=f"Audit log, year {year} (demo)",
            kind=HoldKind.LEGAL, reference="Demo: Thurston County Superior Court 26-2-00000-34", placed_by=wsp,
            placed_at=now,
        )  # fmt: skip
    if stdout:
        stdout.write(f"  {made} demo retention periods (marked as demo figures)")
