"""A reviewer claims, returns and approves collision reports; the officer sees the notes; WSP sees the deliveries."""

import re

import pytest
from playwright.sync_api import expect

from collisions.models import CollisionReport
from sector.feed.outbox_models import Delivery
from tests.outbox.conftest import _forget_celery_pools  # noqa: F401 - autouse: no cached eager producer pool left


@pytest.fixture
def outbox_dir(settings, tmp_path):
    settings.DEMO_OUTBOX_DIR = str(tmp_path)
    return tmp_path


def test_reviewer_claims_returns_and_approves(outbox_dir, page, sign_in, axe_check, browser, live_server):
    sign_in(page, "reviewer")
    page.goto("/collisions/review/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Collision reports")
    expect(page.get_by_text("Review was due").first).to_be_visible()
    axe_check(page, "reviewer-queue")

    # Claim next: the oldest waiting report the reviewer did not write.
    page.get_by_role("button", name="Claim next report").click()
    page.wait_for_url(re.compile(r"/collisions/\d+/$"))
    expect(page.get_by_text(re.compile("You hold report E2026-"))).to_be_visible()
    axe_check(page, "reviewer-claimed")
    pk = int(page.url.rstrip("/").split("/")[-1])
    assert CollisionReport.objects.get(pk=pk).claimed_by.username == "reviewer"
    page.get_by_role("button", name="Release claim").click()
    expect(page.get_by_text("Claim released")).to_be_visible()
    assert CollisionReport.objects.get(pk=pk).claimed_by is None

    # Open a report the officer wrote, claim it, and return it with a note on the narrative (keyboard for the form).
    report = CollisionReport.objects.filter(author__username="officer", status="pending").order_by("id").first()
    page.goto(f"/collisions/{report.pk}/")
    page.get_by_role("button", name="Claim for 30 minutes").click()
    expect(page.locator("#review-region").get_by_text("You hold report")).to_be_visible()  # in place (htmx)
    page.get_by_text("Return to the officer with notes").click()
    page.get_by_role("textbox", name="Narrative").fill("Say which signal phase unit 2 had.")
    page.get_by_role("button", name=re.compile("^Return version")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Returned to the officer with your notes")).to_be_visible()
    report.refresh_from_db()
    assert report.status == "returned"

    # Approve a clean report: its deliveries go to the two demo folder destinations.
    clean = (
        CollisionReport.objects.filter(agency__ori="WA0340100", status="pending", error_count=0, claimed_by=None)
        .exclude(author__username="reviewer")
        .order_by("queued_at", "id")
        .first()
    )
    page.goto(f"/collisions/{clean.pk}/")
    axe_check(page, "reviewer-report-detail")
    page.get_by_role("button", name=re.compile("^Approve version")).click()
    page.get_by_role("button", name=re.compile("^Approve and send version")).click()
    expect(page.get_by_text(re.compile("it is on its way to DOT and DOL"))).to_be_visible()
    assert set(Delivery.objects.filter(record_id=clean.pk).values_list("status", flat=True)) == {"delivered"}
    assert sorted(p.parent.name for p in outbox_dir.rglob(f"*{clean.report_number}*.json")) == ["dol", "dot"]

    # A report with errors offers no approval.
    broken = CollisionReport.objects.filter(agency__ori="WA0340100", status="pending", error_count__gt=0).first()
    page.goto(f"/collisions/{broken.pk}/")
    expect(page.get_by_text("Approval is blocked while the report has errors")).to_be_visible()
    assert page.get_by_role("button", name=re.compile("^Approve")).count() == 0

    # The officer who wrote the returned report sees the note.
    officer = browser.new_context(base_url=live_server.url).new_page()
    sign_in(officer, "officer")
    officer.goto("/collisions/review/?status=returned")
    axe_check(officer, "officer-returned")
    expect(officer.get_by_role("link", name=report.report_number)).to_be_visible()
    officer.goto(f"/collisions/{report.pk}/")
    expect(officer.get_by_text("Say which signal phase unit 2 had.").first).to_be_visible()
    axe_check(officer, "officer-report-notes")

    # WSP support sees delivery status per destination.
    wsp = browser.new_context(base_url=live_server.url).new_page()
    sign_in(wsp, "wsp")
    wsp.goto("/feed/outbox/")
    assert wsp.get_by_role("heading", level=1).inner_text() == "Deliveries to DOT and DOL"
    axe_check(wsp, "wsp-destinations")
    wsp.goto(f"/collisions/{clean.pk}/access/")
    expect(wsp.get_by_text("Viewed the report").first).to_be_visible()
    axe_check(wsp, "wsp-access-log")
    wsp.goto("/collisions/dashboard/")
    axe_check(wsp, "wsp-collision-dashboard")


def test_reviewer_finds_a_report_by_driver_and_approves_after_confirming(outbox_dir, page, sign_in, axe_check):
    sign_in(page, "reviewer")
    target = (
        CollisionReport.objects.filter(agency__ori="WA0340100", status="pending", error_count=0, claimed_by=None)
        .exclude(author__username="reviewer")
        .order_by("queued_at", "id")
        .first()
    )
    last, first = target.driver_names.strip("|").split("|")[0].split(" ", 1)
    page.goto("/collisions/review/")
    page.get_by_label("Search", exact=True).fill(f"{first.title()} {last.title()}")  # First Last, as a caller gives it
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(re.compile(r"\d+ of \d+ reports? matching your search"))).to_be_visible()
    axe_check(page, "reviewer-queue-search")
    numbers = page.locator("tbody a").all_inner_texts()
    assert target.report_number in numbers
    assert all(f"|{last} {first}|" in r.driver_names for r in CollisionReport.objects.filter(report_number__in=numbers))
    page.get_by_role("link", name=target.report_number).click()
    expect(page.get_by_text(target.get_severity_display()).first).to_be_visible()  # the KABCO code with its label
    page.get_by_role("button", name=re.compile("^Approve version")).click()
    assert page.get_by_role("heading", name=f"Approve report {target.report_number} and send it to DOT and DOL?")
    expect(
        page.get_by_text(re.compile("is sent to DOL collision exchange .* and WSDOT collision exchange"))
    ).to_be_visible()
    axe_check(page, "reviewer-approve-confirm")
    target.refresh_from_db()
    assert target.status == "pending"
    page.get_by_role("button", name=re.compile("^Approve and send version")).click()
    expect(page.get_by_text(re.compile("it is on its way to DOT and DOL"))).to_be_visible()
    axe_check(page, "reviewer-approved")
    target.refresh_from_db()
    assert target.status == "approved"
    assert not page.console_errors, page.console_errors
