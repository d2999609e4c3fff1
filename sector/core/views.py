import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sector.accounts.roles import ROLES
from sector.accounts.selectors import organisations_for

from .registry import home_panels

logger = logging.getLogger(__name__)


@require_GET
def home(request):
    """Each role's home: who you are, the organizations you act for, and the work waiting for you."""
    roles = [ROLES[name] for name in sorted(request.user.role_names) if name in ROLES]
    panels = []
    for func in home_panels:
        panel = func(request)
        if panel:
            panels.append(panel)
    return render(
        request,
        "core/home.html",
        {"roles": roles, "organisations": organisations_for(request.user), "panels": panels},
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For the load balancer: the app answers and its database does too. Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or the session may be what failed.
    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request_id": getattr(request, "id", "")}), status=500)
