"""The court counter: scan a defendant's driver license and see their tickets at this court.

The scanned string arrives by POST only, is parsed in memory and dropped: it is never put in the URL, the
session, a message, the audit log or an error report (`sensitive_post_parameters`), and the page never
echoes it back. The answer is rendered to the POST (no redirect, so nothing has to be carried over).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from sector.core.permissions import require_perm

from . import aamva
from .choices import COUNTER_MATCHES
from .counter import counter_lookup_logged, counter_tickets

PERM = "citations.process_ticket"
MAX_SCAN_CHARS = 4000  # a full-size PDF417 holds under 2,000 characters; anything longer is not a license


@sensitive_post_parameters("scan")
@never_cache
@require_http_methods(["GET", "POST"])
def counter(request):
    require_perm(request.user, PERM)
    context: dict = {"scan": None, "tickets": None, "error": "", "cap": COUNTER_MATCHES}
    if settings.DEBUG:  # `make run`: a sample license to try the lookup without a scanner
        from .demo import DEMO_SCAN

        context["demo_scan"] = DEMO_SCAN
    if request.method == "POST":
        text = request.POST.get("scan", "")
        try:
            if len(text) > MAX_SCAN_CHARS:
                raise aamva.ScanError(
                    "That scan is far longer than a driver license barcode. Clear the field and scan again."
                )
            scan = aamva.parse(text)
        except aamva.ScanError as exc:
            context["error"] = str(exc)
        else:
            tickets = list(counter_tickets(user=request.user, scan=scan))
            counter_lookup_logged(actor=request.user, scan=scan, matches=len(tickets))
            context.update(scan=scan, tickets=tickets)
        del text
    return render(request, "courts/counter.html", context)
