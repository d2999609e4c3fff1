"""The support desk's services: each transition, replies that stop clocks or reopen, triage, scope."""

import pytest
from django.core.exceptions import PermissionDenied

from sector.core.models import AuditEntry
from sector.support import services
from sector.support.choices import TRANSITIONS, Status
from sector.support.models import Category, Priority, SupportRequest
from tests.support.helpers import pacific, raise_request

pytestmark = pytest.mark.django_db

# The shortest way to each status, through the services.
PATH = {
    Status.NEW: [],
    Status.IN_PROGRESS: [Status.IN_PROGRESS],
    Status.WAITING: [Status.WAITING],
    Status.RESOLVED: [Status.RESOLVED],
    Status.CLOSED: [Status.RESOLVED, Status.CLOSED],
}


def _request_in(world, status):
    sr = raise_request(world)
    for step in PATH[status]:
        services.request_move(support_request=sr, actor=world.users["wsp"], status=step)
    sr.refresh_from_db()
    assert sr.status == status
    return sr


def _entries(sr, action):
    return AuditEntry.objects.for_object(sr).filter(action=action)


ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in targets]


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_each_allowed_transition_is_applied_and_audit_logged(world, start, target):
    sr = _request_in(world, start)
    services.request_move(support_request=sr, actor=world.users["wsp"], status=target)
    sr.refresh_from_db()
    assert sr.status == target
    entry = _entries(sr, "support.request.status_changed").order_by("-id").first()
    assert entry.changes == {"status": [start, target]}
    assert entry.actor == world.users["wsp"]
    if target == Status.RESOLVED:
        assert sr.resolved_at is not None
    if target == Status.CLOSED:
        assert sr.closed_at is not None and sr.resolved_at is not None


@pytest.mark.parametrize("start", Status.values)
def test_every_other_move_is_refused_and_changes_nothing(world, start):
    sr = _request_in(world, start)
    before = _entries(sr, "support.request.status_changed").count()
    refused = [target for target in Status.values if target not in TRANSITIONS[start]]
    assert refused
    for target in refused:
        with pytest.raises(services.SupportError):
            services.request_move(support_request=sr, actor=world.users["wsp"], status=target)
        sr.refresh_from_db()
        assert sr.status == start, target
    assert _entries(sr, "support.request.status_changed").count() == before


def test_an_unknown_status_is_refused(world):
    sr = raise_request(world)
    with pytest.raises(services.SupportError):
        services.request_move(support_request=sr, actor=world.users["wsp"], status="deleted")


def test_reopening_a_resolved_request_clears_its_resolution(world):
    sr = _request_in(world, Status.RESOLVED)
    services.request_move(support_request=sr, actor=world.users["wsp"], status=Status.IN_PROGRESS)
    sr.refresh_from_db()
    assert sr.resolved_at is None


@pytest.mark.parametrize("persona", ["lasa", "officer", "waspc"])
def test_only_wsp_support_moves_a_request(world, persona):
    sr = raise_request(world)
    with pytest.raises(PermissionDenied):
        services.request_move(support_request=sr, actor=world.users[persona], status=Status.IN_PROGRESS)


@pytest.mark.parametrize("start", [Status.WAITING, Status.RESOLVED])
def test_a_requester_reply_reopens_a_waiting_or_resolved_request(world, start):
    sr = _request_in(world, start)
    services.request_reply(support_request=sr, actor=world.users["lasa"], body="Still broken on car 12.")
    sr.refresh_from_db()
    assert sr.status == Status.IN_PROGRESS
    assert sr.resolved_at is None
    entry = _entries(sr, "support.request.status_changed").order_by("-id").first()
    assert entry.changes == {"status": [start, Status.IN_PROGRESS]}
    assert entry.data["reason"] == "requester replied"


@pytest.mark.parametrize("start", [Status.NEW, Status.IN_PROGRESS])
def test_a_requester_reply_leaves_an_open_request_where_it_is(world, start):
    sr = _request_in(world, start)
    services.request_reply(support_request=sr, actor=world.users["officer"], body="More detail: error 0x1.")
    sr.refresh_from_db()
    assert sr.status == start
    assert sr.first_response_at is None  # only WSP's answer stops the first-response clock


def test_nobody_replies_to_a_closed_request(world):
    sr = _request_in(world, Status.CLOSED)
    for persona in ("lasa", "wsp"):
        with pytest.raises(services.SupportError, match="closed"):
            services.request_reply(support_request=sr, actor=world.users[persona], body="Hello?")
    assert not sr.messages.exists()


def test_wsp_first_answer_stops_the_first_response_clock_and_starts_work(world):
    sr = raise_request(world)
    at = pacific(2026, 11, 16, 10, 0)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="Looking at it.", now=at)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="Still looking.")
    sr.refresh_from_db()
    assert sr.first_response_at == at
    assert sr.status == Status.IN_PROGRESS


def test_an_internal_note_is_not_a_first_response(world):
    sr = raise_request(world)
    message = services.request_reply(support_request=sr, actor=world.users["wsp"], body="Known bug", internal=True)
    sr.refresh_from_db()
    assert message.internal and message.from_support
    assert sr.first_response_at is None
    assert sr.status == Status.NEW
    assert _entries(sr, "support.note.added").count() == 1


def test_wsp_can_answer_and_wait_on_the_requester_in_one_step(world):
    sr = raise_request(world)
    services.request_reply(support_request=sr, actor=world.users["wsp"], body="Which printer?", status="waiting")
    sr.refresh_from_db()
    assert sr.status == Status.WAITING


def test_a_reply_with_an_impossible_status_is_refused_whole(world):
    sr = raise_request(world)
    with pytest.raises(services.SupportError):
        services.request_reply(support_request=sr, actor=world.users["wsp"], body="Bye", status="closed")
    assert not sr.messages.exists()


def test_requesters_write_no_internal_notes_and_set_no_status(world):
    sr = raise_request(world)
    with pytest.raises(PermissionDenied):
        services.request_reply(support_request=sr, actor=world.users["lasa"], body="x", internal=True)
    with pytest.raises(services.SupportError):
        services.request_reply(support_request=sr, actor=world.users["lasa"], body="x", status="resolved")


def test_another_agency_cannot_reply(world):
    sr = raise_request(world)
    with pytest.raises(PermissionDenied):
        services.request_reply(support_request=sr, actor=world.users["lasa2"], body="x")


def test_raising_a_request_sets_targets_in_business_hours_and_logs_it(world):
    sr = raise_request(world, priority="High", created_at=pacific(2026, 11, 20, 15, 0))  # Friday 3 PM
    assert sr.status == Status.NEW
    assert sr.first_response_due == pacific(2026, 11, 23, 10, 0)  # 4 business hours: 2 Fri + 2 Mon
    assert sr.resolution_due == pacific(2026, 11, 25, 12, 0)  # 24 business hours: 2 Fri + 9 Mon + 9 Tue + 4 Wed
    entry = _entries(sr, "support.request.created").get()
    assert entry.actor == world.users["lasa"]
    assert entry.data["priority"] == "High"


def test_a_clerk_raises_requests_for_their_court_only(world):
    sr = raise_request(world, "clerk", court=world.court_a)
    assert sr.court == world.court_a and sr.agency is None
    with pytest.raises(PermissionDenied):
        raise_request(world, "clerk", court=world.court_b)
    with pytest.raises(PermissionDenied):
        raise_request(world, "lasa", agency=world.agency_b)


@pytest.mark.parametrize("persona", ["reviewer", "wsp", "waspc", "outsider"])
def test_roles_without_the_permission_raise_nothing(world, persona):
    with pytest.raises(PermissionDenied):
        raise_request(world, persona, agency=world.agency_a)
    assert not SupportRequest.objects.exists()


def test_triage_assigns_and_moves_the_targets_with_the_priority(world):
    sr = raise_request(world, priority="Low", created_at=pacific(2026, 11, 16, 9, 0))
    services.request_triage(
        support_request=sr,
        actor=world.users["wsp"],
        assignee=world.users["wsp"],
        priority=Priority.objects.get(name="Urgent"),
        category=Category.objects.get(name="Credentials"),
    )
    sr.refresh_from_db()
    assert sr.assignee == world.users["wsp"]
    assert sr.first_response_due == pacific(2026, 11, 16, 11, 0)
    assert sr.resolution_due == pacific(2026, 11, 16, 17, 0)
    entry = _entries(sr, "support.request.triaged").get()
    assert set(entry.changes) == {"assignee", "priority", "category"}


def test_triage_assigns_only_to_wsp_support(world):
    sr = raise_request(world)
    with pytest.raises(services.SupportError):
        services.request_triage(
            support_request=sr, actor=world.users["wsp"], assignee=world.users["lasa"], priority=sr.priority,
            category=sr.category,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.request_triage(
            support_request=sr, actor=world.users["lasa"], priority=sr.priority, category=sr.category
        )


def test_breach_flags_and_the_breached_queryset_agree(world):
    late = raise_request(world, priority="Urgent", created_at=pacific(2026, 11, 16, 9, 0))
    on_time = raise_request(world, priority="Low", created_at=pacific(2026, 11, 16, 9, 0))
    services.request_reply(support_request=on_time, actor=world.users["wsp"], body="Hi", now=pacific(2026, 11, 16, 10))
    now = pacific(2026, 11, 16, 12, 0)
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.first_response_breached(now) and not late.resolution_breached(now)
    assert not on_time.breached(now)
    assert list(SupportRequest.objects.breached(now)) == [late]
