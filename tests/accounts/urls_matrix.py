from tests.matrix import ALL_SIGNED_IN, Case, allow

EXPECTATIONS = {
    # Signed-in users who open the sign-in page go home.
    "login": Case(expect=allow(*ALL_SIGNED_IN, code="/"), anonymous=200),
    # Sign-out is POST only (a GET link would let any page sign a user out).
    "logout": Case(expect=allow(*ALL_SIGNED_IN, code=405)),
    "profile": Case(expect=allow(*ALL_SIGNED_IN)),
    # "Stay signed in" posts here; a GET is refused, an anonymous post goes to the sign-in page.
    "session_keep_alive": Case(expect=allow(*ALL_SIGNED_IN), method="post"),
    "password_change": Case(expect=allow(*ALL_SIGNED_IN)),
    "password_change_done": Case(expect=allow(*ALL_SIGNED_IN)),
    "password_reset": Case(expect=allow(*ALL_SIGNED_IN), anonymous=200),
    "password_reset_done": Case(expect=allow(*ALL_SIGNED_IN), anonymous=200),
    # An unknown uid/token shows "this link no longer works" (200), for anyone.
    "password_reset_confirm": Case(
        expect=allow(*ALL_SIGNED_IN), anonymous=200, kwargs={"uidb64": "MQ", "token": "bad-token"}
    ),
    "password_reset_complete": Case(expect=allow(*ALL_SIGNED_IN), anonymous=200),
}

# Multi-factor sign-in (issue 13). The personas' sessions have passed the second factor (tests/conftest.py), so
# the factor pages send them on (to "next", here home); the gate itself is tested in tests/accounts/test_mfa.py.
_RESETTERS = ("admin", "wsp", "lasa", "lasa2")
EXPECTATIONS.update(
    {
        "mfa_verify": Case(expect=allow(*ALL_SIGNED_IN, code="/")),
        "mfa_recovery": Case(expect=allow(*ALL_SIGNED_IN, code="/")),
        "mfa_setup": Case(expect=allow(*ALL_SIGNED_IN)),
        # The new codes are shown once; without any to show the page sends the user on.
        "mfa_recovery_codes": Case(expect=allow(*ALL_SIGNED_IN, code="/")),
        "mfa_security": Case(expect=allow(*ALL_SIGNED_IN)),
        # A LASA resets their agency's users; WSP support resets LASAs (the list is empty for others: 403).
        "mfa_resets": Case(expect=allow(*_RESETTERS)),
        # The officer of agency A: her LASA and a superuser are asked to confirm (200); LASA B and WSP may
        # reset someone, but not her (404); everyone else may reset nobody (403). POST only.
        "mfa_reset": Case(
            expect={"admin": 200, "lasa": 200, "lasa2": 404, "wsp": 404},
            method="post",
            kwargs=lambda world: {"user_id": world.users["officer"].pk},
        ),
        # django-otp-webauthn's JSON endpoints (passkeys), for signed-in users; passwordless sign-in is off.
        "otp_webauthn:credential-registration-begin": Case(expect=allow(*ALL_SIGNED_IN), method="post"),
        # Completing without a begun ceremony: 400 (invalid state).
        "otp_webauthn:credential-registration-complete": Case(expect=allow(*ALL_SIGNED_IN, code=400), method="post"),
        "otp_webauthn:credential-authentication-begin": Case(expect=allow(*ALL_SIGNED_IN), method="post"),
        "otp_webauthn:credential-authentication-complete": Case(expect=allow(*ALL_SIGNED_IN, code=400), method="post"),
        "otp_webauthn:js-i18n-catalog": Case(expect=allow(*ALL_SIGNED_IN)),
    }
)
