"""Multi-factor sign-in (issue 13): enrollment, sign-in with each factor, recovery codes, resets, the gate, admin.

These tests sign in like a person (`real_mfa`: the test client's sign-ins do not pass the second factor for them).
"""

import binascii
import re
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from sector.accounts.mfa import services
from sector.accounts.mfa.session import PENDING_TOTP_KEY
from sector.core.models import AuditEntry
from tests.factories import PASSWORD, run_seed_demo

pytestmark = [pytest.mark.django_db, pytest.mark.real_mfa]


def code_for(device_or_key, *, at=None) -> str:
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else binascii.unhexlify(device_or_key)
    totp = TOTP(key)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def password_step(username: str, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def enroll_app(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(object_id=str(user.pk), action__startswith="accounts.mfa.").values_list(
        "action", flat=True
    ).order_by("id"))  # fmt: skip


# ---------------------------------------------------------------- the gate


def test_after_the_password_a_new_user_reaches_only_the_factor_pages(world):
    client = password_step("lasa")
    for path in ["/", "/orgs/agencies/", "/accounts/profile/", "/support/", "/admin/", "/accounts/security/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/mfa/setup/?next="), (path, response["Location"])
    htmx = client.get("/orgs/agencies/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith("/accounts/mfa/setup/")
    assert client.post("/accounts/session/keep-alive/").status_code == 302
    page = client.get(reverse("mfa_setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Set up your second factor" in body and "Sign out" in body
    assert 'href="/orgs/agencies/"' not in body  # no navigation before the second factor
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302 and "/accounts/login/" in client.get("/")["Location"]


def test_an_enrolled_user_is_sent_to_the_verify_page_with_where_they_were_going(world):
    enroll_app(world.users["clerk"])
    client = password_step("clerk")
    response = client.get("/courts/intake/?status=new")
    assert response["Location"] == "/accounts/mfa/verify/?next=%2Fcourts%2Fintake%2F%3Fstatus%3Dnew"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Confirm it is you" in page.content.decode()


def test_roles_not_listed_in_the_setting_sign_in_with_the_password_alone(world, settings):
    settings.MFA_REQUIRED_ROLES = ["wsp_support", "lasa"]
    assert password_step("officer").get("/").status_code == 200
    assert password_step("wsp").get("/").status_code == 302
    assert password_step("outsider").get("/").status_code == 302  # no role at all: always
    assert password_step("admin").get("/").status_code == 302  # staff: always
    enroll_app(world.users["reviewer"])  # a user who set up a factor is asked for it
    assert password_step("reviewer").get("/").status_code == 302


# ---------------------------------------------------------------- enrollment


def test_enrolling_an_authenticator_app_gives_recovery_codes_rotates_the_session_and_tells_the_user(
    world, django_capture_on_commit_callbacks
):
    user = world.users["lasa"]
    client = password_step("lasa")
    page = client.get(reverse("mfa_setup") + "?next=/orgs/agencies/")
    key = client.session[PENDING_TOTP_KEY]
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1).replace(" ", "")
    assert secret == services.totp_key_base32(key)
    assert 'src="data:image/svg+xml' in page.content.decode()  # the QR code

    wrong = client.post(reverse("mfa_setup"), {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and "That code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    before = client.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_setup"), {"code": code_for(key), "next": "/orgs/agencies/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/recovery-codes/?next=/orgs/agencies/"
    assert client.session.session_key != before
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    codes_page = client.get(response["Location"]).content.decode()
    shown = re.findall(r'<li class="col">([a-z2-7]{4} [a-z2-7]{4})</li>', codes_page)
    assert len(shown) == 10
    assert sorted(c.replace(" ", "") for c in shown) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert client.get(reverse("mfa_recovery_codes")).status_code == 302  # shown once
    assert client.get("/orgs/agencies/").status_code == 200
    assert actions(user) == ["accounts.mfa.failed", "accounts.mfa.enrolled"]
    assert [m.subject for m in mail.outbox] == ["A second sign-in factor was added to your account"]
    assert mail.outbox[0].to == [user.email]


def test_a_user_with_a_factor_cannot_enroll_another_before_passing_the_first(world):
    enroll_app(world.users["clerk"])
    client = password_step("clerk")
    response = client.get(reverse("mfa_setup"))
    assert response["Location"].startswith("/accounts/mfa/verify/")
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403 and begin.json()["code"] == "user_not_verified"


# ---------------------------------------------------------------- sign-in with each factor


def test_signing_in_with_the_authenticator_app(world, django_capture_on_commit_callbacks):
    user = world.users["clerk"]
    device = enroll_app(user)
    client = password_step("clerk")
    before = client.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_verify"), {"code": code_for(device), "next": "/courts/intake/"})
    assert response.status_code == 302 and response["Location"] == "/courts/intake/"
    assert client.session.session_key != before  # the session key rotates on the second factor
    assert client.get("/courts/intake/").status_code == 200
    assert actions(user) == ["accounts.mfa.verified"]
    assert AuditEntry.objects.get(action="accounts.mfa.verified").data == {"factor": "totp"}
    assert [m.subject for m in mail.outbox] == ["Your account was signed in with a second factor"]


def test_a_wrong_code_is_refused_logged_emailed_and_throttled(world, django_capture_on_commit_callbacks):
    user = world.users["clerk"]
    device = enroll_app(user)
    client = password_step("clerk")
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_verify"), {"code": wrong})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    assert actions(user) == ["accounts.mfa.failed"]
    assert [m.subject for m in mail.outbox] == ["A wrong second-factor code was entered for your account"]
    # django-otp's throttle: straight after a failure even the right code must wait.
    throttled = client.post(reverse("mfa_verify"), {"code": right})
    assert "Too many wrong codes in a row. Wait" in throttled.content.decode()
    assert client.get("/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert client.post(reverse("mfa_verify"), {"code": right}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_works_once(world):
    device = enroll_app(world.users["clerk"])
    code = code_for(device)
    first = password_step("clerk")
    assert first.post(reverse("mfa_verify"), {"code": code}).status_code == 302
    second = password_step("clerk")
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = second.post(reverse("mfa_verify"), {"code": code})
    assert response.status_code == 200 and "not right" in response.content.decode()


@pytest.mark.parametrize("entered", ["{code}", "{upper}", "{spaced}"])
def test_signing_in_with_a_recovery_code_uses_it_up(world, entered, django_capture_on_commit_callbacks):
    user = world.users["officer"]
    enrollment = services.totp_enroll(actor=user, key=(key := services.new_totp_key()), token=code_for(key))
    code = enrollment.recovery_codes[0]
    typed = entered.format(code=code, upper=code.upper(), spaced=services.format_recovery_code(code))
    client = password_step("officer")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_recovery"), {"code": typed, "next": "/tickets/"})
    assert response.status_code == 302 and response["Location"] == "/tickets/"
    assert client.get("/tickets/").status_code == 200
    assert not StaticToken.objects.filter(token=code).exists()
    assert StaticToken.objects.filter(device__user=user).count() == 9
    entry = AuditEntry.objects.get(action="accounts.mfa.recovery_code_used")
    assert entry.data == {"remaining": 9}
    assert mail.outbox[0].subject == "A recovery code was used to sign in to your account"
    again = password_step("officer")
    StaticDevice.objects.filter(user=user).update(throttling_failure_count=0)
    refused = again.post(reverse("mfa_recovery"), {"code": code})
    assert refused.status_code == 200 and "already used" in refused.content.decode()


def test_regenerating_recovery_codes_replaces_the_old_ones(world, client):
    user = world.users["lasa"]
    old = services.totp_enroll(actor=user, key=(key := services.new_totp_key()), token=code_for(key)).recovery_codes
    client = password_step("lasa")
    client.post(reverse("mfa_verify"), {"code": code_for(key, at=time.time() + 30)})
    assert client.get("/").status_code == 200
    page = client.post(reverse("mfa_recovery_codes")).content.decode()
    new = [c.replace(" ", "") for c in re.findall(r'<li class="col">([a-z2-7]{4} [a-z2-7]{4})</li>', page)]
    assert len(new) == 10 and not set(new) & set(old)
    assert "accounts.mfa.recovery_codes_regenerated" in actions(user)


def test_a_passkey_check_answered_by_the_library_is_logged_and_rotates_the_session(world):
    """The ceremony itself is the library's (exercised in the browser with a virtual authenticator,
    tests/e2e/test_mfa.py); here: what the portal adds when django-otp-webauthn reports success or failure."""
    user = world.users["wsp"]
    credential = WebAuthnCredential.objects.create(
        user=user, name="Security key", credential_id=b"id-1", public_key=b"key", sign_count=0, confirmed=True
    )
    services.passkey_verified(actor=user, device=credential)
    services.passkey_failed(actor=user, reason="unprocessable_request")
    assert actions(user) == ["accounts.mfa.verified", "accounts.mfa.failed"]
    assert AuditEntry.objects.filter(action="accounts.mfa.verified").get().data == {"factor": "webauthn"}
    client = password_step("wsp")
    page = client.get(reverse("mfa_verify")).content.decode()
    assert 'id="passkey-verification-placeholder"' in page and "otp_webauthn_auth.js" in page
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 200
    options = begin.json()
    assert options["rpId"] == "testserver" and options["allowCredentials"][0]["type"] == "public-key"


# ---------------------------------------------------------------- resets


def _passed(world, persona) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    from tests.conftest import _device_for

    session = client.session
    session["otp_device_id"] = _device_for(world.users[persona]).persistent_id
    session.save()
    return client


def test_a_lasa_resets_an_agency_users_factors_and_signs_them_out(world, django_capture_on_commit_callbacks):
    officer = world.users["officer"]
    services.totp_enroll(actor=officer, key=(key := services.new_totp_key()), token=code_for(key))
    officer_client = password_step("officer")
    officer_client.post(reverse("mfa_verify"), {"code": code_for(key, at=time.time() + 30)})
    assert officer_client.get("/").status_code == 200
    lasa = _passed(world, "lasa")
    listing = lasa.get(reverse("mfa_resets")).content.decode()
    assert "officer" in listing and "lasa2" not in listing
    url = reverse("mfa_reset", args=[officer.pk])
    confirm = lasa.post(url)
    assert confirm.status_code == 200 and "Reset sign-in factors" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()  # nothing happens before the confirmation
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = lasa.post(url, {"confirmed": "1"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists() and not StaticDevice.objects.filter(user=officer)
    entry = AuditEntry.objects.get(action="accounts.mfa.factors_cleared")
    assert entry.actor == world.users["lasa"] and entry.data["removed"] >= 2 and entry.data["sessions_ended"] == 1
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert mail.outbox[0].subject == "Your sign-in factors were reset"
    assert officer_client.get("/")["Location"].startswith("/accounts/login/")  # signed out everywhere
    assert password_step("officer").get("/")["Location"].startswith("/accounts/mfa/setup/")


def test_wsp_support_resets_a_lasas_factors(world):
    lasa = world.users["lasa"]
    enroll_app(lasa)
    wsp = _passed(world, "wsp")
    assert "lasa2" in wsp.get(reverse("mfa_resets")).content.decode()
    assert wsp.post(reverse("mfa_reset", args=[lasa.pk]), {"confirmed": "1"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=lasa).exists()


@pytest.mark.parametrize(
    "actor,target,status",
    [
        ("lasa", "lasa2", 404),  # another agency's LASA: WSP's job
        ("lasa", "officer", 302),
        ("lasa2", "officer", 404),  # another agency's officer
        ("lasa", "wsp", 404),
        ("wsp", "officer", 404),  # WSP resets LASAs, the LASA resets the agency's users
        ("wsp", "admin", 404),
        ("clerk", "officer", 403),
        ("officer", "officer", 403),
        ("lasa", "lasa", 404),  # nobody resets their own
    ],
)
def test_who_may_reset_whose_factors(world, actor, target, status):
    enroll_app(world.users[target])
    response = _passed(world, actor).post(reverse("mfa_reset", args=[world.users[target].pk]), {"confirmed": "1"})
    assert response.status_code == status
    assert TOTPDevice.objects.filter(user=world.users[target]).exists() == (status != 302)


# ---------------------------------------------------------------- admin


def test_the_admin_needs_the_second_factor(world):
    admin = world.users["admin"]
    device = enroll_app(admin)
    client = password_step("admin")
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/mfa/verify/?next=%2Fadmin%2F"
    assert client.post(reverse("mfa_verify"), {"code": code_for(device), "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # django-otp's admin site checks the device itself: a session whose device is gone is not let in.
    TOTPDevice.objects.filter(pk=device.pk).delete()
    enroll_app(admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    # The admin's own sign-in page is the portal's.
    assert Client().get("/admin/login/?next=/admin/")["Location"].startswith("/accounts/login/?next=/admin/")


# ---------------------------------------------------------------- demo


def test_seed_demo_enrolls_every_demo_user_with_the_published_secret_and_demo_totp_prints_its_code(world, capsys):
    from sector.accounts.management.commands.demo_totp import demo_code
    from sector.core.demo import DEMO_TOTP_SECRET, DEMO_USERS

    run_seed_demo()
    for spec in DEMO_USERS:
        device = TOTPDevice.objects.get(user__username=spec["username"], confirmed=True)
        assert services.totp_key_base32(device.key) == DEMO_TOTP_SECRET
    call_command("demo_totp")
    printed = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", printed) and printed in {demo_code(), demo_code(time.time() - 2)}
    client = Client()
    client.post(reverse("login"), {"username": "clerk", "password": "sector-demo"})
    assert client.post(reverse("mfa_verify"), {"code": demo_code()}).status_code == 302
    assert client.get("/courts/intake/").status_code == 200
    run_seed_demo()  # idempotent
    assert TOTPDevice.objects.filter(user__username="clerk").count() == 1


def test_the_readme_lists_the_demo_secret_and_the_command():
    from pathlib import Path

    from sector.core.demo import DEMO_TOTP_SECRET

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"Demo TOTP secret: {DEMO_TOTP_SECRET}" in readme.splitlines()
    assert "manage.py demo_totp" in readme


def test_every_mfa_audit_name_is_past_tense():
    from tests.core.test_audit_names import NAME, _past

    for name in [
        "accounts.mfa.enrolled", "accounts.mfa.verified", "accounts.mfa.failed", "accounts.mfa.recovery_code_used",
        "accounts.mfa.recovery_codes_regenerated", "accounts.mfa.factors_cleared",
    ]:  # fmt: skip
        assert NAME.match(name) and _past(name)
