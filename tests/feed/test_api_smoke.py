from citations.models import Ticket, TicketVersion, Violation
from tests.feed.factories import batch, ticket


def test_one_ticket_is_created(feed, world):
    rec = ticket()
    r = feed.post(batch([rec]))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["results"][0]["status"] == "created", body
    t = Ticket.objects.get()
    assert t.court == world.court_a
    assert TicketVersion.objects.get().raw == rec
    assert Violation.objects.count() == 1
