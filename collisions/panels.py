"""The home-page panel: what waits for the agency's collision review (reviewers, LASAs) or for the officer."""

from django.db.models import Count, Q
from django.utils import timezone

from .choices import AWAITING, ReportStatus
from .deadlines import overdue_before
from .selectors import own_reports_only, visible_reports


def review_panel(request):
    user = request.user
    if not user.has_perm("collisions.view_collisionreport"):
        return None
    now = timezone.now()
    counts = visible_reports(user).aggregate(
        waiting=Count("id", filter=Q(status__in=AWAITING)),
        overdue=Count("id", filter=Q(status__in=AWAITING, queued_at__lt=overdue_before(now))),
        mine=Count("id", filter=Q(status__in=AWAITING, claimed_by=user, claim_expires__gt=now)),
        returned=Count("id", filter=Q(status=ReportStatus.RETURNED)),
    )
    return {
        "template": "collisions/panels/review.html",
        "width": "col-md-6",
        "counts": counts,
        "officer": own_reports_only(user),
    }
