"""Home-page panels: the pipeline for the statewide roles, the own agency's checklist, a court's decisions."""

from __future__ import annotations

from sector.accounts.roles import STATEWIDE_ROLES
from sector.core.permissions import user_scope

from .checklist import selectors, services
from .choices import Readiness, Stage
from .models import AgencyOnboarding, CourtNotice


def onboarding_panel(request):
    user = request.user
    scope = user_scope(user)
    if user.is_superuser or scope.roles & STATEWIDE_ROLES:
        counts = selectors.stage_counts(user=user)
        return {
            "template": "onboarding/panels/pipeline.html",
            "stages": [(v, label, counts.get(v, 0)) for v, label in Stage.choices],
            "total": sum(counts.values()),
            "overdue": selectors.overdue_steps(user=user, limit=8),
            "pending_courts": CourtNotice.objects.restrict(user).filter(decision=Readiness.PENDING).count(),
        }
    if scope.agency_ids and user.has_perm("onboarding.view_agencyonboarding"):
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
    if scope.court_ids and user.has_perm("onboarding.view_courtnotice"):
        pending = CourtNotice.objects.restrict(user).filter(decision=Readiness.PENDING).count()
        return {"template": "onboarding/panels/court.html", "width": "col-md-6", "pending": pending}
    return None
