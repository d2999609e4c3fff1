"""A LASA's morning in a real browser, on the demo data: invite an officer under the badge number the agency knows
them by, find them in the user list with that number, and deactivate an account through the confirmation step.
axe-core on every page visited (issue 11: "invite with personnel number, deactivate with confirmation")."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from sector.accounts.models import User
from sector.orgs.models import Person

OLYMPIA = "WA0340100"


@pytest.mark.django_db(transaction=True)
def test_lasa_invites_with_a_personnel_number_and_deactivates_with_confirmation(page, sign_in, axe_check):
    User.objects.filter(username="officer").update(last_login=datetime(2026, 1, 15, 17, 5, tzinfo=UTC))
    sign_in(page, "lasa")
    page.goto(f"/onboarding/agencies/{OLYMPIA}/users/")
    axe_check(page, "lasa-users")
    users = page.get_by_role("table", name="Agency users")
    maria = users.get_by_role("row").filter(has_text="Maria Delgado").inner_text()
    assert "OPD-1142" in maria and "Jan 15, 2026, 9:05 AM PST" in maria  # last sign-in, Pacific time with the zone

    # An officer without a number is refused, with what to do.
    invite = page.get_by_role("region", name="Invite a user")
    invite.get_by_label("First name").fill("Kevin")
    invite.get_by_label("Last name").fill("Oduya")
    invite.get_by_label("Email").fill("kevin.oduya@example.wa.gov")
    invite.get_by_label("Role").select_option(label="Officer")
    invite.get_by_role("button", name="Send the invitation").click()
    assert "Give the officer's badge or personnel number" in page.content().replace("&#x27;", "'")
    axe_check(page, "lasa-users-invite-refused")

    # With the number he already has on the agency's roster, the account is tied to that person.
    invite = page.get_by_role("region", name="Invite a user")
    invite.get_by_label("First name").fill("Kevin")
    invite.get_by_label("Last name").fill("Oduya")
    invite.get_by_label("Email").fill("kevin.oduya@example.wa.gov")
    invite.get_by_label("Role").select_option(label="Officer")
    invite.get_by_label("Badge or personnel number").fill("OPD-1203")
    invite.get_by_role("button", name="Send the invitation").click()
    assert "Invited Kevin Oduya" in page.content()
    row = page.get_by_role("table", name="Agency users").get_by_role("row").filter(has_text="Kevin Oduya")
    text = row.inner_text()
    assert "OPD-1203" in text and "Never" in text and "Inactive" in text  # waits for his training
    assert Person.objects.get(agency__ori=OLYMPIA, personnel_number="OPD-1203").user.email == (
        "kevin.oduya@example.wa.gov"
    )
    axe_check(page, "lasa-users-invited")

    # Deactivating asks first and names what happens; cancel changes nothing.
    reviewer = page.get_by_role("table", name="Agency users").get_by_role("row").filter(has_text="Tom Barrett")
    reviewer.get_by_role("button", name="Deactivate Tom Barrett").click()
    expect(page.get_by_role("heading", name="Please confirm")).to_be_visible()
    assert "Tom Barrett can no longer sign in to the portal." in page.content()
    axe_check(page, "lasa-deactivate-confirm")
    page.get_by_role("link", name="Cancel").click()
    assert User.objects.get(username="reviewer").is_active

    reviewer = page.get_by_role("table", name="Agency users").get_by_role("row").filter(has_text="Tom Barrett")
    reviewer.get_by_role("button", name="Deactivate Tom Barrett").click()
    page.get_by_role("button", name="Deactivate Tom Barrett").click()
    assert "deactivated; they stay officer of record" in page.content()
    assert not User.objects.get(username="reviewer").is_active
    row = page.get_by_role("table", name="Agency users").get_by_role("row").filter(has_text="Tom Barrett")
    assert "Inactive" in row.inner_text()
    axe_check(page, "lasa-users-deactivated")
    assert not page.console_errors, page.console_errors
