"""Background work: email the notices with their PDF letters. Tasks take ids and are idempotent."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from sector.core.pdf import render_pdf

from .models import CourtNotice, ProsecutorNotice


def _letter_context(survey, **extra) -> dict:
    return {
        "survey": survey,
        "agency": survey.onboarding.agency,
        "courts": list(survey.courts.order_by("name")),
        "today": timezone.localdate(),
        **extra,
    }


def court_letter_pdf(notice: CourtNotice) -> bytes:
    return render_pdf(
        "onboarding/pdf/notice_letter.html", _letter_context(notice.survey, notice=notice, addressee=notice.court.name)
    )


def prosecutor_letter_pdf(notice: ProsecutorNotice) -> bytes:
    return render_pdf(
        "onboarding/pdf/notice_letter.html",
        _letter_context(notice.survey, notice=notice, addressee=f"{notice.name}, {notice.office}", prosecutor=True),
    )


def _send(subject_template, body_template, context, to, filename, pdf) -> None:
    subject = "".join(render_to_string(subject_template, context).splitlines()).strip()
    message = EmailMessage(
        subject=subject, body=render_to_string(body_template, context), from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    message.attach(filename, pdf, "application/pdf")
    message.send()


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=120)
def send_court_notice_task(self, notice_id: int):
    notice = CourtNotice.objects.select_related("survey__onboarding__agency", "court").filter(pk=notice_id).first()
    if notice is None or notice.emailed_at is not None:
        return
    if notice.recipients:
        context = _letter_context(notice.survey, notice=notice, addressee=notice.court.name)
        try:
            _send(
                "onboarding/email/court_notice_subject.txt",
                "onboarding/email/court_notice.txt",
                context,
                list(notice.recipients),
                f"sector-notice-{notice.survey.onboarding.agency.ori}-{notice.court.code}.pdf",
                court_letter_pdf(notice),
            )
        except OSError as exc:
            raise self.retry(exc=exc) from exc
    CourtNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())


@shared_task(bind=True, acks_late=True, max_retries=5, default_retry_delay=120)
def send_prosecutor_notice_task(self, notice_id: int):
    from .notices.services import ack_expires_on, ack_url

    notice = ProsecutorNotice.objects.select_related("survey__onboarding__agency").filter(pk=notice_id).first()
    if notice is None or notice.emailed_at is not None:
        return
    context = _letter_context(
        notice.survey, notice=notice, ack_url=ack_url(notice), expires_on=ack_expires_on(notice), prosecutor=True
    )
    try:
        _send(
            "onboarding/email/prosecutor_notice_subject.txt",
            "onboarding/email/prosecutor_notice.txt",
            context,
            [notice.email],
            f"sector-notice-{notice.survey.onboarding.agency.ori}-prosecutor.pdf",
            prosecutor_letter_pdf(notice),
        )
    except OSError as exc:
        raise self.retry(exc=exc) from exc
    ProsecutorNotice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())


@shared_task
def resend_unsent_notices_task():
    """The periodic sweep: a notice whose task was lost (broker down at submit) is sent again."""
    cutoff = timezone.now() - timedelta(minutes=10)
    for pk in CourtNotice.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True):
        send_court_notice_task.delay(pk)
    for pk in ProsecutorNotice.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        send_prosecutor_notice_task.delay(pk)
