"""Housekeeping on the beat schedule: heartbeat, expired sessions, old lockout records, delivered payloads."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from sector.core import tasks
from sector.core.audit import AuditEntry
from sector.core.models import Heartbeat
from sector.feed.outbox_housekeeping import purge_delivered_payloads_task
from sector.feed.outbox_models import Delivery, DeliveryStatus
from tests.collisions.factories import make_destination

pytestmark = pytest.mark.django_db


def test_every_housekeeping_task_is_on_the_beat_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for name in (
        "sector.core.tasks.beat_heartbeat_task",
        "sector.core.tasks.clear_expired_sessions_task",
        "sector.core.tasks.purge_lockout_records_task",
        "sector.feed.outbox_housekeeping.purge_delivered_payloads_task",
    ):
        assert name in scheduled
    from sector.celery import app

    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_the_heartbeat_task_writes_one_row():
    tasks.beat_heartbeat_task.delay()
    tasks.beat_heartbeat_task.delay()
    assert Heartbeat.objects.count() == 1
    assert timezone.now() - Heartbeat.objects.get().beat_at < timedelta(seconds=5)


def test_expired_sessions_are_deleted_and_live_ones_kept():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - timedelta(minutes=1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + timedelta(hours=1))
    assert tasks.clear_expired_sessions_task.apply().get() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_lockout_records_go_after_their_cool_off_and_logs_after_their_retention(settings):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = timezone.now()
    settings.AXES_LOG_RETENTION_DAYS = 90

    def attempt(username, when):
        a = AccessAttempt.objects.create(username=username, failures_since_start=5, ip_address="10.0.0.1")
        AccessAttempt.objects.filter(pk=a.pk).update(attempt_time=when)

    attempt("locked-now", now - timedelta(minutes=5))
    attempt("cooled-off", now - timedelta(minutes=20))
    for model in (AccessLog, AccessFailureLog):
        old = model.objects.create(username="old", ip_address="10.0.0.1")
        model.objects.filter(pk=old.pk).update(attempt_time=now - timedelta(days=91))
        model.objects.create(username="recent", ip_address="10.0.0.1")
    assert tasks.purge_lockout_records_task.apply().get() == 3
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["locked-now"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["recent"]


def test_delivered_payloads_are_emptied_after_the_retention(settings):
    from sector.core.models import PeriodicRun

    PeriodicRun.objects.all().delete()  # a run of this slot by an earlier test would make the task skip
    settings.OUTBOX_PAYLOAD_RETENTION_DAYS = 30
    dest = make_destination("DOT")
    now = timezone.now()

    def delivery(key, status, delivered_days_ago=None):
        return Delivery.objects.create(
            destination=dest, record_type="collision", record_id=1, label=key, idempotency_key=key,
            payload=b'{"report": 1}', status=status, next_attempt_at=now, created_at=now - timedelta(days=40),
            delivered_at=None if delivered_days_ago is None else now - timedelta(days=delivered_days_ago),
        )  # fmt: skip

    old = delivery("old", DeliveryStatus.DELIVERED, 31)
    recent = delivery("recent", DeliveryStatus.DELIVERED, 29)
    pending = delivery("pending", DeliveryStatus.PENDING)
    failed = delivery("failed", DeliveryStatus.FAILED)
    assert purge_delivered_payloads_task.apply().get() == 1
    payloads = {d.idempotency_key: bytes(d.payload) for d in Delivery.objects.all()}
    assert payloads == {"old": b"", "recent": b'{"report": 1}', "pending": b'{"report": 1}', "failed": b'{"report": 1}'}
    old.refresh_from_db()
    assert old.status == DeliveryStatus.DELIVERED and old.idempotency_key == "old"
    entry = AuditEntry.objects.get(action="feed.delivery_payloads.purged")
    assert entry.data == {"count": 1, "retention_days": 30} and entry.actor_name == "housekeeping"
    # Again, in a later slot (the once-per-slot guard is tested in tests/core/test_periodic_jobs.py): nothing left
    # to do, no second entry.
    PeriodicRun.objects.all().delete()
    assert purge_delivered_payloads_task.apply().get() == 0
    assert AuditEntry.objects.filter(action="feed.delivery_payloads.purged").count() == 1
    del recent, pending, failed


def test_payloads_are_purged_in_chunks(settings):
    settings.OUTBOX_PAYLOAD_RETENTION_DAYS = 1
    from sector.feed.outbox_housekeeping import delivered_payloads_purge

    dest = make_destination("DOT")
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            destination=dest, record_type="collision", record_id=i, label=str(i), idempotency_key=f"k{i}",
            payload=b"x", status=DeliveryStatus.DELIVERED, next_attempt_at=now, created_at=now,
            delivered_at=now - timedelta(days=2),
        )
        for i in range(25)
    )  # fmt: skip
    assert delivered_payloads_purge(chunk=10) == 25
    assert not Delivery.objects.exclude(payload=b"").exists()
