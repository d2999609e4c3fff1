"""Issue 16 items 4 and 5 in a real browser: WSP support watches the outage burn-down refresh itself (htmx every
10 s), sets a retention period, places a hold and runs a disposition with its confirmation; AOC sees the
burn-down too. axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from citations.models import Ticket
from sector.core.models import AuditEntry, DispositionRun


def _sign_out(page):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_wsp_watches_the_burn_down_and_disposes_of_a_ticket_past_its_period(page, sign_in, axe_check):
    old = Ticket.objects.order_by("id").first()
    Ticket.objects.filter(pk=old.pk).update(status="dismissed", updated_at=timezone.now() - timedelta(days=5 * 365))

    sign_in(page, "wsp")
    page.get_by_role("link", name="Outages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outage burn-down")
    expect(page.get_by_role("region", name="Past outages")).to_contain_text("DOL")
    axe_check(page, "burndown-wsp")
    with page.expect_response(lambda r: "/feed/burndown/live/" in r.url, timeout=15_000) as polled:
        pass
    assert polled.value.status == 200
    expect(page.get_by_role("region", name="Intake backlog by court")).to_be_visible()
    axe_check(page, "burndown-wsp-after-poll")

    page.get_by_role("link", name="Records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Records retention")
    expect(page.get_by_text("Demo figure").first).to_be_visible()
    axe_check(page, "retention-periods")
    page.get_by_role("link", name="Set period of tickets the court has finished with").click()
    page.get_by_label("Years kept after closing").fill("4")
    page.get_by_label("Authority").fill("Demo: local schedule item 2026-01 (a test figure)")
    axe_check(page, "retention-period-form")
    page.get_by_role("button", name="Save the period").click()
    expect(page.get_by_text("The retention period of tickets the court has finished with is saved.")).to_be_visible()

    page.get_by_role("link", name="Holds").click()
    axe_check(page, "retention-holds")
    page.get_by_label("Record class").select_option("citations.ticket")
    page.get_by_label("Record id").fill("999999")
    page.get_by_label("What is held").fill("Ticket under a records request")
    page.get_by_label("Kind of hold").select_option("public_records")
    page.get_by_label("Case or request number").fill("PRR 2026-0099")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("The hold is placed")).to_be_visible()

    page.goto("/records/disposition/citations.ticket/")
    label = f"Ticket {old.agency.ori} {old.ticket_number}"
    expect(page.get_by_role("region", name="Records due")).to_contain_text(label)
    axe_check(page, "disposition-preview")
    page.get_by_role("button", name="Dispose of these").click()
    expect(page.get_by_text("Dispose of 1 record?").first).to_be_visible()
    axe_check(page, "disposition-confirm")
    page.get_by_role("button", name="Dispose of them").click()
    expect(page.get_by_text("Certificate of destruction SECTOR-DISP-")).to_be_visible()
    axe_check(page, "disposition-done")
    assert Ticket.objects.get(pk=old.pk).defendant_last_name == "(anonymized)"
    run = DispositionRun.objects.get()
    assert AuditEntry.objects.filter(action="core.disposition.completed", object_id=str(run.pk)).exists()

    _sign_out(page)
    sign_in(page, "aoc")
    page.get_by_role("link", name="Outages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outage burn-down")
    axe_check(page, "burndown-aoc")
    assert not page.console_errors, page.console_errors
