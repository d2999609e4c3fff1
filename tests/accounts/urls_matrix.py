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
