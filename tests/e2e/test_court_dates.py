"""A clerk finds the appearance dates to check from the dashboard, opens one, and reads a response deadline
that was moved off a day the court is closed (the demo data has both)."""

import re

from playwright.sync_api import expect

from citations.models import Ticket


def test_clerk_sees_appearance_warnings_and_moved_deadlines(page, sign_in, axe_check):
    sign_in(page, "clerk")
    page.goto("/courts/intake/")
    flagged = Ticket.objects.filter(court__code="D34", needs_clerk=True).exclude(appearance_warning="")
    assert {"appearance_on_closed_day", "appearance_past"} <= set(flagged.values_list("appearance_warning", flat=True))
    card = page.get_by_text("Appearance to check").locator("..")
    assert card.get_by_role("link").inner_text() == str(flagged.count())

    card.get_by_role("link").click()
    page.wait_for_url(re.compile(r"appearance=on"))
    rows = page.locator("#results tbody tr")
    assert rows.count() == flagged.count()
    expect(page.locator("#results").get_by_text("Appearance on a closed day").first).to_be_visible()
    expect(page.locator("#results").get_by_text("Appearance already past").first).to_be_visible()
    axe_check(page, "clerk-intake-appearance-warnings")

    closed = flagged.filter(appearance_warning="appearance_on_closed_day").first()
    page.get_by_role("link", name=closed.ticket_number, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Ticket {closed.ticket_number}"
    expect(page.get_by_text(re.compile("falls on a day the court is closed"))).to_be_visible()
    axe_check(page, "clerk-ticket-appearance-warning")

    moved = Ticket.objects.filter(court__code="D34", response_due_moved_from__isnull=False).first()
    page.goto(f"/courts/intake/tickets/{moved.pk}/")
    expect(page.get_by_text(re.compile(r"Moved from \w{3} \w{3} \d+ \(.+\) to \w{3} \w{3} \d+"))).to_be_visible()
    axe_check(page, "clerk-ticket-moved-deadline")
