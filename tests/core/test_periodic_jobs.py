"""Jobs on several workers (issue 14 item 3): queues and routes, time limits, visibility timeout, crontab
schedules, and periodic tasks that run once when two beat processes fire them."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from celery.schedules import crontab
from django.db import connection

from sector.celery import app
from sector.core.models import PeriodicRun
from sector.core.periodic import SKIPPED, claim_slot, once_per_slot, slot_start

pytestmark = pytest.mark.django_db


def test_each_kind_of_work_has_its_queue(settings):
    app.loader.import_default_modules()
    route = app.amqp.router.route
    assert route({}, "sector.core.tasks.send_email_task")["queue"].name == "mail"
    assert route({}, "sector.core.tasks.send_outgoing_mail_task")["queue"].name == "mail"
    assert route({}, "sector.feed.outbox.deliver_task")["queue"].name == "deliveries"
    assert route({}, "sector.onboarding.tasks.send_court_notice_task")["queue"].name == "documents"
    assert route({}, "collisions.tasks.overdue_reminder_task")["queue"].name == "periodic"
    units = {q for q in ("mail", "deliveries", "documents", "periodic")}
    assert units <= set(settings.CELERY_TASK_QUEUES)


def test_time_limits_and_visibility_timeout_above_every_delay(settings):
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    app.loader.import_default_modules()
    longest = max(
        (t.default_retry_delay or 0) * (t.max_retries or 0)
        for t in app.tasks.values()
        if t.name.startswith(("sector", "collisions"))
    )
    vt = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert vt > longest and vt > settings.CELERY_TASK_TIME_LIMIT and vt > settings.CELERY_MAX_COUNTDOWN_SECONDS


def test_the_schedule_is_crontab_at_fixed_times(settings):
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert isinstance(entry["schedule"], crontab), name
    reminder = settings.CELERY_BEAT_SCHEDULE["collisions-overdue-reminder"]["schedule"]
    assert reminder.hour == {6} and reminder.minute == {0}


def test_slots_floor_in_pacific_time():
    at = datetime(2026, 12, 4, 21, 59, 30, tzinfo=UTC)  # 13:59:30 Pacific
    assert slot_start(period=timedelta(minutes=15), now=at).strftime("%H:%M") == "13:45"
    assert slot_start(period=timedelta(days=1), now=at).strftime("%Y-%m-%d %H:%M") == "2026-12-04 00:00"


def test_a_slot_is_claimed_once_and_the_next_slot_again():
    at = datetime(2026, 12, 4, 14, 0, 5, tzinfo=UTC)
    assert claim_slot("t", period=timedelta(hours=1), now=at)
    assert not claim_slot("t", period=timedelta(hours=1), now=at + timedelta(seconds=40))
    assert claim_slot("t", period=timedelta(hours=1), now=at + timedelta(hours=1))
    assert PeriodicRun.objects.filter(name="t").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_beats_firing_at_once_run_the_task_once():
    """Two beat processes publish the same firing; two workers run it at the same moment: one body runs."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")
    runs = []

    @once_per_slot("test.two_beats", period=timedelta(minutes=1))
    def body():
        runs.append(1)
        return "ran"

    results, barrier = [], threading.Barrier(4)

    def worker():
        from django.db import connection as c

        barrier.wait()
        try:
            results.append(body())
        finally:
            c.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert runs == [1]
    assert sorted(results) == ["ran", SKIPPED, SKIPPED, SKIPPED]


def test_the_periodic_tasks_claim_their_slot(django_capture_on_commit_callbacks):
    from collisions.tasks import overdue_reminder_task

    assert overdue_reminder_task.apply().get() == 0
    assert overdue_reminder_task.apply().get() == SKIPPED
