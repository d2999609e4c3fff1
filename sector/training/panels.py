"""Home-page panel: upcoming events with seats left, and (statewide) training coverage of agencies."""

from __future__ import annotations

from django.utils import timezone

from sector.core.permissions import organizations_with
from sector.orgs.models import Person

from .choices import EventKind, EventStatus
from .models import TrainingEvent, TrainingRecord
from .selectors import officer_coverage
from .services import seats_taken


def training_panel(request):
    user = request.user
    if not user.has_perm("training.view_trainingevent"):
        return None
    events = list(
        TrainingEvent.objects.restrict(user)
        .filter(status=EventStatus.SCHEDULED, starts_at__gte=timezone.now())
        .order_by("starts_at", "id")[:5]
    )
    taken = seats_taken(events)
    rows = [{"e": e, "left": max(e.capacity - taken.get(e.pk, 0), 0)} for e in events]
    panel = {"template": "training/panels/training.html", "width": "col-md-6", "rows": rows}
    panel["me"] = Person.objects.filter(user=user).only("pk").first()
    if organizations_with(user, "onboarding.view_agencyonboarding", "agency") is None:  # every agency's
        rows = officer_coverage()
        panel["coverage"] = {
            "agencies": len(rows),
            "covered": sum(1 for row in rows if row.covered or row.step_done),
            "officers": TrainingRecord.objects.filter(kind=EventKind.SANCTIONED).values("person").distinct().count(),
        }
    return panel
