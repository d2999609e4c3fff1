"""What operators and their tools call: /metrics (Prometheus) and /readyz, each behind the METRICS_TOKEN
bearer credential (not a user's session: a scraper has no account). With no token set both are off (404)."""

import hmac
import logging
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .housekeeping import heartbeat_age_seconds

logger = logging.getLogger(__name__)


def _authorized(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        raise Http404
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, presented = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(presented.strip().encode(), token.encode())


def _unauthorized() -> JsonResponse:
    response = JsonResponse({"error": "Authorization: Bearer <METRICS_TOKEN> is required."}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="sector-ops"'
    return response


def render_metrics() -> bytes:
    """django-prometheus's process metrics (all gunicorn workers when PROMETHEUS_MULTIPROC_DIR is set) and
    the business gauges (read from the database once per scrape, so one worker's answer is everyone's)."""
    import os

    from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess

    from .metrics import BusinessCollector

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    business = CollectorRegistry(auto_describe=False)
    business.register(BusinessCollector())
    return generate_latest(process) + generate_latest(business)


@login_not_required
@never_cache
@require_GET
def metrics(request):
    if not _authorized(request):
        return _unauthorized()
    from prometheus_client import CONTENT_TYPE_LATEST

    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)


def _check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def _check_migrations() -> str | None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return f"{len(plan)} migrations not applied" if plan else None


def _check_broker() -> str | None:
    if not getattr(settings, "BROKER_CONFIGURED", False):
        return None if settings.DEBUG or settings.CELERY_TASK_ALWAYS_EAGER else "no broker configured"
    from celery import current_app

    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


def _check_storage() -> str | None:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ready"))
    try:
        if not default_storage.exists(name):
            return "a probe file written to storage cannot be found"
    finally:
        default_storage.delete(name)
    return None


def _check_beat() -> str | None:
    age = heartbeat_age_seconds()
    limit = settings.BEAT_HEARTBEAT_MAX_AGE_SECONDS
    if age is None:
        return "the beat has never run"
    if age > limit:
        return f"the beat's last heartbeat was {int(age)} s ago (limit {limit} s)"
    return None


CHECKS = {
    "database": _check_database,
    "migrations": _check_migrations,
    "broker": _check_broker,
    "storage": _check_storage,
    "beat": _check_beat,
}


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Ready to take traffic: database, migrations applied, broker, storage and the beat's heartbeat.
    503 names the checks that failed (no details beyond that: the logs have them)."""
    if not _authorized(request):
        return _unauthorized()
    results = {}
    for name, check in CHECKS.items():
        try:
            problem = check()
        except Exception as exc:  # noqa: BLE001 - any failure of a dependency means not ready
            logger.warning("readiness: %s failed: %s", name, type(exc).__name__)
            problem = f"unavailable ({type(exc).__name__})"
        results[name] = "ok" if problem is None else problem
    ready = all(v == "ok" for v in results.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)
