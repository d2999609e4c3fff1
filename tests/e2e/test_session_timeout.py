"""The idle timeout in a real browser, with the limits made short: the warning comes before the session ends,
"Stay signed in" extends it, and what was typed into a form comes back after signing in again. axe-core with the
dialog open and on the restored form."""

import json
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD, enter_second_factor

IDLE_SECONDS = 12
WARNING_SECONDS = 8  # the warning opens 4 seconds after the last activity


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=IDLE_SECONDS)
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS


@pytest.mark.django_db(transaction=True)
def test_the_idle_warning_extends_the_session_and_typed_text_survives_a_sign_out(
    page, sign_in, axe_check, short_sessions
):
    sign_in(page, "lasa")
    page.goto("/orgs/contacts/")
    loaded = time.monotonic()

    # The warning: a modal alert dialog, focus on "Stay signed in".
    dialog = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=(IDLE_SECONDS - WARNING_SECONDS + 3) * 1000)
    assert time.monotonic() - loaded < IDLE_SECONDS
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    expect(dialog).to_contain_text(f"after {IDLE_SECONDS} seconds without activity")
    axe_check(page, "session-warning-open")

    # Staying signed in: the dialog closes and the session outlives its first deadline.
    stay.click()
    expect(dialog).to_be_hidden()
    time.sleep(max(loaded + IDLE_SECONDS + 1 - time.monotonic(), 0))
    assert page.url.endswith("/orgs/contacts/")
    page.goto("/support/new/")
    assert "/accounts/login/" not in page.url, "the keep-alive did not extend the session"

    # Typing, then walking away: the session ends, the page goes to sign-in, and nothing typed is lost.
    page.get_by_label("Category").select_option(label="Barcode scanner")
    page.get_by_label("Subject").fill("Scanner in car 7 reads nothing")
    page.get_by_label("Description").fill("It beeps twice and the license fields stay empty.")
    page.wait_for_url("**/accounts/login/**", timeout=(IDLE_SECONDS + 8) * 1000)
    expect(page.get_by_role("alert").filter(has_text="signed out after")).to_be_visible()
    stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    assert "Scanner in car 7" in stored and "csrfmiddlewaretoken" not in stored

    page.get_by_label("User name").fill("lasa")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    enter_second_factor(page, "lasa")
    assert page.url.endswith("/support/new/")
    expect(page.get_by_role("status").filter(has_text="What you typed here before")).to_be_visible()
    assert page.get_by_label("Subject").input_value() == "Scanner in car 7 reads nothing"
    assert page.get_by_label("Description").input_value() == "It beeps twice and the license fields stay empty."
    assert page.get_by_label("Category").evaluate("el => el.selectedOptions[0].text") == "Barcode scanner"
    assert DEMO_PASSWORD not in json.dumps(page.evaluate("Object.assign({}, sessionStorage)"))
    axe_check(page, "session-draft-restored")

    # Sending the form clears the draft.
    page.get_by_label("High").check()
    page.get_by_role("button", name="Send to WSP support").click()
    page.wait_for_load_state()
    assert "Scanner in car 7" not in page.evaluate("JSON.stringify(Object.assign({}, sessionStorage))")
    assert not page.console_errors
