"""A clerk filters the queue, opens a ticket, accepts one, requests a correction on another; the LASA sees it."""

import re

from playwright.sync_api import expect

from citations.models import Ticket


def test_clerk_intake_and_lasa_sees_the_correction_request(page, sign_in, axe_check, browser, live_server):
    where = []
    page.on("console", lambda msg: where.append((msg.location, msg.text[-200:])) if msg.type == "error" else None)
    sign_in(page, "clerk")
    page.goto("/courts/intake/")
    assert page.get_by_role("heading", level=1).inner_text() == "Intake queue"
    axe_check(page, "clerk-intake")

    # Filter: criminal citations only (htmx swaps the rows; the URL keeps the filter).
    page.get_by_label("Kind").select_option("criminal")
    page.wait_for_url(re.compile(r"kind=criminal"))
    kinds = page.locator("#results tbody tr td:nth-child(7)").all_inner_texts()
    assert kinds and all("Criminal" in k for k in kinds)
    axe_check(page, "clerk-intake-filtered")

    # Search for a ticket by number, open it, and accept it with a generated case number.
    open_tickets = Ticket.objects.filter(
        court__code="D34", agency__ori="WA0340100", status="received", amendment_pending=False, void_requested=False
    ).order_by("queue_rank", "queue_at", "id")
    number = open_tickets[0].ticket_number
    page.goto("/courts/intake/")
    page.get_by_label("Search").fill(number)
    page.get_by_label("Search").press("Enter")
    page.wait_for_url(re.compile(rf"q={number}"))
    page.locator("#results tbody tr td:nth-child(2) a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Ticket {number}"
    axe_check(page, "clerk-ticket-detail")
    page.get_by_role("button", name="Accept and file").click()
    expect(page.get_by_text(re.compile(rf"Ticket {number} filed as case D34-"))).to_be_visible()
    axe_check(page, "clerk-ticket-accepted")
    assert Ticket.objects.get(ticket_number=number, court__code="D34").status == "accepted"

    # Request a correction on another ticket from Olympia PD, keyboard only for the form.
    target = open_tickets.exclude(ticket_number=number).first()
    page.goto(f"/courts/intake/tickets/{target.pk}/")
    page.get_by_label("Reason").select_option("violation")
    page.get_by_label("Note").fill("The RCW cited does not match the description.")
    page.get_by_label("Note").press("Tab")
    page.get_by_role("button", name="Request correction").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Correction requested; the agency has been told.")).to_be_visible()
    axe_check(page, "clerk-correction-requested")
    assert not page.console_errors, where

    # The LASA of Olympia PD sees it under "needs your action".
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    lasa = context.new_page()
    sign_in(lasa, "lasa")
    lasa.goto("/tickets/")
    axe_check(lasa, "lasa-tickets")
    lasa.get_by_role("link", name=re.compile("need.* your action")).click()
    lasa.get_by_role("link", name=target.ticket_number).click()
    expect(lasa.locator(".alert-warning").get_by_text("The RCW cited does not match")).to_be_visible()
    axe_check(lasa, "lasa-ticket-correction")
    lasa.goto("/tickets/numbers/")
    axe_check(lasa, "lasa-number-blocks")
    context.close()


def test_wsp_feed_screens(page, sign_in, axe_check):
    sign_in(page, "wsp")
    page.goto("/feed/")
    axe_check(page, "wsp-feed")
    page.goto("/feed/exceptions/")
    axe_check(page, "wsp-exceptions")
    page.locator("table tbody tr td a").first.click()
    axe_check(page, "wsp-exception-detail")
    page.goto("/feed/credentials/")
    page.get_by_label("Sending system").fill("TRACS-TEST")
    page.get_by_label("Tickets").check()
    page.get_by_label("Only these agencies").check()
    page.get_by_label("Agency ORIs").fill("WA0340100")
    page.get_by_role("button", name="Issue a token").click()
    token = page.get_by_label("Token").input_value()
    assert token.startswith("sfd_")
    axe_check(page, "wsp-credentials")
