"""The intake queue: order, filters, search, keyset pages, query counts, exports."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from citations.models import Ticket
from sector.core.exports import escape_cell
from tests.feed.factories import make_ticket, store_tickets, ticket

PT = ZoneInfo("America/Los_Angeles")


def rows(response):
    return [t.ticket_number for t in response.context["page"].object_list]


def soon(days):
    return (datetime.now(PT) + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_order_in_custody_then_appearances_soonest_then_oldest_received(world):
    store_tickets([ticket(ticket_number="OLD1")])
    store_tickets([ticket(ticket_number="NEW1")])
    store_tickets([ticket(ticket_number="APP-LATE", appearance={"at": soon(20), "location": "Room 1"})])
    store_tickets([ticket(ticket_number="APP-SOON", appearance={"at": soon(3), "location": "Room 1"})])
    store_tickets([ticket(ticket_number="CUSTODY", kind="criminal", in_custody=True)])
    r = world.client_for("clerk").get("/courts/intake/")
    assert rows(r) == ["CUSTODY", "APP-SOON", "APP-LATE", "OLD1", "NEW1"]


def test_clerks_see_only_their_courts(world):
    make_ticket(ticket_number="A1")
    make_ticket(ticket_number="B1", court_code=world.court_b.code)
    assert rows(world.client_for("clerk").get("/courts/intake/")) == ["A1"]
    assert rows(world.client_for("clerk2").get("/courts/intake/")) == ["B1"]
    assert rows(world.client_for("clerk").get("/courts/intake/?q=B1")) == []


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=5A9000002", ["5A9000002"]),
        ("q=smi", ["5A9000002"]),
        ("q=SMITH, JO", ["5A9000002"]),
        ("q=WDLXYZ", ["5A9000003"]),
        ("kind=criminal", ["5A9000003"]),
        ("late=yes", ["5A9000001"]),
        ("late=no", ["5A9000003", "5A9000002"]),
        ("amendment=on", ["5A9000002"]),
        ("status=all&q=5A9000004", ["5A9000004"]),
        ("status=accepted", ["5A9000004"]),
    ],
)
def test_filters_and_search(world, query, expected):
    make_ticket(ticket_number="5A9000001", issued_at="2026-01-05T10:00:00-08:00")  # long ago: late
    t2 = make_ticket(ticket_number="5A9000002", defendant={"last_name": "SMITH", "first_name": "JOHN"})
    make_ticket(
        ticket_number="5A9000003",
        kind="criminal",
        in_custody=True,
        defendant={"last_name": "ROE", "licence": {"number": "WDLXYZ", "state": "WA"}},
    )
    t4 = make_ticket(ticket_number="5A9000004")
    from citations.models import TicketVersion
    from courts.services import ticket_accept

    ticket_accept(ticket=t4, actor=world.users["clerk"])
    raw = TicketVersion.objects.get(ticket=t2).raw
    store_tickets([{**raw, "version": 2, "agency_case_number": "AMENDED"}])
    r = world.client_for("clerk").get(f"/courts/intake/?{query}")
    assert r.status_code == 200
    assert sorted(rows(r)) == sorted(expected)


def test_filter_by_agency_and_issued_dates(world):
    make_ticket(ticket_number="AG-A", issued_at="2026-11-02T10:00:00-08:00")
    make_ticket(ticket_number="AG-B", agency_ori=world.agency_b.ori, issued_at="2026-11-10T10:00:00-08:00")
    c = world.client_for("clerk")
    assert rows(c.get(f"/courts/intake/?agency={world.agency_b.pk}")) == ["AG-B"]
    assert rows(c.get("/courts/intake/?issued_from=2026-11-05")) == ["AG-B"]
    assert rows(c.get("/courts/intake/?issued_to=2026-11-05")) == ["AG-A"]


def test_keyset_pages_cover_every_row_once(world):
    store_tickets([ticket() for _ in range(60)])
    c = world.client_for("clerk")
    seen, url = [], "/courts/intake/?size=25"
    while url:
        r = c.get(url)
        seen += rows(r)
        page = r.context["page"]
        url = f"/courts/intake/?size=25&cursor={page.next_cursor}" if page.has_next else None
    assert len(seen) == 60 == len(set(seen))


@pytest.mark.parametrize("size", [25, 100])
def test_queue_queries_do_not_grow_with_rows(world, size, django_assert_max_num_queries):
    from django.core.cache import cache

    c = world.client_for("clerk")
    store_tickets([ticket() for _ in range(5)])
    cache.clear()  # measure the uncached dashboard both times
    # 17: the page, the capped match count and the clerk's layout preference among them.
    with django_assert_max_num_queries(17) as few:
        c.get(f"/courts/intake/?size={size}")
    store_tickets([ticket() for _ in range(150)])
    cache.clear()
    with django_assert_max_num_queries(17) as many:
        c.get(f"/courts/intake/?size={size}&q=DOE")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_agency_list_queries_do_not_grow(world, django_assert_max_num_queries):
    c = world.client_for("lasa")
    store_tickets([ticket() for _ in range(3)])
    with django_assert_max_num_queries(12) as few:
        c.get("/tickets/")
    store_tickets([ticket() for _ in range(80)])
    with django_assert_max_num_queries(12) as many:
        c.get("/tickets/")
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("url", ["/feed/", "/feed/exceptions/"])
def test_feed_lists_queries_do_not_grow(world, url, django_assert_max_num_queries):
    c = world.client_for("wsp")
    store_tickets([ticket(court_code="X99")])
    with django_assert_max_num_queries(15) as few:
        c.get(url)
    for _ in range(20):
        store_tickets([ticket(court_code="X99"), ticket(agency_ori="WA9999999")])
    with django_assert_max_num_queries(15) as many:
        c.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("value", ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", '=HYPERLINK("http://x")'])
def test_formula_text_is_escaped(value):
    assert escape_cell(value) == "'" + value
    assert escape_cell("DOE") == "DOE"


def test_csv_and_xlsx_exports_escape_formulas_and_leave_out_juveniles(world):
    make_ticket(ticket_number="EXP1", defendant={"last_name": '=HYPERLINK("http://evil")', "first_name": "@X"})
    make_ticket(
        ticket_number="JUV1", defendant={"last_name": "KID", "date_of_birth": f"{datetime.now().year - 12}-01-01"}
    )
    c = world.client_for("clerk")
    body = c.get("/courts/intake/export.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][0] == "Ticket number"
    numbers = [r[0] for r in table[1:]]
    assert numbers == ["EXP1"]
    assert table[1][1].startswith("'=HYPERLINK")
    wb = load_workbook(io.BytesIO(c.get("/courts/intake/export.xlsx").content))
    cells = [[c.value for c in r] for r in wb.active.iter_rows()]
    assert [r[0] for r in cells[1:]] == ["EXP1"] and cells[1][1].startswith("'=")
    assert Ticket.objects.get(ticket_number="JUV1").juvenile
    assert "Juvenile court" in c.get("/courts/intake/").content.decode()


def test_licence_numbers_are_masked_in_lists(world):
    make_ticket(defendant={"last_name": "DOE", "licence": {"number": "WDLSECRET9876", "state": "WA"}})
    body = world.client_for("clerk").get("/courts/intake/").content.decode()
    assert "WDLSECRET9876" not in body and "9876" in body


def test_agency_sees_court_status_and_needs_action(world):
    from courts.services import ticket_request_correction

    t = make_ticket(ticket_number="NA-1")
    ticket_request_correction(ticket=t, actor=world.users["clerk"], reason="violation", note="Wrong RCW")
    make_ticket(ticket_number="B-ONLY", agency_ori=world.agency_b.ori)
    r = world.client_for("lasa").get("/tickets/?needs_action=on")
    assert [x.ticket_number for x in r.context["page"]] == ["NA-1"]
    assert "1 ticket needs your action" in r.content.decode()
    r = world.client_for("lasa").get(f"/tickets/{t.pk}/")
    assert "Wrong RCW" in r.content.decode()
    assert [x.ticket_number for x in world.client_for("lasa2").get("/tickets/").context["page"]] == ["B-ONLY"]
