"""Finding a record in the intake queue: every number a clerk has in hand, names in either order, counts,
sorts that keep keyset paging, tickets transferred away, and index use at volume (issue 11, items 4 and 14)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from citations.models import Ticket
from courts import services
from courts.selectors import intake_queue
from tests.feed.factories import make_ticket, store_tickets, ticket


def numbers(response):
    return sorted(t.ticket_number for t in response.context["page"].object_list)


@pytest.fixture
def people(world):
    """Two JOHN SMITHs told apart by date of birth, and a ticket with a plate and an agency case number."""
    a = make_ticket(
        ticket_number="5A1000001",
        defendant={
            "last_name": "SMITH",
            "first_name": "JOHN",
            "date_of_birth": "1971-02-03",
            "licence": {"number": "WDLSMITHJ1234", "state": "WA"},
        },
        vehicle={"plate": "BXR 4471", "plate_state": "WA"},
        agency_case_number="OPD-26-004512",
    )
    b = make_ticket(
        ticket_number="5A1000002", defendant={"last_name": "SMITH", "first_name": "JOHN", "date_of_birth": "1999-12-30"}
    )
    make_ticket(ticket_number="5A1000003", defendant={"last_name": "JOHNSON", "first_name": "SMITTY"})
    return a, b


@pytest.mark.parametrize(
    "q, expected",
    [
        ("5A1000001", ["5A1000001"]),  # ticket number
        ("bxr4471", ["5A1000001"]),  # plate, any case, without the space
        ("BXR-4471", ["5A1000001"]),
        ("opd-26-004512", ["5A1000001"]),  # agency case number
        ("WDLSMITHJ1234", ["5A1000001"]),  # full license number
        ("1234", ["5A1000001"]),  # its last four
        ("SMITH, JOHN", ["5A1000001", "5A1000002"]),  # LAST, FIRST
        ("John Smith", ["5A1000001", "5A1000002"]),  # First Last
        ("smith j", ["5A1000001", "5A1000002"]),  # LAST FIRST without the comma
        ("Smitty Johnson", ["5A1000003"]),
        ("johns", ["5A1000003"]),  # a last-name prefix
    ],
)
def test_the_search_box_finds_every_number_and_a_name_in_either_order(world, people, q, expected):
    r = world.client_for("clerk").get("/courts/intake/", {"q": q})
    assert numbers(r) == expected


def test_a_case_number_finds_a_filed_ticket_and_a_search_looks_through_every_status(world, people):
    a, _ = people
    services.ticket_accept(ticket=a, actor=world.users["clerk"], case_number="D34-26-000777")
    c = world.client_for("clerk")
    assert numbers(c.get("/courts/intake/", {"q": "d34-26-000777"})) == ["5A1000001"]
    assert numbers(c.get("/courts/intake/", {"q": "5A1000001", "status": "received"})) == []
    assert "5A1000001" not in numbers(c.get("/courts/intake/"))  # the queue itself is work waiting


def test_result_rows_show_the_date_of_birth_so_two_people_of_one_name_are_told_apart(world, people):
    body = world.client_for("clerk").get("/courts/intake/", {"q": "SMITH, JOHN"}).content.decode()
    assert "02/03/1971" in body and "12/30/1999" in body


def test_the_list_says_how_many_records_match(world, people):
    store_tickets([ticket() for _ in range(4)])
    r = world.client_for("clerk").get("/courts/intake/", {"size": 25, "q": "SMITH"})
    assert r.context["total"] == 2 and not r.context["more"]
    assert "<strong>2</strong> shown of <strong>2</strong> matching tickets" in r.content.decode()
    r = world.client_for("clerk").get("/courts/intake/", {"size": 25})
    assert r.context["total"] == 7 and "shown of <strong>7</strong>" in r.content.decode()


def test_the_count_stops_at_a_cap_and_says_so(world, monkeypatch):
    import courts.selectors

    monkeypatch.setattr(courts.selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(courts.selectors.count_upto, "__defaults__", (3,))
    store_tickets([ticket() for _ in range(5)])
    r = world.client_for("clerk").get("/courts/intake/", {"size": 25})
    assert r.context["total"] == 3 and r.context["more"]
    assert "shown of <strong>3+</strong>" in r.content.decode()


def test_a_ticket_transferred_away_stays_findable_by_the_sending_court_read_only(world, people):
    a, _ = people
    services.ticket_transfer(ticket=a, actor=world.users["clerk"], court=world.court_b)
    c = world.client_for("clerk")
    r = c.get("/courts/intake/", {"q": "5A1000001"})
    assert numbers(r) == ["5A1000001"]
    body = r.content.decode()
    assert f"Transferred to {world.court_b.code}" in body and 'name="ids"' not in body
    detail = c.get(f"/courts/intake/tickets/{a.pk}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and f"Transferred to {world.court_b}" in text and "read it" in text
    assert not detail.context["actions"] and "Accept and file" not in text
    # It is not in the sending court's queue, and the sending court cannot act on it.
    assert "5A1000001" not in numbers(c.get("/courts/intake/"))
    r = c.post(f"/courts/intake/tickets/{a.pk}/refer/", {"question": "?"})
    assert r.status_code == 404
    # The receiving court finds it as its own.
    assert numbers(world.client_for("clerk2").get("/courts/intake/", {"q": "5A1000001"})) == ["5A1000001"]


def test_the_transfer_list_never_offers_the_tickets_own_court(world, people):
    a, _ = people
    r = world.client_for("clerk").get(f"/courts/intake/tickets/{a.pk}/")
    offered = list(r.context["transfer_form"].fields["court"].queryset)
    assert world.court_a not in offered and world.court_b in offered
    r = world.client_for("clerk").post(
        f"/courts/intake/tickets/{a.pk}/transfer/", {"court": world.court_a.pk, "revision": a.revision}, follow=True
    )
    assert "Select a valid choice" in r.content.decode()


@pytest.mark.parametrize("sort", ["", "received", "-received", "appearance", "defendant"])
def test_each_sort_keeps_keyset_pages_whole(world, sort):
    now = timezone.localtime()
    records = []
    for i in range(31):
        rec = ticket(defendant={"last_name": f"NAME{i % 7}", "first_name": f"F{i}"})
        if i % 2:
            rec["appearance"] = {
                "at": (now + timedelta(days=3 + i % 5)).replace(microsecond=0).isoformat(),
                "location": "1",
            }
        records.append(rec)
    store_tickets(records)
    c = world.client_for("clerk")
    seen, cursor = [], None
    while True:
        params = {"size": 25, "sort": sort, **({"cursor": cursor} if cursor else {})}
        r = c.get("/courts/intake/", params)
        seen += [t.pk for t in r.context["page"]]
        page = r.context["page"]
        if not page.has_next:
            break
        cursor = page.next_cursor
    expected = 15 if sort == "appearance" else 31  # the appearance order lists tickets that have one
    assert len(seen) == expected == len(set(seen))
    rows = list(Ticket.objects.filter(pk__in=seen))
    by_pk = {t.pk: t for t in rows}
    keys = {
        "received": lambda t: (t.received_at, t.pk),
        "-received": lambda t: (-t.received_at.timestamp(), -t.pk),
        "appearance": lambda t: (t.appearance_at, t.pk),
        "defendant": lambda t: (t.defendant_last_name, t.defendant_first_name, t.pk),
        "": lambda t: (t.queue_rank, t.queue_at, t.pk),
    }
    assert seen == sorted(seen, key=lambda pk: keys[sort](by_pk[pk]))


def test_search_and_sort_pages_keep_a_fixed_query_count(world, django_assert_max_num_queries):
    from django.core.cache import cache

    c = world.client_for("clerk")
    store_tickets([ticket() for _ in range(3)])
    counts = []
    for n in (0, 60):
        if n:
            store_tickets([ticket() for _ in range(n)])
        cache.clear()
        with django_assert_max_num_queries(17) as ctx:
            c.get("/courts/intake/", {"q": "DOE, JANE", "sort": "defendant"})
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index use is PostgreSQL's")
@pytest.mark.parametrize(
    "q", ["5A3001234", "D34-26-004321", "OPD260042", "PLT1234", "WDL000001234", "1234", "SMITH, JO", "Jo Smith"]
)
def test_every_search_is_answered_from_indexes(world, q):
    """A few thousand rows and fresh statistics: no sequential scan of the tickets table for any kind of search."""
    base = make_ticket()
    rows = []
    for i in range(4000):
        rows.append(
            Ticket(
                agency_id=base.agency_id,
                court_id=base.court_id if i % 2 else world.court_b.pk,
                ticket_number=f"5A3{i:06d}",
                kind=base.kind,
                status="accepted" if i % 3 else "received",
                needs_clerk=not i % 3,
                case_number=f"D34-26-{i:06d}" if i % 3 else "",
                latest_hash="x",
                issued_at=base.issued_at,
                received_at=base.received_at,
                queue_at=base.queue_at,
                defendant_last_name="SMITH" if i % 500 == 0 else f"LN{i:05d}",
                defendant_first_name=f"JO{i}" if i % 500 == 0 else f"FN{i:05d}",
                defendant_dob=date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                licence_number=f"WDL{i:09d}",
                plate=f"PLT{i:04d}",
                agency_case_number=f"OPD26{i:04d}",
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE citations_ticket")
    qs = intake_queue(user=world.users["clerk"], filters={"q": q}).order_by("queue_rank", "queue_at", "id")[:26]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "Seq Scan on citations_ticket" not in plan, plan
