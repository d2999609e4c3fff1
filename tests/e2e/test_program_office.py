"""Issue 16 in a real browser: WASPC follows the TraCS migration board and an agency's checklist, starts
onboarding for two agencies from the example spreadsheet and sends the overdue reminders; WSP support edits a
destination and an agency's review settings; Olympia's LASA sees the own migration. axe-core on every page."""

from pathlib import Path

import pytest

from sector.core.models import AuditEntry
from sector.onboarding.models import AgencyOnboarding
from sector.program.models import StepReminder

EXAMPLE = Path(__file__).resolve().parents[2] / "static" / "program" / "onboarding-example.csv"


@pytest.mark.django_db(transaction=True)
def test_waspc_board_checklist_spreadsheet_and_reminders(page, sign_in, axe_check):
    sign_in(page, "waspc")
    page.goto("/")
    page.get_by_role("link", name="TraCS migration").first.click()
    assert page.url.endswith("/program/tracs/")
    content = page.content()
    assert "days left" in content and "Yakima Police Department" in content and "after the deadline" in content
    axe_check(page, "tracs-board")
    page.get_by_role("link", name="Olympia Police Department").first.click()
    assert page.url.endswith("/program/tracs/WA0340100/")
    assert "What changes" in page.content() and "trained on TraCS" in page.content()
    axe_check(page, "tracs-migration-olympia")

    page.goto("/program/onboarding-import/")
    axe_check(page, "bulk-onboarding")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(str(EXAMPLE))
    page.get_by_role("button", name="Check the spreadsheet").click()
    assert "Start onboarding for 2 agencies" in page.content()
    assert not AgencyOnboarding.objects.filter(agency__ori__in=["WA031019A", "WA0340600"]).exists()
    axe_check(page, "bulk-onboarding-preview")
    page.get_by_role("button", name="Start onboarding for 2 agencies").click()
    assert "Started onboarding for 2 agencies" in page.content()
    assert AgencyOnboarding.objects.filter(agency__ori__in=["WA031019A", "WA0340600"]).count() == 2

    page.goto("/program/reminders/")
    assert "Kent Police Department" in page.content()
    axe_check(page, "reminders")
    page.get_by_role("button", name="Send reminders…").click()
    assert "Send the reminders" in page.content()
    axe_check(page, "reminders-confirm")
    page.get_by_role("button", name="Send the reminders").click()
    assert "Sent " in page.content() and "Reminded today" in page.content()
    assert StepReminder.objects.exists()
    assert not page.console_errors, page.console_errors


@pytest.mark.django_db(transaction=True)
def test_wsp_edits_a_destination_and_review_settings(page, sign_in, axe_check):
    sign_in(page, "wsp")
    page.goto("/feed/outbox/")
    page.get_by_role("link", name="DOT", exact=False).first.click()
    assert "/feed/outbox/destinations/" in page.url
    axe_check(page, "destination-edit")
    page.get_by_label("Paused until (Pacific time)").fill("2030-01-05T06:00")
    page.get_by_role("button", name="Save").click()
    assert "Saved" in page.content() and "History" in page.content()
    assert AuditEntry.objects.filter(action="feed.destination.changed").exists()
    axe_check(page, "destination-edited")
    page.goto("/collisions/review-settings/")
    axe_check(page, "review-settings")
    page.get_by_role("link", name="Olympia Police Department").click()
    page.get_by_label("Second-level approval").check()
    page.get_by_role("button", name="Save").click()
    assert "Saved the review settings" in page.content()
    axe_check(page, "review-setting-olympia")
    assert not page.console_errors, page.console_errors


@pytest.mark.django_db(transaction=True)
def test_the_lasa_sees_the_own_migration(page, sign_in, axe_check):
    sign_in(page, "lasa")
    page.goto("/program/tracs/")
    assert page.url.endswith("/program/tracs/WA0340100/")
    assert "Move the cut-over" not in page.content() and "TraCS access agreement executed" in page.content()
    axe_check(page, "tracs-migration-lasa")
