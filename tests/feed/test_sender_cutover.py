"""Issue 16, TraCS migration: after an agency's cut-over date the old sender's records for it are refused, per
record, with the contract code `sender_retired` (contracts/FEED.md, "Credentials and scope"); the new sender and
the other agencies are unaffected."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from citations.models import Ticket
from sector.core.models import AuditEntry
from sector.feed.choices import ErrorCode
from sector.feed.models import FeedException, SenderCutover
from sector.feed.services import credential_create, exception_reprocess, sender_cutover_clear, sender_cutover_set
from tests.feed.factories import FeedClient, ticket

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_after_the_cutover_the_old_sender_is_refused_per_record_through_the_api(world, feed):
    yesterday = timezone.localdate() - timedelta(days=1)
    sender_cutover_set(system="WSP-BACKOFFICE", agency=world.agency_a, cutover_on=yesterday, new_system="TRACS")
    retired = ticket(agency_ori=world.agency_a.ori)
    other_agency = ticket(agency_ori=world.agency_b.ori, court_code="M32SPO")
    results = _results(feed.post({"batch_id": "BO-CUT-1", "sent_at": None, "records": [retired, other_agency]}))
    assert results[0]["status"] == "rejected"
    [error] = results[0]["errors"]
    assert error["code"] == ErrorCode.SENDER_RETIRED == "sender_retired"
    assert error["field"] == "agency_ori"
    assert "TRACS" in error["message"] and yesterday.strftime("%b %d, %Y") in error["message"]
    assert results[1]["status"] == "created"
    assert not Ticket.objects.filter(ticket_number=retired["ticket_number"]).exists()
    exc = FeedException.objects.get(number=retired["ticket_number"])
    assert exc.codes == "sender_retired"


def test_on_the_cutover_day_itself_the_old_sender_is_still_accepted(world, feed):
    sender_cutover_set(system="WSP-BACKOFFICE", agency=world.agency_a, cutover_on=timezone.localdate())
    [result] = _results(feed.post({"batch_id": "BO-CUT-2", "sent_at": None, "records": [ticket()]}))
    assert result["status"] == "created"


def test_the_new_sender_is_accepted_after_the_cutover(world):
    sender_cutover_set(
        system="WSP-BACKOFFICE", agency=world.agency_a, cutover_on=timezone.localdate() - timedelta(days=3)
    )
    tracs = FeedClient(system="TRACS")
    [result] = _results(tracs.post({"batch_id": "TR-1", "sent_at": None, "records": [ticket()]}))
    assert result["status"] == "created"


def test_moving_the_date_and_clearing_are_audited_and_reprocessing_judges_by_the_receipt_day(world, feed):
    past = timezone.localdate() - timedelta(days=2)
    sender_cutover_set(system="WSP-BACKOFFICE", agency=world.agency_a, cutover_on=past, actor=world.users["waspc"])
    rec = ticket()
    [result] = _results(feed.post({"batch_id": "BO-CUT-3", "sent_at": None, "records": [rec]}))
    assert result["status"] == "rejected"
    later = timezone.localdate() + timedelta(days=30)
    sender_cutover_set(system="WSP-BACKOFFICE", agency=world.agency_a, cutover_on=later, actor=world.users["waspc"])
    assert SenderCutover.objects.get().cutover_on == later
    entries = list(AuditEntry.objects.filter(action="feed.sender_cutover.scheduled").order_by("id"))
    assert entries[-1].changes["cutover_on"] == [past.isoformat(), later.isoformat()]
    # The record was received before the (moved) cut-over: re-processed, it is stored.
    done = exception_reprocess(exceptions=list(FeedException.objects.all()), actor=world.users["wsp"])
    assert done == {"resolved": 1, "still_rejected": 0}
    assert sender_cutover_clear(system="WSP-BACKOFFICE", agency=world.agency_a, actor=world.users["waspc"])
    assert not SenderCutover.objects.exists()
    assert AuditEntry.objects.filter(action="feed.sender_cutover.cleared").count() == 1


def test_a_cutover_for_another_system_leaves_this_sender_alone(world):
    credential_create(system="OTHER")
    sender_cutover_set(system="OTHER", agency=world.agency_a, cutover_on=timezone.localdate() - timedelta(days=9))
    feed = FeedClient()
    [result] = _results(feed.post({"batch_id": "BO-CUT-4", "sent_at": None, "records": [ticket()]}))
    assert result["status"] == "created"
