"""Mail helper: render now, store in the durable mail outbox, send through Celery after commit; and the one
switch that mutes it.

The outbox (`OutgoingMail`) row is written in the caller's transaction, so a rolled-back change sends
nothing and a committed one is never lost: if the broker is down at commit the beat's `mail_sweep` publishes
it later. Sending takes a lease with one conditional UPDATE (two workers never send one row at the same
time) and marks the row sent; an SMTP failure backs off (`MAIL_BACKOFF_SECONDS` · 2^attempts, at most an hour).

Every email of the portal goes through `send_templated_mail`, so `muted()` silences them all: `seed_demo`
runs every demo seeder inside it, and demo history (returned reports, support replies, notices) tells
nobody without each seeder or service having to be asked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .jobs import enqueue
from .models import OutgoingMail
from .tasks import send_outgoing_mail_task

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)

_muted: ContextVar[bool] = ContextVar("sector_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No email is sent inside the block (work that is mailed later, such as notices, asks `is_muted`)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def send_templated_mail(
    *, to: list[str], subject_template: str, body_template: str, context: dict, html_template: str | None = None
) -> None:
    if is_muted():
        return
    subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
    body = render_to_string(body_template, context)
    html = render_to_string(html_template, context) if html_template else None
    mail_queue(subject=subject, body=body, to=list(to), html=html)


def mail_queue(*, subject: str, body: str, to: list[str], html: str | None = None) -> OutgoingMail:
    """Store one email in the outbox (in the caller's transaction) and publish its send after commit."""
    now = timezone.now()
    row = OutgoingMail.objects.create(
        subject=subject[:998], body=body, html=html or "", to=list(to), created_at=now, next_attempt_at=now
    )
    enqueue(send_outgoing_mail_task, row.pk)
    return row


def outgoing_mail_send(*, mail_id: int) -> str:
    """Send one stored email if it is unsent, due and free: sent, retry or skipped."""
    now = timezone.now()
    free = Q(lease_expires__isnull=True) | Q(lease_expires__lt=now)
    taken = OutgoingMail.objects.filter(free, pk=mail_id, sent_at__isnull=True, next_attempt_at__lte=now).update(
        lease_expires=now + LEASE
    )
    if not taken:
        return "skipped"
    row = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(subject=row.subject, body=row.body, to=list(row.to))
    if row.html:
        message.attach_alternative(row.html, "text/html")
    try:
        message.send()
    except OSError as exc:  # SMTP connection problems: back off, the sweep publishes it when due
        delay = min(float(getattr(settings, "MAIL_BACKOFF_SECONDS", 60)) * 2**row.attempts, 3600.0)
        OutgoingMail.objects.filter(pk=row.pk).update(
            attempts=row.attempts + 1,
            last_error=str(exc)[:2000],
            lease_expires=None,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
        )
        logger.warning("mail %s not sent (%s); retrying in %.0f s", row.pk, type(exc).__name__, delay)
        return "retry"
    OutgoingMail.objects.filter(pk=row.pk).update(
        sent_at=timezone.now(), attempts=row.attempts + 1, lease_expires=None, last_error=""
    )
    return "sent"


def mail_sweep(*, limit: int = 1000) -> int:
    """Publish a send for every unsent email that is due and free (lost task, broker outage, SMTP backoff).
    A row younger than MAIL_SWEEP_GRACE_SECONDS (30) is left to the task its request published."""
    now = timezone.now()
    grace = timedelta(seconds=float(getattr(settings, "MAIL_SWEEP_GRACE_SECONDS", 30)))
    ids = list(
        OutgoingMail.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now - grace)
        .filter(Q(lease_expires__isnull=True) | Q(lease_expires__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        send_outgoing_mail_task.apply_async(args=[pk])
    return len(ids)
