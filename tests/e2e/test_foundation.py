"""Each demo role signs in and reaches its home page; lockout; keyboard; axe-core on every page visited."""

import pytest
from playwright.sync_api import expect

from sector.core.demo import DEMO_USERS

HOME_HEADING = "Welcome"


@pytest.mark.parametrize("username", [u["username"] for u in DEMO_USERS])
def test_each_demo_role_signs_in_and_reaches_its_home(page, sign_in, axe_check, username):
    page.goto("/")
    assert "/accounts/login/" in page.url  # an anonymous visit to / goes to sign-in
    axe_check(page, f"login-{username}")
    sign_in(page, username)
    assert page.url.endswith("/"), page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith(HOME_HEADING)
    axe_check(page, f"home-{username}")
    # Every page in this role's navigation renders and passes axe-core.
    nav_links = page.locator("nav[aria-label='Main'] .navbar-nav.me-auto a.nav-link")
    hrefs = [nav_links.nth(i).get_attribute("href") for i in range(nav_links.count())]
    for href in hrefs:
        if href.startswith("/admin/"):
            continue
        response = page.goto(href)
        assert response.status == 200, href
        axe_check(page, f"{username}-{href}")
    assert not page.console_errors, page.console_errors


def test_organisation_pages_and_profile(page, sign_in, axe_check):
    sign_in(page, "lasa")
    page.get_by_role("link", name="Olympia Police Department").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Olympia Police Department"
    axe_check(page, "lasa-agency-detail")
    page.goto("/accounts/profile/")
    axe_check(page, "lasa-profile")
    page.goto("/accounts/password/change/")
    axe_check(page, "lasa-password-change")
    # Another agency's page does not exist for this user.
    response = page.goto("/orgs/agencies/WA0320400/")
    assert response.status == 404
    axe_check(page, "lasa-404")


def test_statewide_directory_filters(page, sign_in, axe_check):
    sign_in(page, "waspc")
    page.goto("/orgs/agencies/")
    page.get_by_label("Records system").select_option("TraCS")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 1
    assert all("TraCS" in rows.nth(i).inner_text() for i in range(rows.count()))
    axe_check(page, "waspc-agencies-filtered")


def test_locked_out_user_sees_the_lockout_message(page, axe_check):
    for _ in range(5):
        page.goto("/accounts/login/")
        page.get_by_label("User name").fill("clerk")
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    # Locked now: even the right password is refused, with the lockout message.
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill("clerk")
    page.get_by_label("Password").fill("sector-demo")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#locked-out")).to_be_visible()
    assert "locked for 15 minutes" in page.locator("#locked-out").inner_text()
    axe_check(page, "locked-out")


def test_keyboard_skip_link_and_sign_out(page, sign_in, axe_check):
    sign_in(page, "clerk")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Sign out through the account menu with the keyboard only.
    page.locator("#account-menu").focus()
    page.keyboard.press("Enter")
    page.locator(".dropdown-menu.show").wait_for()
    for _ in range(3):  # My account, Change password, Sign out
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Sign out"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" in page.url
    axe_check(page, "signed-out")
