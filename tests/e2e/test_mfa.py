"""Multi-factor sign-in in a real browser (issue 13): the authenticator app's code, first-sign-in enrollment, and a
passkey made and used with Chromium's virtual authenticator (DevTools protocol, WebAuthn domain)."""

import re

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from sector.core.models import AuditEntry
from tests.e2e.conftest import DEMO_PASSWORD, totp_code_for

pytestmark = pytest.mark.real_mfa


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_signing_in_with_the_authenticator_app(page, axe_check):
    code = totp_code_for("clerk")
    password_step(page, "clerk")
    assert "/accounts/mfa/verify/" in page.url
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Intake").count() == 0
    axe_check(page, "mfa-verify")

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page.get_by_label("6-digit code").fill(wrong)
    with page.expect_navigation():
        page.get_by_role("button", name="Verify code").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    axe_check(page, "mfa-verify-wrong-code")

    page.get_by_label("6-digit code").fill(totp_code_for("clerk"))  # (also lifts the throttle the wrong code set)
    with page.expect_navigation():
        page.get_by_role("button", name="Verify code").click()
    assert page.url.endswith("/")
    expect(page.get_by_role("link", name="Intake", exact=True)).to_be_visible()
    signed_in = AuditEntry.objects.filter(
        actor__username="clerk", action__in=["accounts.mfa.failed", "accounts.mfa.verified"]
    )
    assert list(signed_in.values_list("action", flat=True).order_by("id")) == [
        "accounts.mfa.failed",
        "accounts.mfa.verified",
    ]
    assert not page.console_errors


def test_first_sign_in_sets_up_the_authenticator_app(page, axe_check):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username="reviewer").delete()
    password_step(page, "reviewer")
    assert "/accounts/mfa/setup/" in page.url
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    axe_check(page, "mfa-setup")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    import base64

    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    page.get_by_label("6-digit code").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on the authenticator app").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator("#recovery-codes li").count() == 10
    axe_check(page, "mfa-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I saved my recovery codes — continue").click()
    assert page.url.endswith("/")
    expect(page.get_by_role("link", name="Collisions", exact=True)).to_be_visible()
    assert not page.console_errors


def test_a_passkey_is_added_and_then_signs_in(page, sign_in, axe_check):
    from django_otp_webauthn.models import WebAuthnCredential

    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    sign_in(page, "wsp")
    page.goto("/accounts/security/")
    axe_check(page, "mfa-security")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey or security key").click()
    # The first passkey of an account without recovery codes comes with them.
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert WebAuthnCredential.objects.filter(user__username="wsp", confirmed=True).count() == 1
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1

    page.goto("/")
    page.locator("#account-menu").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    password_step(page, "wsp")
    assert "/accounts/mfa/verify/" in page.url
    button = page.get_by_role("button", name="Use a passkey or security key")
    expect(button).to_be_visible()
    axe_check(page, "mfa-verify-passkey")
    with page.expect_navigation():
        button.click()
    assert page.url.endswith("/")
    expect(page.get_by_role("link", name="Feed", exact=True)).to_be_visible()
    actions = list(
        AuditEntry.objects.filter(action__startswith="accounts.mfa.", actor__username="wsp")
        .order_by("id")
        .values_list("action", "data")
    )
    assert any(action == "accounts.mfa.enrolled" and data["factor"] == "webauthn" for action, data in actions)
    assert actions[-1] == ("accounts.mfa.verified", {"factor": "webauthn"})
    assert not page.console_errors
