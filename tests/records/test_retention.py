"""Records retention and holds (issue 16 item 5): periods are reference data, holds stop disposition, a dry run
lists what is due, and a confirmed run anonymizes or removes it and writes a certificate of destruction."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from citations.choices import TicketStatus
from citations.models import Ticket, TicketVersion
from sector.core.models import AuditEntry, DispositionRun, RetentionPeriod
from sector.core.retention import (
    RetentionError,
    disposition_preview,
    disposition_run,
    hold_place,
    hold_release,
    retention_period_set,
)
from tests.feed.factories import make_ticket

pytestmark = pytest.mark.django_db

KEY = "citations.ticket"


def _closed_ticket(world, *, days_ago=800, status=TicketStatus.DISMISSED):
    t = make_ticket(world)
    Ticket.objects.filter(pk=t.pk).update(status=status, updated_at=timezone.now() - timedelta(days=days_ago))
    return Ticket.objects.get(pk=t.pk)


def test_nothing_is_due_until_a_retention_period_is_set(world):
    _closed_ticket(world)
    preview = disposition_preview(actor=world.users["wsp"], record_class_key=KEY)
    assert preview.period is None and preview.due == []
    with pytest.raises(RetentionError):
        disposition_run(actor=world.users["wsp"], record_class_key=KEY, expected=["1"])


def test_setting_a_period_is_audited_with_its_change_and_demo_mark(world):
    wsp = world.users["wsp"]
    retention_period_set(actor=wsp, record_class_key=KEY, years=3, authority="Demo item", demo=True)
    period = retention_period_set(actor=world.users["aoc"], record_class_key=KEY, years=5, authority="Demo item 2")
    assert (period.years, period.demo, period.set_by) == (5, False, world.users["aoc"])
    entry = AuditEntry.objects.filter(action="core.retention_period.saved").first()
    assert entry.changes["years"] == [3, 5] and entry.changes["demo"] == [True, False]


@pytest.mark.parametrize("persona", ["clerk", "lasa", "waspc", "outsider"])
def test_only_the_records_officers_set_periods_holds_and_runs(world, persona):
    user = world.users[persona]
    with pytest.raises(PermissionDenied):
        retention_period_set(actor=user, record_class_key=KEY, years=3, authority="x")
    with pytest.raises(PermissionDenied):
        hold_place(actor=user, record_class_key=KEY, object_id="1", label="x", kind="legal", reference="x")
    with pytest.raises(PermissionDenied):
        disposition_run(actor=user, record_class_key=KEY, expected=["1"])


def test_a_period_needs_its_authority_and_a_year(world):
    with pytest.raises(RetentionError):
        retention_period_set(actor=world.users["wsp"], record_class_key=KEY, years=3, authority="  ")
    with pytest.raises(RetentionError):
        retention_period_set(actor=world.users["wsp"], record_class_key=KEY, years=0, authority="x")


def test_a_dry_run_lists_closed_tickets_past_the_period_and_changes_nothing(world):
    wsp = world.users["wsp"]
    old = _closed_ticket(world)
    recent = _closed_ticket(world, days_ago=10)
    still_open = make_ticket(world)
    Ticket.objects.filter(pk=still_open.pk).update(updated_at=timezone.now() - timedelta(days=900))
    retention_period_set(actor=wsp, record_class_key=KEY, years=2, authority="Demo item")
    preview = disposition_preview(actor=wsp, record_class_key=KEY)
    assert [i.pk for i in preview.due] == [str(old.pk)]
    assert old.defendant_last_name not in preview.due[0].label  # labels name the ticket, not the person
    assert Ticket.objects.get(pk=old.pk).defendant_last_name == old.defendant_last_name
    assert recent.pk and not DispositionRun.objects.exists()


def test_a_hold_stops_disposition_until_it_is_released(world):
    wsp = world.users["wsp"]
    t = _closed_ticket(world)
    retention_period_set(actor=wsp, record_class_key=KEY, years=2, authority="Demo item")
    hold = hold_place(
        actor=wsp, record_class_key=KEY, object_id=str(t.pk), label="Ticket 1", kind="public_records",
        reference="PRR 2026-0042",
    )  # fmt: skip
    preview = disposition_preview(actor=wsp, record_class_key=KEY)
    assert preview.due == [] and [i.pk for i in preview.held] == [str(t.pk)]
    with pytest.raises(RetentionError):
        disposition_run(actor=wsp, record_class_key=KEY, expected=[str(t.pk)])
    assert Ticket.objects.get(pk=t.pk).defendant_last_name != "(anonymized)"

    hold_release(actor=wsp, hold=hold, note="Request fulfilled")
    with pytest.raises(RetentionError):
        hold_release(actor=wsp, hold=hold, note="again")
    assert [i.pk for i in disposition_preview(actor=wsp, record_class_key=KEY).due] == [str(t.pk)]
    assert list(AuditEntry.objects.filter(action__startswith="core.hold.").values_list("action", flat=True)) == [
        "core.hold.released",
        "core.hold.placed",
    ]


def test_a_run_anonymizes_the_ticket_and_its_versions_and_certifies_it(world):
    wsp = world.users["wsp"]
    t = _closed_ticket(world)
    name = t.defendant_last_name
    retention_period_set(actor=wsp, record_class_key=KEY, years=2, authority="Demo item", demo=True)
    run = disposition_run(actor=wsp, record_class_key=KEY, expected=[str(t.pk)])
    t.refresh_from_db()
    assert (t.defendant_last_name, t.defendant_first_name, t.defendant_dob, t.licence_number) == (
        "(anonymized)", "", None, "",
    )  # fmt: skip
    assert t.ticket_number and t.court_id  # what the program counts stays
    assert all(v.raw == {"anonymized": True} and v.defendant == {} for v in TicketVersion.objects.filter(ticket=t))
    assert run.count == 1 and run.items == [{"id": str(t.pk), "label": f"Ticket WA0340100 {t.ticket_number}"}]
    cert = AuditEntry.objects.get(action="core.disposition.completed")
    assert cert.data["certificate_of_destruction"] == f"SECTOR-DISP-{run.pk:06d}"
    assert cert.data["method"] == "anonymized" and cert.data["count"] == 1 and cert.data["demo_period"] is True
    assert name not in str(cert.data)
    assert disposition_preview(actor=wsp, record_class_key=KEY).due == []  # done once


def test_a_resolved_feed_exception_past_its_period_is_removed(world):
    from sector.feed.models import FeedException
    from tests.feed.factories import store_tickets, ticket

    store_tickets([ticket(court_code="X99")])
    exc = FeedException.objects.get()
    FeedException.objects.filter(pk=exc.pk).update(status="dismissed", resolved_at=timezone.now() - timedelta(days=800))
    wsp = world.users["wsp"]
    retention_period_set(actor=wsp, record_class_key="feed.feedexception", years=1, authority="Demo item")
    run = disposition_run(actor=wsp, record_class_key="feed.feedexception", expected=[str(exc.pk)])
    assert run.count == 1 and not FeedException.objects.exists()


def test_the_screens_preview_confirm_and_run(world):
    client = world.client_for("wsp")
    t = _closed_ticket(world)
    RetentionPeriod.objects.create(record_class=KEY, years=2, authority="Demo item", demo=True, set_at=timezone.now())
    url = reverse("retention:disposition", kwargs={"key": KEY})
    page = client.get(url)
    assert page.status_code == 200 and f"Ticket WA0340100 {t.ticket_number}" in page.content.decode()
    assert "Demo figure" in page.content.decode()
    asked = client.post(url, {"pk": [str(t.pk)]})
    assert asked.status_code == 200 and "cannot be undone" in asked.content.decode()
    assert not DispositionRun.objects.exists()
    done = client.post(url, {"pk": [str(t.pk)], "confirmed": "1"})
    assert done.status_code == 302 and DispositionRun.objects.count() == 1
    assert client.get(reverse("retention:period_list")).status_code == 200


def test_the_hold_screen_places_and_releases_with_a_confirmation(world):
    client = world.client_for("aoc")
    response = client.post(
        reverse("retention:hold_list"),
        {"record_class": KEY, "object_id": "42", "label": "Ticket 42", "kind": "legal", "reference": "Case 1"},
    )
    assert response.status_code == 302
    from sector.core.models import RecordHold

    hold = RecordHold.objects.get()
    release = reverse("retention:hold_release", kwargs={"pk": hold.pk})
    assert client.post(release, {"note": "Closed"}).status_code == 200  # the confirmation
    assert RecordHold.objects.get().active
    assert client.post(release, {"note": "Closed", "confirmed": "1"}).status_code == 302
    assert not RecordHold.objects.get().active


def test_unknown_record_class_pages_are_404(world):
    client = world.client_for("wsp")
    assert client.get(reverse("retention:disposition", kwargs={"key": "nope"})).status_code == 404
    assert client.get(reverse("retention:period_edit", kwargs={"key": "nope"})).status_code == 404


def test_the_hold_list_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = world.client_for("wsp")
    for i in range(30):
        hold_place(actor=world.users["wsp"], record_class_key=KEY, object_id=str(i), label=f"T{i}", kind="legal",
                   reference="R")  # fmt: skip
    with django_assert_max_num_queries(12):
        assert client.get(reverse("retention:hold_list")).status_code == 200
