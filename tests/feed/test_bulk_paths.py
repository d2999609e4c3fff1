"""The vendor-specific ingest path: the same batches through COPY (PostgreSQL) and bulk_create (SQLite's path)."""

import pytest

from citations.models import Ticket, TicketVersion, Violation
from sector.feed import bulk
from tests.feed.factories import store_tickets, ticket


@pytest.fixture(params=["copy", "bulk_create"])
def path(request, monkeypatch, world):
    if request.param == "bulk_create":
        monkeypatch.setattr(bulk, "is_postgres", lambda: False)
    elif not bulk.is_postgres():
        pytest.skip("COPY is PostgreSQL's")
    return request.param


def test_both_paths_store_the_same_rows(path):
    first = ticket(
        vehicle={"vin": "1HGCM82633A004352", "year": 2018},
        defendant={"last_name": "DOE", "date_of_birth": "1990-04-01"},
    )
    results = store_tickets([first, {**first, "version": 2, "agency_case_number": "V2"}, ticket(court_code="X99")])
    assert [r["status"] for r in results] == ["created", "updated", "rejected"]
    t = Ticket.objects.get(ticket_number=first["ticket_number"])
    assert t.latest_version == 2 and t.amendment_pending and t.id is not None
    versions = list(TicketVersion.objects.filter(ticket=t).order_by("version"))
    assert [v.raw for v in versions] == [first, {**first, "version": 2, "agency_case_number": "V2"}]
    assert versions[0].defendant["date_of_birth"] == "1990-04-01" and versions[1].changes == {
        "agency_case_number": ["OPD-26-001", "V2"]
    }
    assert Violation.objects.filter(ticket=t).count() == 2
    assert store_tickets([first])[0]["errors"][0]["code"] == "stale_version"
