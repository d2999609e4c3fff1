from datetime import timedelta

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from .periodic import once_per_slot


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=60)
def send_email_task(self, *, subject: str, body: str, to: list[str], html: str | None = None, reply_to=None):
    """Send one email. Retries on a mail-server failure; the message is fully rendered before enqueueing."""
    message = EmailMultiAlternatives(subject=subject, body=body, to=to, reply_to=reply_to or None)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError as exc:  # SMTP connection problems
        raise self.retry(exc=exc) from exc


@shared_task(acks_late=True, ignore_result=True)
def send_outgoing_mail_task(mail_id: int) -> str:
    """Send one email of the durable mail outbox (sector.core.mail)."""
    from .mail import outgoing_mail_send

    return outgoing_mail_send(mail_id=mail_id)


@shared_task(ignore_result=True)
@once_per_slot("core.mail_sweep", period=timedelta(minutes=1))
def mail_sweep_task() -> int:
    """Beat, every minute: publish the unsent mail whose task was lost or whose retry is due."""
    from .mail import mail_sweep

    return mail_sweep()


@shared_task(acks_late=True)
@once_per_slot("core.throttle_sweep", period=timedelta(hours=1))
def throttle_sweep_task() -> int:
    """Forget rate-limit counters whose window ended a day ago (beat, hourly); idempotent."""
    from .throttle import throttle_sweep

    return throttle_sweep()


# ------------------------------------------------------------------ housekeeping on the beat schedule (issue 14)


@shared_task(ignore_result=True)
def beat_heartbeat_task() -> None:
    """Written every minute by the beat's schedule: its age on /metrics and /readyz says whether beat runs."""
    from .housekeeping import beat_heartbeat

    beat_heartbeat()


@shared_task(ignore_result=True)
@once_per_slot("core.clear_expired_sessions", period=timedelta(hours=1))
def clear_expired_sessions_task() -> int:
    from .housekeeping import clear_expired_sessions

    return clear_expired_sessions()


@shared_task(ignore_result=True)
@once_per_slot("core.purge_lockout_records", period=timedelta(hours=1))
def purge_lockout_records_task() -> int:
    from .housekeeping import purge_lockout_records

    return purge_lockout_records()


@shared_task(ignore_result=True)
@once_per_slot("core.ensure_log_partitions", period=timedelta(hours=24))
def ensure_log_partitions_task() -> list[str]:
    """This year's and the next two years' partitions of the audit and access logs (issue 16 item 5)."""
    from .partitions import ensure_year_partitions

    return ensure_year_partitions()
