"""Background work: email the notices with their PDF letters. Tasks take ids and are idempotent."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from sector.core.documents import stored_pdf
from sector.core.periodic import once_per_slot

from .choices import LETTERHEAD
from .models import CourtNotice, ProsecutorNotice


def _letter_context(survey, *, notice, **extra) -> dict:
    return {
        "survey": survey,
        "agency": survey.onboarding.agency,
        "courts": list(survey.courts.order_by("name")),
        "dated": timezone.localdate(notice.created_at),  # the notice's day: the letter reads the same when reprinted
        "letterhead": LETTERHEAD,
        "signatory": _signatory(survey),
        "notice": notice,
        **extra,
    }


def _signatory(survey) -> dict:
    """Who signs for the agency: the survey's agency contact, else the person who submitted it."""
    if survey.contact_name:
        return {"name": survey.contact_name, "title": survey.contact_title}
    user = survey.submitted_by
    return {"name": user.get_full_name() or user.username, "title": user.title} if user else {"name": "", "title": ""}


def court_letter_context(notice: CourtNotice) -> dict:
    return _letter_context(
        notice.survey, notice=notice, addressee=f"The Clerk of the Court, {notice.court.name}", reply_by=notice.reply_by
    )


def court_letter_pdf(notice: CourtNotice) -> bytes:
    """The court's letter: rendered once (emailed and downloaded alike), again only if what it prints changes."""
    survey, agency = notice.survey, notice.survey.onboarding.agency
    return stored_pdf(
        "onboarding/pdf/notice_letter.html",
        record=notice,
        version=(
            notice.created_at,
            notice.reply_by,
            survey.submitted_at,
            survey.updated_at,
            agency.updated_at,
            notice.court.updated_at,
        ),  # fmt: skip
        context=lambda: court_letter_context(notice),
    )


def prosecutor_letter_pdf(notice: ProsecutorNotice) -> bytes:
    from .notices.services import ack_expires_on

    survey, agency = notice.survey, notice.survey.onboarding.agency
    reply_by = ack_expires_on(notice)
    return stored_pdf(
        "onboarding/pdf/notice_letter.html",
        record=notice,
        version=(
            notice.created_at,
            reply_by,
            notice.name,
            notice.office,
            survey.submitted_at,
            survey.updated_at,
            agency.updated_at,
        ),  # fmt: skip
        context=lambda: _letter_context(
            survey, notice=notice, addressee=f"{notice.name}, {notice.office}", prosecutor=True, reply_by=reply_by
        ),
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
        context = court_letter_context(notice)
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
@once_per_slot("onboarding.resend_unsent_notices", period=timedelta(minutes=15))
def resend_unsent_notices_task():
    """The periodic sweep: a notice whose task was lost (broker down at submit) is sent again."""
    cutoff = timezone.now() - timedelta(minutes=10)
    for pk in CourtNotice.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff).values_list("pk", flat=True):
        send_court_notice_task.delay(pk)
    for pk in ProsecutorNotice.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        send_prosecutor_notice_task.delay(pk)
