"""Review services: claims, approval guards, returns with notes, second-level approval, reminders, deliveries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from collisions import services
from collisions.choices import ReportStatus
from collisions.models import AgencyReviewSetting, CollisionReport, ReviewNote
from collisions.reminders import send_overdue_reminders
from sector.core.models import AuditEntry
from sector.feed.outbox_models import Delivery
from sector.orgs.models import Person
from tests.collisions.factories import collision, make_destination, make_report, store
from tests.factories import make_user, run_seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer2(world):
    return make_user("reviewer2", "collision_reviewer", agency=world.agency_a)


def test_claim_next_takes_the_oldest_unclaimed_and_skips_claimed(world, reviewer2):
    first, second = make_report(), make_report()
    got = services.claim_next(actor=world.users["reviewer"], agency_id=world.agency_a.pk)
    assert got.pk == first.pk and got.claim_expires > timezone.now() + timedelta(minutes=29)
    got2 = services.claim_next(actor=reviewer2, agency_id=world.agency_a.pk)
    assert got2.pk == second.pk
    assert services.claim_next(actor=reviewer2, agency_id=world.agency_a.pk) is None


def test_a_claim_lapses_after_30_minutes(world, reviewer2):
    report = make_report()
    services.claim_next(actor=world.users["reviewer"], agency_id=world.agency_a.pk)
    CollisionReport.objects.filter(pk=report.pk).update(claim_expires=timezone.now() - timedelta(seconds=1))
    assert services.claim_next(actor=reviewer2, agency_id=world.agency_a.pk).pk == report.pk


def test_release_puts_the_report_back(world, reviewer2):
    report = make_report()
    services.claim_report(actor=world.users["reviewer"], report_id=report.pk)
    with pytest.raises(services.ReviewError):
        services.claim_report(actor=reviewer2, report_id=report.pk)
    with pytest.raises(services.ReviewError):
        services.release_claim(actor=reviewer2, report_id=report.pk)
    services.release_claim(actor=world.users["reviewer"], report_id=report.pk)
    assert services.claim_report(actor=reviewer2, report_id=report.pk).claimed_by == reviewer2


def test_approval_is_refused_while_errors_remain(world):
    rec = collision()
    rec["persons"][0]["unit_number"] = 9
    [_] = store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    with pytest.raises(services.ReviewError, match="1 error"):
        services.report_approve(actor=world.users["reviewer"], report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and not Delivery.objects.exists()


def test_approval_is_refused_to_the_officer_who_wrote_it(world):
    author = make_user("sgt", "collision_reviewer", agency=world.agency_a)
    Person.objects.create(
        first_name="Jamie", last_name="Park", personnel_number="1123", agency=world.agency_a, user=author
    )
    report = make_report()
    assert report.author == author
    with pytest.raises(services.ReviewError, match="You wrote this report"):
        services.report_approve(actor=author, report_id=report.pk)
    assert "approve" not in services.available_actions(actor=author, report=report)
    assert services.claim_next(actor=author, agency_id=world.agency_a.pk) is None


def test_approval_refused_when_another_reviewer_holds_the_claim(world, reviewer2):
    report = make_report()
    services.claim_report(actor=reviewer2, report_id=report.pk)
    with pytest.raises(services.ReviewError, match="Another reviewer"):
        services.report_approve(actor=world.users["reviewer"], report_id=report.pk)


def test_approval_refused_when_a_newer_version_arrived_meanwhile(world):
    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    store([{**rec, "version": 2, "weather": "rain"}])
    with pytest.raises(services.ReviewError, match="Version 2 arrived"):
        services.report_approve(actor=world.users["reviewer"], report_id=report.pk, expected_version=1)


def test_a_reviewer_of_another_agency_cannot_act(world):
    other = make_user("rev_b", "collision_reviewer", agency=world.agency_b)
    report = make_report()
    for call in (
        lambda: services.report_approve(actor=other, report_id=report.pk),
        lambda: services.report_return(actor=other, report_id=report.pk, notes={"general": "x"}),
        lambda: services.claim_report(actor=other, report_id=report.pk),
    ):
        with pytest.raises(services.ReviewError):
            call()
    assert services.claim_next(actor=other, agency_id=world.agency_a.pk) is None
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING and report.claimed_by is None


def test_approval_writes_one_delivery_per_active_destination_with_fixed_bytes(
    tmp_path, world, django_capture_on_commit_callbacks
):
    make_destination("DOT", kind="folder", folder=str(tmp_path / "dot"), url="")
    make_destination("DOL", kind="folder", folder=str(tmp_path / "dol"), url="")
    make_destination("OFF", active=False)
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(actor=world.users["reviewer"], report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_version == 1
    rows = list(Delivery.objects.order_by("idempotency_key"))
    assert [d.idempotency_key for d in rows] == [
        f"WA0340100:{report.report_number}:1:DOL",
        f"WA0340100:{report.report_number}:1:DOT",
    ]
    import json

    body = json.loads(bytes(rows[0].payload))
    assert body["report_number"] == report.report_number and body["review"]["approved_by"]
    assert bytes(rows[0].payload) == bytes(rows[1].payload)
    assert AuditEntry.objects.filter(action="collisions.report.approved").count() == 1
    # The eager task ran at commit: both folder deliveries were written.
    assert {d.status for d in Delivery.objects.all()} == {"delivered"}


def test_return_with_notes_per_section_emails_officer_and_lasa(world, django_capture_on_commit_callbacks):
    Person.objects.create(
        first_name="J", last_name="Park", personnel_number="1123", agency=world.agency_a, user=world.users["officer"]
    )
    report = make_report()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(
            actor=world.users["reviewer"], report_id=report.pk,
            notes={"narrative": "Name the signal.", "units": "Unit 2 plate missing.", "diagram": "  "},
        )  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.returned_version == 1
    assert sorted(ReviewNote.objects.filter(report=report).values_list("section", flat=True)) == ["narrative", "units"]
    [message] = mail.outbox
    assert sorted(message.to) == sorted([world.users["officer"].email, world.users["lasa"].email])
    assert "Name the signal." in message.body


def test_return_needs_at_least_one_note(world):
    report = make_report()
    with pytest.raises(services.ReviewError, match="at least one section"):
        services.report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"general": " "})


def test_second_level_approval_needs_a_different_reviewer(tmp_path, world, reviewer2):
    AgencyReviewSetting.objects.create(agency=world.agency_a, second_level_approval=True)
    make_destination("DOT", kind="folder", folder=str(tmp_path / "dot"), url="")
    report = make_report()
    services.report_approve(actor=world.users["reviewer"], report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEWED and not Delivery.objects.exists()
    with pytest.raises(services.ReviewError, match="different reviewer"):
        services.report_approve(actor=world.users["reviewer"], report_id=report.pk)
    assert services.claim_next(actor=world.users["reviewer"], agency_id=world.agency_a.pk) is None
    services.report_approve(actor=reviewer2, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_by == reviewer2
    assert Delivery.objects.count() == 1


def test_a_supplement_gets_its_own_deliveries(tmp_path, world):
    make_destination("DOT", kind="folder", folder=str(tmp_path / "dot"), url="")
    rec = collision()
    store([rec])
    report = CollisionReport.objects.get(report_number=rec["report_number"])
    services.report_approve(actor=world.users["reviewer"], report_id=report.pk)
    store([{**rec, "version": 2, "narrative": rec["narrative"] + " Driver of unit 2 died on day 12."}])
    services.report_approve(actor=world.users["reviewer"], report_id=report.pk)
    assert sorted(Delivery.objects.values_list("idempotency_key", flat=True)) == [
        f"WA0340100:{rec['report_number']}:1:DOT",
        f"WA0340100:{rec['report_number']}:2:DOT",
    ]


def test_overdue_reminder_goes_to_the_agency_reviewers(world, django_capture_on_commit_callbacks):
    old, fresh = make_report(), make_report()
    CollisionReport.objects.filter(pk=old.pk).update(queued_at=timezone.now() - timedelta(days=16))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders() == 1
    [message] = mail.outbox
    assert message.to == [world.users["reviewer"].email]
    assert old.report_number in message.body and fresh.report_number not in message.body


def test_the_beat_schedule_has_the_sweep_and_the_reminder(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"sector.feed.outbox.outbox_sweep_task", "collisions.tasks.overdue_reminder_task"} <= tasks
    from sector.celery import app

    app.loader.import_default_modules()
    assert {"sector.feed.outbox.outbox_sweep_task", "collisions.tasks.overdue_reminder_task"} <= set(app.tasks)


def test_seed_demo_sends_collisions_through_the_feed_and_tells_nobody(
    mailoutbox, django_capture_on_commit_callbacks, settings, tmp_path
):

    settings.DEMO_OUTBOX_DIR = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        run_seed_demo()
    reports = CollisionReport.objects.filter(agency__ori="WA0340100")
    assert reports.count() == 40
    assert {"pending", "returned", "approved"} <= set(reports.values_list("status", flat=True))
    assert (
        reports.filter(version_kind="resubmission").count() == 2 and reports.filter(version_kind="supplement").exists()
    )
    assert reports.filter(error_count__gt=0).exists() and reports.filter(warning_count__gt=0).exists()
    assert mailoutbox == []
    assert sorted(p.parent.name for p in tmp_path.rglob("*.json"))[:2] == ["dol", "dol"]
    run_seed_demo()
    assert CollisionReport.objects.filter(agency__ori="WA0340100").count() == 40


def test_review_emails_link_to_the_documented_portal_url(world, settings, django_capture_on_commit_callbacks):
    """PORTAL_URL is the one setting for links in emails (collision emails once read another and linked to
    127.0.0.1 when only PORTAL_URL was set)."""
    settings.PORTAL_URL = "https://sector.example.wa.gov/"
    report = make_report()
    old = make_report()
    CollisionReport.objects.filter(pk=old.pk).update(queued_at=timezone.now() - timedelta(days=16))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(actor=world.users["reviewer"], report_id=report.pk, notes={"narrative": "Say more."})
        send_overdue_reminders()
    returned, overdue = mail.outbox
    assert "https://sector.example.wa.gov" + reverse("collisions:report_detail", args=[report.pk]) in returned.body
    assert "https://sector.example.wa.gov" + reverse("collisions:review_queue") in overdue.body
    assert "127.0.0.1" not in returned.body + overdue.body


def test_overdue_reminder_knows_what_it_already_sent(world, django_capture_on_commit_callbacks):
    """A second run the same day (a second beat, a redelivered task) tells nobody twice; the next day it does."""
    from collisions.models import OverdueReminderSent

    old = make_report()
    CollisionReport.objects.filter(pk=old.pk).update(queued_at=timezone.now() - timedelta(days=16))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders() == 1
        assert send_overdue_reminders() == 0
    assert len(mail.outbox) == 1
    assert OverdueReminderSent.objects.get().report_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_reminders(now=timezone.now() + timedelta(days=1)) == 1
    assert len(mail.outbox) == 2
