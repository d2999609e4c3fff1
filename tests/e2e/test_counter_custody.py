"""Issue 16 in the browser: the clerk scans a license at the counter, sees the custody chain and accepts in place;
WSP support sees the overdue hops; a reviewer claims and approves in place (and without JavaScript, by full
pages); a LASA sends the prosecutor a new acknowledgment link."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from citations.models import Ticket
from collisions.models import CollisionReport
from courts.demo import DEMO_SCAN
from sector.onboarding.models import ProsecutorNotice
from tests.outbox.conftest import _forget_celery_pools  # noqa: F401 - autouse: no cached eager producer pool left


def _as_a_scanner_types_it(page, text):
    """A USB-HID scanner types each character; RS cannot be typed (dropped), LF and CR arrive as Enter."""
    for line in text.replace("\x1e", "").replace("\r", "\n").split("\n"):
        if line:
            page.keyboard.type(line, delay=0)
        page.keyboard.press("Enter")


def test_clerk_scans_a_license_sees_the_chain_and_accepts_in_place(page, sign_in, axe_check):
    sign_in(page, "clerk")
    page.goto("/courts/counter/")
    axe_check(page, "counter-empty")
    expect(page.get_by_label("License barcode")).to_be_focused()

    # A bad scan (the 1-D barcode) gets a clear message.
    page.keyboard.type("0123456789012")
    page.get_by_role("button", name="Look up").click()
    expect(page.get_by_role("alert").filter(has_text="not a driver license barcode")).to_be_visible()
    axe_check(page, "counter-bad-scan")

    # The real scan submits itself when the scanner stops typing.
    page.get_by_label("License barcode").focus()
    with page.expect_navigation():
        _as_a_scanner_types_it(page, DEMO_SCAN)
    expect(page.get_by_role("heading", name="RIVERA, MARIA ELENA")).to_be_visible()
    rows = page.locator("#counter-result tbody tr")
    expect(rows).to_have_count(2)
    assert "WDLRIVERMA123" not in page.content()
    axe_check(page, "counter-result")

    # The waiting ticket: its custody chain, then accept without a page reload.
    waiting = Ticket.objects.get(licence_number="WDLRIVERMA123", issued_at__gt=timezone.now() - timedelta(days=5))
    with page.expect_navigation():
        page.get_by_role("link", name=waiting.ticket_number).click()
    chain = page.locator("#custody-chain")
    expect(chain.get_by_text("Signed by the officer")).to_be_visible()
    expect(chain.get_by_text("Received by the portal")).to_be_visible()
    expect(chain.locator("[data-hop-state=waiting]").filter(has_text="Accepted by the court")).to_be_visible()
    axe_check(page, "ticket-custody-chain")
    page.evaluate("window.__stayed = true")
    page.get_by_role("button", name="Accept and file").click()
    expect(page.locator("#ticket-actions").get_by_text("filed as case")).to_be_visible()
    assert page.evaluate("window.__stayed === true")  # no reload
    expect(page.locator("#ticket-status")).to_contain_text("Filed")
    axe_check(page, "ticket-accepted-in-place")
    page.reload()
    done = page.locator("#custody-chain [data-hop-state=done]")
    expect(done.filter(has_text="Accepted by the court")).to_be_visible()
    assert not page.console_errors, page.console_errors


def test_wsp_support_sees_overdue_hops(page, sign_in, axe_check):
    old = Ticket.objects.filter(court__code="D34", status="received").order_by("id").first()
    Ticket.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=60))  # first in the list
    sign_in(page, "wsp")
    page.goto("/feed/")
    with page.expect_navigation():
        page.get_by_role("link", name="Overdue hops").click()
    expect(page.get_by_role("heading", name="Custody hops missing past their expected time")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(f"Ticket {old.ticket_number}"))).to_be_visible()
    axe_check(page, "feed-overdue-tickets")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Deliveries not acknowledged")).click()
    axe_check(page, "feed-overdue-deliveries")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Tickets not accepted")).click()
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile(f"Ticket {old.ticket_number}")).click()
    expect(page.locator("#custody-chain [data-hop-state=overdue]")).to_be_visible()
    axe_check(page, "wsp-ticket-custody-chain")


def _clean_report():
    return (
        CollisionReport.objects.filter(agency__ori="WA0340100", status="pending", error_count=0, claimed_by=None)
        .exclude(author__username="reviewer")
        .order_by("queued_at", "id")
        .first()
    )


def test_reviewer_claims_and_approves_in_place_and_without_javascript(page, sign_in, axe_check, browser, live_server):
    sign_in(page, "reviewer")
    report = _clean_report()
    page.goto(f"/collisions/{report.pk}/")
    page.evaluate("window.__stayed = true")
    page.get_by_role("button", name="Claim for 30 minutes").click()
    expect(page.locator("#review-region").get_by_text("You hold report")).to_be_visible()
    axe_check(page, "review-claimed-in-place")
    page.get_by_role("button", name=re.compile("^Approve version")).click()
    expect(page.locator("#review-region").get_by_role("heading", name=re.compile("^Approve report"))).to_be_visible()
    axe_check(page, "review-confirm-in-place")
    page.get_by_role("button", name=re.compile("^Approve and send version")).click()
    expect(page.locator("#review-region").get_by_text("it is on its way to DOT and DOL")).to_be_visible()
    assert page.evaluate("window.__stayed === true")
    assert CollisionReport.objects.get(pk=report.pk).status == "approved"
    expect(page.locator("#custody-chain")).to_be_visible()
    axe_check(page, "review-approved-in-place")

    # Without JavaScript (no htmx): the same buttons post full pages and the confirmation is a page.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False).new_page()
    sign_in(plain, "reviewer")
    other = _clean_report()
    plain.goto(f"/collisions/{other.pk}/")
    with plain.expect_navigation():
        plain.get_by_role("button", name="Claim for 30 minutes").click()
    expect(plain.get_by_text("You hold report")).to_be_visible()
    with plain.expect_navigation():
        plain.get_by_role("button", name=re.compile("^Approve version")).click()
    with plain.expect_navigation():
        plain.get_by_role("button", name=re.compile("^Approve and send version")).click()
    expect(plain.get_by_text(re.compile("it is on its way to DOT and DOL"))).to_be_visible()
    assert CollisionReport.objects.get(pk=other.pk).status == "approved"
    assert not page.console_errors, page.console_errors


def test_lasa_sends_the_prosecutor_a_new_link(page, sign_in, axe_check):
    notice = ProsecutorNotice.objects.filter(
        survey__onboarding__agency__ori="WA0340100", acknowledged_at__isnull=True
    ).first()
    if notice is None:  # the demo acknowledged it: a fresh, unacknowledged notice is what this path needs
        notice = ProsecutorNotice.objects.get(survey__onboarding__agency__ori="WA0340100")
        ProsecutorNotice.objects.filter(pk=notice.pk).update(acknowledged_at=None)
    ProsecutorNotice.objects.filter(pk=notice.pk).update(created_at=timezone.now() - timedelta(days=45))
    sign_in(page, "lasa")
    page.goto("/onboarding/agencies/WA0340100/")
    expect(page.get_by_text("Link expired")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Send a new acknowledgment link…").click()
    expect(page.get_by_text("The old link stays dead")).to_be_visible()
    axe_check(page, "prosecutor-new-link-confirm")
    with page.expect_navigation():
        page.get_by_role("button", name="Send a new link").click()
    expect(page.get_by_text(re.compile("A new acknowledgment link was sent to"))).to_be_visible()
    assert ProsecutorNotice.objects.get(pk=notice.pk).links_issued == 2
    axe_check(page, "prosecutor-new-link-sent")
