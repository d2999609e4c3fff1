"""WSP support's list of custody-chain hops missing past their expected time (issue 16)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sector.core.pagination import keyset_page
from sector.core.permissions import require_perm

from .registry import overdue_hops

PAGE_SIZE = 50
COUNT_CAP = 100


@require_GET
def overdue_list(request):
    """One tab per kind of hop the user may see; each tab a keyset page (one query) and each tab's count capped
    (one query each, stopping at COUNT_CAP), so the page costs the same however large the backlog is."""
    require_perm(request.user, "feed.view_batch")  # a feed screen: WSP support (each tab also needs its records' perm)
    sources = [s for s in overdue_hops if request.user.has_perm(s.perm)]
    if not sources:
        raise PermissionDenied
    now = timezone.now()
    current = next((s for s in sources if s.key == request.GET.get("hop")), sources[0])
    tabs = []
    for s in sources:
        n = s.queryset(request.user, now).order_by()[: COUNT_CAP + 1].count()
        tabs.append({"source": s, "count": min(n, COUNT_CAP), "more": n > COUNT_CAP, "current": s is current})
    page = keyset_page(
        current.queryset(request.user, now), order=current.order, cursor=request.GET.get("cursor"), size=PAGE_SIZE
    )
    rows = [current.row(obj) for obj in page]
    return render(
        request,
        "feed/overdue_hops.html",
        {"tabs": tabs, "current": current, "page": page, "rows": rows, "now": now},
    )
