"""Two clerks act on one ticket at once (real PostgreSQL, two connections): exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from citations.models import Ticket
from courts import services
from sector.core.models import AuditEntry
from tests.factories import make_user
from tests.feed.factories import make_ticket

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["accept", "transfer"])
def test_two_clerks_at_once_exactly_one_wins_and_the_other_is_told_who(world, second):
    other = make_user("clerk-b", "court_clerk", court=world.court_a, first_name="Robin", last_name="Vale")
    t = make_ticket()
    barrier = threading.Barrier(2)
    outcomes = {}

    def act(name, user, fn):
        try:
            barrier.wait(timeout=10)
            fn(user)
            outcomes[name] = "ok"
        except services.TicketActionError as exc:
            outcomes[name] = str(exc)
        finally:
            connections.close_all()

    def accept(user):
        services.ticket_accept(ticket=t, actor=user, expected_revision=0)

    def other_action(user):
        if second == "accept":
            services.ticket_accept(ticket=t, actor=user, expected_revision=0)
        else:
            services.ticket_transfer(ticket=t, actor=user, court=world.court_b, expected_revision=0)

    threads = [
        threading.Thread(target=act, args=("first", world.users["clerk"], accept)),
        threading.Thread(target=act, args=("second", other, other_action)),
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert sorted(outcomes) == ["first", "second"]
    winners = [k for k, v in outcomes.items() if v == "ok"]
    assert len(winners) == 1, outcomes
    loser_message = outcomes["second" if winners == ["first"] else "first"]
    winner_user = world.users["clerk"] if winners == ["first"] else other
    assert (winner_user.get_full_name() or winner_user.username) in loser_message
    t = Ticket.objects.get(pk=t.pk)
    assert t.revision == 1
    assert AuditEntry.objects.filter(action__startswith="courts.ticket.").count() == 1
