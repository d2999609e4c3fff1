"""The durable mail outbox (issue 14 item 3): a broker outage never loses a notice or a reset link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sector.core import mail as core_mail
from sector.core.models import OutgoingMail
from sector.core.tasks import send_outgoing_mail_task

pytestmark = pytest.mark.django_db


class _User:
    def get_username(self):
        return "jsmith"


def _queue():
    core_mail.send_templated_mail(
        to=["a@example.gov"],
        subject_template="registration/password_reset_subject.txt",
        body_template="registration/password_reset_email.html",
        context={"protocol": "https", "domain": "x", "uid": "u", "token": "t", "user": _User()},
    )


def test_a_broker_outage_at_commit_loses_nothing(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*a, **k):
        raise ConnectionError("broker down")

    monkeypatch.setattr(send_outgoing_mail_task, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        _queue()  # the request does not fail
    [row] = OutgoingMail.objects.all()
    assert row.sent_at is None and mail.outbox == []
    monkeypatch.undo()
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    assert core_mail.mail_sweep() == 1
    row.refresh_from_db()
    assert row.sent_at is not None and len(mail.outbox) == 1
    assert core_mail.mail_sweep() == 0  # sent once
    assert core_mail.outgoing_mail_send(mail_id=row.pk) == "skipped"


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError
    assert not OutgoingMail.objects.exists() and mail.outbox == []


def test_an_smtp_failure_backs_off_and_the_sweep_sends_it_later(monkeypatch, django_capture_on_commit_callbacks):
    from django.core.mail import EmailMultiAlternatives

    real = EmailMultiAlternatives.send

    def smtp_down(self, *a, **k):
        raise OSError("connection refused")

    monkeypatch.setattr(EmailMultiAlternatives, "send", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        _queue()
    row = OutgoingMail.objects.get()
    assert row.attempts == 1 and row.sent_at is None and "refused" in row.last_error
    assert row.next_attempt_at > timezone.now()
    monkeypatch.setattr(EmailMultiAlternatives, "send", real)
    OutgoingMail.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    assert core_mail.mail_sweep() == 1
    assert OutgoingMail.objects.get().sent_at is not None and len(mail.outbox) == 1


def test_a_password_reset_link_is_stored_before_it_is_sent(client, world, django_capture_on_commit_callbacks):
    user = world.users["wsp"]
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("password_reset"), {"email": user.email})
    row = OutgoingMail.objects.get()
    assert row.to == [user.email] and "/reset/" in row.body
