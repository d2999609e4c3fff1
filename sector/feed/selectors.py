from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone

from .choices import ExceptionStatus
from .models import Batch, FeedException


def feed_health(*, hours: int = 24) -> dict:
    """Batches per hour, rejections by code, open exceptions (a handful of aggregate queries)."""
    since = timezone.now() - timedelta(hours=hours)
    per_hour = list(
        Batch.objects.filter(received_at__gte=since)
        .annotate(hour=TruncHour("received_at"))
        .values("hour")
        .annotate(n=Count("id"))
        .order_by("hour")
    )
    by_code: dict[str, int] = {}
    for codes, n in (
        FeedException.objects.filter(created_at__gte=since).values_list("codes").annotate(n=Count("id")).order_by()
    ):
        for code in codes.split():
            by_code[code] = by_code.get(code, 0) + n
    return {
        "per_hour": per_hour,
        "by_code": sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])),
        "open_exceptions": FeedException.objects.filter(status=ExceptionStatus.OPEN).count(),
        "batches": sum(p["n"] for p in per_hour),
        "hours": hours,
    }
