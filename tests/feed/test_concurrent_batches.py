"""Two senders posting at the same moment on real PostgreSQL, with tickets in common: no deadlock, no 5xx, every
ticket and version stored once (ingest locks only the stored tickets a batch names, in id order, and writes new
tickets in index-key order; the batch that loses a race for a new number is applied again, by the feed)."""

import json
import threading

import pytest
from django.db import connection, connections

from citations.models import Ticket, TicketVersion, Violation
from sector.feed.models import Batch, FeedCredential
from sector.feed.services import batch_ingest, credential_create, parse_envelope
from tests.feed.factories import batch, store_tickets, ticket

pytestmark = pytest.mark.django_db(transaction=True)


def _race(jobs):
    """Run each (credential, body) at once in its own thread and connection; return their (status, body)."""
    barrier = threading.Barrier(len(jobs))
    answers: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def work(i, credential, body):
        try:
            envelope = parse_envelope(json.dumps(body).encode())
            barrier.wait()
            answers[i] = batch_ingest(credential=credential, envelope=envelope)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads), "a batch is still waiting: deadlock"
    return answers


def _statuses(answer) -> list[str]:
    status, body = answer
    assert status == 200, body
    return [r["status"] for r in body["results"]]


def test_two_senders_creating_the_same_new_tickets_at_once_store_each_once(world):
    assert connection.vendor == "postgresql"
    one, _ = credential_create(system="BO")
    two, _ = credential_create(system="BO")  # the same system's second credential (a standby node)
    shared = [ticket() for _ in range(60)]
    own_one, own_two = [ticket() for _ in range(40)], [ticket() for _ in range(40)]
    for _round in range(3):
        # In opposite orders, so a writer that took its rows as they came would meet the other in a cycle.
        answers = _race([(one, batch(shared + own_one)), (two, batch(list(reversed(shared)) + own_two))])
        first, second = _statuses(answers[0]), _statuses(answers[1])
        assert first[60:] == second[60:] == ["created"] * 40
        # Each shared ticket is created by exactly one of them; the other finds it stored, the same: unchanged.
        for a, b in zip(first[:60], reversed(second[:60]), strict=True):
            assert sorted([a, b]) in (["created", "unchanged"], ["unchanged", "unchanged"]), (a, b)
        shared = [ticket() for _ in range(60)]
        own_one, own_two = [ticket() for _ in range(40)], [ticket() for _ in range(40)]
    assert Ticket.objects.count() == 3 * 140
    assert TicketVersion.objects.count() == 3 * 140 and Violation.objects.count() == 3 * 140
    assert Batch.objects.count() == 6


def test_two_systems_amending_and_creating_the_same_tickets_at_once_never_duplicate(world):
    stored = [ticket() for _ in range(30)]
    assert {r["status"] for r in store_tickets(stored, system="BO")} == {"created"}
    bo = FeedCredential.objects.get(system="BO")
    bo2, _ = credential_create(system="BO")
    tracs, _ = credential_create(system="TRACS")
    amend_a = [{**r, "version": 2, "agency_case_number": "A"} for r in stored]
    amend_b = [{**r, "version": 2, "agency_case_number": "B"} for r in reversed(stored)]
    new = [ticket() for _ in range(30)]
    answers = _race([(bo, batch(amend_a + new)), (bo2, batch(amend_b + new[::-1])), (tracs, batch(new))])
    a, b, t = (_statuses(x) for x in answers)
    # Version 2 of each stored ticket: one amendment wins, the other is a version conflict.
    for x, y in zip(a[:30], reversed(b[:30]), strict=True):
        assert sorted([x, y]) == ["rejected", "updated"], (x, y)
    assert TicketVersion.objects.filter(ticket__ticket_number__in=[r["ticket_number"] for r in stored]).count() == 60
    # The new tickets: stored once, by whichever system came first; the other system's copy is refused.
    numbers = [r["ticket_number"] for r in new]
    assert Ticket.objects.filter(ticket_number__in=numbers).count() == 30
    assert TicketVersion.objects.filter(ticket__ticket_number__in=numbers).count() == 30
    owners = dict(Ticket.objects.filter(ticket_number__in=numbers).values_list("ticket_number", "source_system"))
    for i, number in enumerate(numbers):
        from_bo = [a[30 + i], b[30 + 29 - i]]
        if owners[number] == "TRACS":
            assert t[i] == "created" and from_bo == ["rejected", "rejected"]
        else:
            assert t[i] == "rejected" and sorted(from_bo) in (["created", "unchanged"], ["unchanged", "unchanged"])
