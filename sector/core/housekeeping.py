"""Housekeeping the beat runs: its own heartbeat, expired sessions, old django-axes lockout records.

Each is idempotent and safe to run twice at once (a second run finds nothing left to do)."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)

BEAT = "beat"


def beat_heartbeat(*, name: str = BEAT) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def heartbeat_age_seconds(*, name: str = BEAT) -> float | None:
    """Seconds since the last heartbeat, or None when there has never been one."""
    beat_at = Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    return None if beat_at is None else max(0.0, (timezone.now() - beat_at).total_seconds())


def clear_expired_sessions() -> int:
    """Delete the database sessions past their expiry (what `manage.py clearsessions` does), counting them."""
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    if deleted:
        logger.info("housekeeping: %d expired sessions deleted", deleted)
    return deleted


def purge_lockout_records() -> int:
    """Delete axes attempts whose cool-off is over (they no longer lock anyone) and sign-in logs and failure
    records older than AXES_LOG_RETENTION_DAYS."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = timezone.now()
    cooled = now - settings.AXES_COOLOFF_TIME
    kept = now - timedelta(days=settings.AXES_LOG_RETENTION_DAYS)
    total = AccessAttempt.objects.filter(attempt_time__lt=cooled).delete()[0]
    total += AccessLog.objects.filter(attempt_time__lt=kept).delete()[0]
    total += AccessFailureLog.objects.filter(attempt_time__lt=kept).delete()[0]
    if total:
        logger.info("housekeeping: %d old lockout records deleted", total)
    return total
