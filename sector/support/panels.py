"""The support panel on the home page: WSP sees its queue's state, an organization its own open requests."""

from django.utils import timezone

from .models import SupportRequest
from .services import is_support_agent


def support_panel(request):
    user = request.user
    if not user.has_perm("support.view_supportrequest"):
        return None
    qs = SupportRequest.objects.restrict(user)
    now = timezone.now()
    if is_support_agent(user):
        open_qs = qs.open()
        return {
            "template": "support/panels/support.html",
            "width": "col-md-6",
            "agent": True,
            "new": open_qs.filter(status="new").count(),
            "open": open_qs.count(),
            "breached": open_qs.breached(now).count(),
            "mine": open_qs.filter(assignee=user).count(),
        }
    return {
        "template": "support/panels/support.html",
        "width": "col-md-6",
        "agent": False,
        "can_raise": user.has_perm("support.add_supportrequest"),
        "open": qs.open().count(),
        "waiting": qs.filter(status="waiting").count(),
        "recent": list(qs.select_related("priority").order_by("-created_at", "-id")[:3]),
    }
