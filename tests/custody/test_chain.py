"""The custody chain of tickets and collision reports, and the overdue hops on the feed screens."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from citations.custody import chain_for
from citations.models import Ticket, TicketVersion
from collisions.custody import report_chain
from courts.services import ticket_accept
from sector.core import custody
from sector.feed.outbox_models import Delivery
from tests.collisions.factories import make_destination, make_report
from tests.feed.factories import make_ticket


def _chain(ticket):
    ticket = Ticket.objects.select_related("court").get(pk=ticket.pk)
    return chain_for(ticket, list(TicketVersion.objects.filter(ticket=ticket)))


def _by_label(hops):
    return {h.label: h for h in hops}


def test_an_accepted_tickets_chain_names_each_hop_and_the_clerk_who_accepted(world):
    ticket = ticket_accept(ticket=make_ticket(world), actor=world.users["clerk"])
    hops = _by_label(_chain(ticket))
    assert list(hops) == [
        "Signed by the officer", "Sent by the Back Office", "Received by the portal", "Filed (GR 30)",
        "Accepted by the court",
    ]  # fmt: skip
    assert hops["Signed by the officer"].by == "Ofc. Jamie Park"
    assert "Olympia, WA" in hops["Signed by the officer"].detail
    assert hops["Sent by the Back Office"].by == "TEST-FEED"
    accepted = hops["Accepted by the court"]
    assert accepted.state == custody.DONE and accepted.at == ticket.accepted_at
    assert accepted.detail == f"Case {ticket.case_number}"
    assert "clerk" in accepted.by


def test_a_ticket_waiting_past_three_days_is_overdue_and_one_waiting_less_is_not(world):
    ticket = make_ticket(world)
    assert _by_label(_chain(ticket))["Accepted by the court"].state == custody.WAITING
    Ticket.objects.filter(pk=ticket.pk).update(received_at=timezone.now() - timedelta(days=4))
    assert _by_label(_chain(ticket))["Accepted by the court"].state == custody.OVERDUE


def test_a_duplicate_never_waits_for_acceptance(world):
    from courts.services import ticket_mark_duplicate

    original = make_ticket(world)
    copy = ticket_mark_duplicate(ticket=make_ticket(world), actor=world.users["clerk"], original=original)
    assert _by_label(_chain(copy))["Accepted by the court"].state == custody.CLOSED


def test_the_ticket_chain_costs_one_query(world, django_assert_num_queries):
    ticket = Ticket.objects.select_related("court").get(pk=make_ticket(world).pk)
    versions = list(TicketVersion.objects.filter(ticket=ticket))
    ContentType.objects.get_for_model(Ticket)  # cached once per process (the page's audit timeline uses it too)
    with django_assert_num_queries(1):
        chain_for(ticket, versions)


def _approved_report_with_deliveries(world):
    from collisions.models import CollisionVersion
    from collisions.services import report_approve

    make_destination("DOT", name="WSDOT collision records")
    make_destination("DOL", name="DOL driver records")
    report = make_report()
    report = report_approve(actor=world.users["reviewer"], report_id=report.pk)
    versions = list(CollisionVersion.objects.filter(report=report).defer("raw"))
    return report, versions


def _deliveries(report):
    return list(Delivery.objects.filter(record_type="collision", record_id=report.pk).select_related("destination"))


def test_a_reports_chain_runs_to_each_destinations_acknowledgment(world, settings):
    report, versions = _approved_report_with_deliveries(world)
    deliveries = _deliveries(report)
    assert len(deliveries) == 2
    dot = next(d for d in deliveries if d.destination.code == "DOT")
    Delivery.objects.filter(pk=dot.pk).update(
        status="delivered", delivered_at=timezone.now(), last_status_code=201, ack='{"receipt": "DOT-778"}'
    )
    dol = next(d for d in deliveries if d.destination.code == "DOL")
    Delivery.objects.filter(pk=dol.pk).update(created_at=timezone.now() - timedelta(hours=3))
    deliveries = _deliveries(report)
    hops = _by_label(report_chain(report, versions, deliveries))
    assert hops["Approved by the agency"].state == custody.DONE
    assert hops["Delivered to WSDOT collision records"].state == custody.DONE
    assert "HTTP 201" in hops["Delivered to WSDOT collision records"].detail
    assert "DOT-778" in hops["Delivered to WSDOT collision records"].detail
    assert hops["Delivered to DOL driver records"].state == custody.OVERDUE


OVERDUE = "/feed/overdue/"


@pytest.fixture
def overdue_world(world):
    waiting = make_ticket(world)
    Ticket.objects.filter(pk=waiting.pk).update(received_at=timezone.now() - timedelta(days=5))
    make_ticket(world)  # fresh: not overdue
    report, _ = _approved_report_with_deliveries(world)
    Delivery.objects.filter(record_id=report.pk).update(created_at=timezone.now() - timedelta(hours=2))
    return waiting, report


def test_wsp_support_sees_overdue_tickets_and_deliveries(as_persona, overdue_world):
    waiting, report = overdue_world
    client = as_persona("wsp")
    page = client.get(OVERDUE)
    assert page.status_code == 200
    assert [r.record for r in page.context["rows"]] == [f"Ticket {waiting.ticket_number} (Olympia Police Department)"]
    counts = {t["source"].key: t["count"] for t in page.context["tabs"]}
    assert counts == {"tickets": 1, "reviews": 0, "deliveries": 2}
    deliveries = client.get(OVERDUE, {"hop": "deliveries"})
    assert len(deliveries.context["rows"]) == 2


def test_the_overdue_sources_are_scoped_by_the_policy(world, overdue_world):
    from sector.feed.registry import overdue_hops

    now = timezone.now()
    counts = {s.key: s.queryset(world.users["lasa2"], now).count() for s in overdue_hops}  # agency B
    assert counts == {"tickets": 0, "reviews": 0, "deliveries": 0}
    assert {s.key: s.queryset(world.users["lasa"], now).count() for s in overdue_hops}["tickets"] == 1


def test_the_overdue_list_costs_the_same_for_more_rows(as_persona, world, overdue_world, django_assert_max_num_queries):
    client = as_persona("wsp")
    client.get(OVERDUE)
    with django_assert_max_num_queries(16) as small:
        client.get(OVERDUE)
    for _ in range(5):
        t = make_ticket(world)
        Ticket.objects.filter(pk=t.pk).update(received_at=timezone.now() - timedelta(days=6))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(OVERDUE)


def test_chains_show_on_the_clerk_agency_and_report_pages(as_persona, world):
    ticket = make_ticket(world)
    for persona, url in (("clerk", f"/courts/intake/tickets/{ticket.pk}/"), ("lasa", f"/tickets/{ticket.pk}/"),
                         ("wsp", f"/tickets/{ticket.pk}/")):  # fmt: skip
        body = as_persona(persona).get(url).content.decode()
        assert "Custody chain" in body and "Received by the portal" in body, persona
    report, _ = _approved_report_with_deliveries(world)
    for persona in ("reviewer", "wsp"):
        body = as_persona(persona).get(f"/collisions/{report.pk}/").content.decode()
        assert "Custody chain" in body and "Delivered to WSDOT collision records" in body, persona
