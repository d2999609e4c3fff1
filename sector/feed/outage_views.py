"""The outage burn-down for WSP support and AOC (issue 16 item 4): a full page, and the fragment htmx polls."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from sector.core.permissions import require_perm

from .outages import burndown, outages_sync


def _context(request):
    require_perm(request.user, "feed.view_outage")
    outages_sync()  # idempotent: the page is never staler than the beat's last minute
    return {"b": burndown(user=request.user)}


@require_GET
def burndown_page(request):
    return render(request, "feed/burndown/page.html", _context(request))


@require_GET
def burndown_live(request):
    return render(request, "feed/burndown/_live.html", _context(request))
