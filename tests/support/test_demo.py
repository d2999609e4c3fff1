import pytest
from django.utils import timezone

from sector.support.choices import Status
from sector.support.models import Message, SupportRequest
from tests.factories import run_seed_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_requests_in_every_status_some_breached_and_is_idempotent(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_seed_demo()
    count = SupportRequest.objects.count()
    assert set(SupportRequest.objects.values_list("status", flat=True)) == set(Status.values)
    assert SupportRequest.objects.breached(timezone.now()).exists()
    assert SupportRequest.objects.exclude(pk__in=SupportRequest.objects.breached(timezone.now())).exists()
    assert Message.objects.filter(internal=True).exists()
    assert SupportRequest.objects.filter(court__isnull=False).exists()
    assert SupportRequest.objects.filter(attachments__isnull=False).exists()
    assert mailoutbox == []  # demo history tells nobody
    run_seed_demo()
    assert SupportRequest.objects.count() == count
