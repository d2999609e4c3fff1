"""Home-page panels: the pipeline for the statewide roles, the own agency's checklist, a court's decisions."""

from __future__ import annotations

from sector.core.permissions import organizations_with

from .checklist import selectors, services
from .choices import Readiness, Stage
from .models import AgencyOnboarding, CourtNotice


def onboarding_panel(request):
    user = request.user
    agencies = organizations_with(user, "onboarding.view_agencyonboarding", "agency")
    if agencies is None:  # the policy lets the user see every agency's onboarding
        counts = selectors.stage_counts(user=user)
        return {
            "template": "onboarding/panels/pipeline.html",
            "stages": [(v, label, counts.get(v, 0)) for v, label in Stage.choices],
            "total": sum(counts.values()),
            "overdue": selectors.overdue_steps(user=user, limit=8),
            "pending_courts": CourtNotice.objects.restrict(user).filter(decision=Readiness.PENDING).count(),
        }
    if agencies:
        onboarding = (
            AgencyOnboarding.objects.restrict(user).select_related("agency").order_by("agency_name", "id").first()
        )
        if onboarding is None:
            return None
        steps = selectors.checklist(onboarding)
        return {
            "template": "onboarding/panels/agency.html",
            "width": "col-md-6",
            "onboarding": onboarding,
            "done": sum(1 for s in steps if s.is_done),
            "blockers": services.go_live_blockers(onboarding, steps)[:4],
        }
    if organizations_with(user, "onboarding.view_courtnotice", "court"):
        pending = CourtNotice.objects.restrict(user).filter(decision=Readiness.PENDING).count()
        return {"template": "onboarding/panels/court.html", "width": "col-md-6", "pending": pending}
    return None
