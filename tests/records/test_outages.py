"""The outage burn-down (issue 16 item 4): outages stored when a destination pauses and reconciled when it
reopens, feed gaps, the backlog by court and destination with rates and time to clear, live by htmx."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from citations.models import Ticket
from sector.feed import outbox
from sector.feed.models import Batch
from sector.feed.outage_models import Outage, OutageKind
from sector.feed.outages import Line, burndown, outages_sync
from sector.feed.outbox_models import Delivery, DeliveryStatus, Destination
from tests.feed.factories import make_ticket

pytestmark = pytest.mark.django_db


def _dest(code="DOT"):
    return Destination.objects.create(code=code, name=f"{code} test", url="http://127.0.0.1:9/down")


def _deliveries(dest, n, *, created_ago=timedelta(minutes=1), delivered=False):
    now = timezone.now()
    return Delivery.objects.bulk_create(
        Delivery(destination=dest, record_type="collision", record_id=i, label=f"r{i}",
                 idempotency_key=f"k{i}:{dest.code}:{delivered}:{created_ago}", payload=b"{}",
                 next_attempt_at=now, created_at=now - created_ago,
                 status=DeliveryStatus.DELIVERED if delivered else DeliveryStatus.PENDING,
                 delivered_at=now if delivered else None)
        for i in range(n)
    )  # fmt: skip


def test_a_destination_that_pauses_gets_an_outage_once(settings):
    settings.OUTBOX_PAUSE_AFTER_FAILURES = 2
    dest = _dest()
    _deliveries(dest, 5)
    now = timezone.now()
    assert not outbox._destination_down(dest, now)  # first failure: not yet paused
    assert not Outage.objects.exists()
    assert outbox._destination_down(dest, now)  # paused now
    outage = Outage.objects.get()
    assert (outage.kind, outage.destination, outage.ended_at, outage.peak_backlog) == ("destination", dest, None, 5)
    outbox._destination_down(dest, now)  # still down: no second outage
    assert Outage.objects.count() == 1


def test_the_sync_closes_an_outage_when_the_destination_reopens_and_notes_when_it_cleared():
    dest = _dest()
    pending = _deliveries(dest, 3)
    Destination.objects.filter(pk=dest.pk).update(paused_until=timezone.now() + timedelta(seconds=30))
    assert outages_sync() == 1  # a pause the signal did not see (an update) is found by the sync
    outage = Outage.objects.get()
    # The probe succeeded: the outbox reopens the destination with an update (no signal) and delivers.
    Destination.objects.filter(pk=dest.pk).update(paused_until=None, consecutive_failures=0)
    back = timezone.now()
    Delivery.objects.filter(pk=pending[0].pk).update(status=DeliveryStatus.DELIVERED, delivered_at=back)
    outages_sync()
    outage.refresh_from_db()
    assert outage.ended_at == back and outage.cleared_at is None  # two still wait
    Delivery.objects.filter(destination=dest).update(status=DeliveryStatus.DELIVERED, delivered_at=back)
    outages_sync()
    outage.refresh_from_db()
    assert outage.cleared_at == back
    assert outages_sync() == 0  # idempotent


def test_a_batch_after_a_long_silence_records_a_feed_gap(world, settings):
    settings.FEED_GAP_MINUTES = 30
    make_ticket(world)
    Batch.objects.update(received_at=timezone.now() - timedelta(hours=3))
    make_ticket(world)
    gap = Outage.objects.get(kind=OutageKind.FEED)
    assert gap.system == "TEST-FEED" and gap.duration_seconds >= 3 * 3600 - 60
    make_ticket(world)  # the next batch right after: no gap
    assert Outage.objects.filter(kind=OutageKind.FEED).count() == 1


def test_the_time_to_clear_is_the_backlog_over_the_net_rate():
    window = timedelta(minutes=15)
    assert Line("x", waiting=100, arrived=10, cleared=60, window=window).clear_seconds == pytest.approx(1800)
    assert Line("x", waiting=100, arrived=60, cleared=60, window=window).clear_seconds is None  # not draining
    assert Line("x", waiting=0, arrived=0, cleared=0, window=window).clear_seconds is None


def test_the_burn_down_counts_tickets_by_court_and_deliveries_by_destination(world):
    for _ in range(3):
        make_ticket(world)
    filed = make_ticket(world)
    Ticket.objects.filter(pk=filed.pk).update(status="accepted", last_action_at=timezone.now())
    dest = _dest()
    _deliveries(dest, 4)
    _deliveries(dest, 6, delivered=True, created_ago=timedelta(hours=2))
    b = burndown(user=world.users["wsp"])
    [court] = b.intake
    assert (court.label, court.waiting, court.arrived, court.cleared) == (world.court_a.name, 3, 4, 1)
    [line] = b.destinations
    assert (line.waiting, line.arrived, line.cleared, line.state) == (4, 4, 6, "Open")
    assert line.clear_seconds == pytest.approx(4 / (2 / 900))
    assert [s["system"] for s in b.senders] == ["TEST-FEED"]


def test_the_page_polls_its_fragment_and_works_without_javascript(world):
    make_ticket(world)
    client = world.client_for("aoc")
    page = client.get(reverse("feed:burndown")).content.decode()
    assert 'hx-trigger="every 10s"' in page and reverse("feed:burndown_live") in page
    assert world.court_a.name in page  # the numbers are in the page itself, not only in the fragment
    live = client.get(reverse("feed:burndown_live"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in live and world.court_a.name in live and "Past outages" in live


def test_the_burn_down_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from tests.factories import CourtFactory

    for i in range(5):
        _dest(f"D{i}")
        CourtFactory(code=f"Z{i}", name=f"Court {i}")
        Outage.objects.create(kind=OutageKind.FEED, system="X", started_at=timezone.now(), ended_at=timezone.now())
    make_ticket(world)
    client = world.client_for("wsp")
    client.get(reverse("feed:burndown_live"))  # the first sync opens nothing; warm the session
    with django_assert_max_num_queries(16):
        assert client.get(reverse("feed:burndown_live")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("feed:burndown")).status_code == 200
