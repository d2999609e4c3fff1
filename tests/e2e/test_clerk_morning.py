"""A clerk's morning at 1440 px: the queue on one line per row, a search by plate, the ticket opened from the
keyboard, a case number refused with the expected form, the right one accepted, straight on to the next ticket,
and bulk accept's confirmation listing the numbers it will give. axe-core on every page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from citations.models import Ticket
from courts.selectors import QUEUE_ORDER
from courts.services import case_number_form


def test_a_clerks_morning(page, sign_in, axe_check):
    page.set_viewport_size({"width": 1440, "height": 900})
    sign_in(page, "clerk")
    page.goto("/courts/intake/")
    axe_check(page, "morning-queue")

    # One line per row, headers that stay in view.
    heights = page.locator("#results tbody tr").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    line = page.locator("#results tbody tr td").first.evaluate("td => parseFloat(getComputedStyle(td).lineHeight)")
    assert heights and max(heights) < 2 * line + 20, (heights, line)
    assert page.locator("#results thead th").first.evaluate("th => getComputedStyle(th).position") == "sticky"
    assert re.search(r"\d+ shown of [\d,]+\+? matching tickets", page.locator("#queue-count").inner_text())

    # Search by plate, typed as it reads on the car.
    open_tickets = (
        Ticket.objects.filter(court__code="D34", status="received", amendment_pending=False, void_requested=False)
        .exclude(plate="")
        .order_by(*QUEUE_ORDER)
    )
    target = open_tickets[0]
    plate = target.plate[:3].lower() + "-" + target.plate[3:].lower()
    page.get_by_label("Search").fill(plate)
    page.get_by_label("Search").press("Enter")
    page.wait_for_url(re.compile(r"q="))
    page.locator("#results").get_by_role("link", name=target.ticket_number).wait_for()
    axe_check(page, "morning-plate-search")

    # Open it from the keyboard: j moves to a row, Enter opens it.
    links = page.locator("#results a[data-row-link]")
    row = links.all_inner_texts().index(target.ticket_number)
    page.locator("main").click(position={"x": 5, "y": 5})
    for _ in range(row + 1):
        page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent.trim()") == target.ticket_number
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == f"Ticket {target.ticket_number}"
    axe_check(page, "morning-ticket")

    # A case number that does not fit the court's form is refused, saying what the form is.
    page.get_by_label("Case number").fill("26-4471")
    page.get_by_role("button", name="Accept and file").click()
    error = page.locator(".invalid-feedback, .text-danger").filter(has_text="does not match D34")
    expect(error.first).to_be_visible()
    assert "D34-YY-NNNNNN" in error.first.inner_text()
    assert Ticket.objects.get(pk=target.pk).status == "received"
    axe_check(page, "morning-case-number-refused")

    # The right one is accepted and the next ticket in queue order opens at once.
    form, _ = case_number_form(target.court)
    number = form.format(seq=700123, when=timezone.localtime())
    expected_next = next(
        t
        for t in Ticket.objects.filter(court__code="D34", needs_clerk=True).order_by(*QUEUE_ORDER)
        if (t.queue_rank, t.queue_at, t.pk) > (target.queue_rank, target.queue_at, target.pk)
    )
    # Accepted in place (htmx, issue 16): the actions card turns into the outcome, with the next ticket's link.
    page.get_by_label("Case number").fill(number)
    page.get_by_role("button", name="Accept and file").click()
    expect(page.locator("#ticket-actions").get_by_text(f"filed as case {number}")).to_be_visible()
    assert page.url.endswith(f"/courts/intake/tickets/{target.pk}/")
    assert Ticket.objects.get(pk=target.pk).case_number == number
    expect(page.locator("#ticket-status")).to_contain_text("Filed")
    axe_check(page, "morning-accepted-in-place")
    with page.expect_navigation():
        page.locator("#ticket-actions").get_by_role("link", name="Next ticket").click()
    assert page.url.endswith(f"/courts/intake/tickets/{expected_next.pk}/")
    axe_check(page, "morning-next-after-accept")

    # "Next ticket" goes on in queue order.
    with page.expect_navigation():
        page.get_by_role("link", name="Next ticket").click()
    assert not page.url.endswith(f"/{expected_next.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Ticket ")
    axe_check(page, "morning-next-ticket")

    # Bulk accept: select all on the page, and the confirmation lists the case numbers before anything is filed.
    page.goto("/courts/intake/")
    page.get_by_label("Select all on this page").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept selected…").click()
    expect(page.get_by_role("heading", name="Please confirm")).to_be_visible()
    expect(page.get_by_text(re.compile(r"→ case D34-\d{2}-\d{6}")).first).to_be_visible()
    axe_check(page, "morning-bulk-confirm")
    waiting = Ticket.objects.filter(court__code="D34", status="received").count()
    page.get_by_role("link", name="Cancel").click()
    assert Ticket.objects.filter(court__code="D34", status="received").count() == waiting
    assert not page.console_errors
