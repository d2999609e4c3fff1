"""Password hygiene (issue 13): the validators on every door that sets a password, the offline breach check,
24-hour reset and invitation links, __Host- cookies in production, dev settings refused with DEBUG off, and
seed_demo never with DEBUG off."""

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sector.accounts.models import User
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BREACHED = "P@ssw0rd2026!"  # "password" in disguise
GOOD = "tidal-orchard-lantern-42"


# ---------------------------------------------------------------- the breach check


@pytest.mark.parametrize(
    "password",
    ["password123", "Password2026!", "P@ssw0rd2026!", "!!Qwerty123456", "iloveyou!!", "Sector2026!", "W5P-2026-!!",
     "0lympia#2026", "  LetMeIn99  "],
)  # fmt: skip
def test_breached_or_portal_word_passwords_are_refused(password):
    with pytest.raises(ValidationError) as exc:
        validate_password(password)
    assert {e.code for e in exc.value.error_list} & {"password_breached", "password_context_word"}


@pytest.mark.parametrize(
    "password", [GOOD, "correct-staple-windmill-9", "Ferry to Bainbridge at 6:10", "a-long-secret-1"]
)
def test_long_unrelated_phrases_pass(password):
    validate_password(password)


def test_the_breach_list_ships_with_django_and_needs_no_network():
    from sector.accounts.passwords import breached_passwords

    with mock.patch("socket.socket", side_effect=AssertionError("no network")):
        assert len(breached_passwords()) > 19_000 and "password" in breached_passwords()


# ---------------------------------------------------------------- every door


def _reset_url(user):
    return reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


@pytest.mark.django_db
def test_grant_role_refuses_a_breached_password_and_creates_nothing(world, monkeypatch):
    monkeypatch.setenv("SECTOR_PASSWORD", BREACHED)
    with pytest.raises(CommandError, match="not accepted: This password"):
        call_command("grant_role", "newclerk", "court_clerk", "--court", "D34", stdout=StringIO())
    assert not User.objects.filter(username="newclerk").exists()
    monkeypatch.setenv("SECTOR_PASSWORD", "newclerk-2026")  # like the user name
    with pytest.raises(CommandError, match="too similar"):
        call_command("grant_role", "newclerk", "court_clerk", "--court", "D34", stdout=StringIO())


@pytest.mark.django_db
def test_createsuperuser_without_input_validates_the_password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", BREACHED)
    with pytest.raises(CommandError, match="not accepted"):
        call_command("createsuperuser", "--noinput", "--username", "root2", "--email", "r@example.test")
    assert not User.objects.filter(username="root2").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", GOOD)
    call_command("createsuperuser", "--noinput", "--username", "root2", "--email", "r@example.test", stdout=StringIO())
    assert User.objects.get(username="root2").check_password(GOOD)


@pytest.mark.django_db
def test_createsuperuser_at_a_prompt_offers_no_bypass(monkeypatch):
    from django.contrib.auth.management.commands import createsuperuser as module

    answers = iter([BREACHED, BREACHED, GOOD, GOOD])
    monkeypatch.setattr(module.getpass, "getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail(f"asked {prompt!r}"))
    tty = mock.Mock(isatty=lambda: True)
    err = StringIO()
    call_command("createsuperuser", interactive=True, username="root3", email="r3@example.test", stdin=tty,
                 stdout=StringIO(), stderr=err)  # fmt: skip
    assert "data breaches" in err.getvalue()
    assert User.objects.get(username="root3").check_password(GOOD)


@pytest.mark.django_db
def test_password_change_reset_and_the_admin_refuse_a_breached_password(world):
    user = world.users["lasa"]
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": BREACHED, "new_password2": BREACHED}
    )
    assert response.status_code == 200 and "data breaches" in response.content.decode()

    reset = Client()
    form_url = reset.get(_reset_url(user), follow=True).redirect_chain[-1][0]
    response = reset.post(form_url, {"new_password1": BREACHED, "new_password2": BREACHED})
    assert response.status_code == 200 and "data breaches" in response.content.decode()

    admin = world.client_for("admin")
    response = admin.post(
        reverse("admin:accounts_user_add"),
        {"username": "someone", "usable_password": "true", "password1": BREACHED, "password2": BREACHED},
    )
    assert response.status_code == 200 and "data breaches" in response.content.decode()
    response = admin.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": BREACHED, "password2": BREACHED},
    )
    assert response.status_code == 200 and "data breaches" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


# ---------------------------------------------------------------- links expire within 24 hours


@pytest.mark.django_db
def test_reset_and_invitation_links_expire_after_24_hours(world, settings):
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 3600
    user = world.users["lasa"]
    generator = PasswordResetTokenGenerator()
    with mock.patch.object(generator, "_now", return_value=generator._now() - timedelta(hours=23)):
        fresh = generator.make_token(user)
    with mock.patch.object(generator, "_now", return_value=generator._now() - timedelta(hours=25)):
        stale = generator.make_token(user)
    assert generator.check_token(user, fresh) and not generator.check_token(user, stale)


@pytest.mark.django_db
def test_an_invitee_whose_link_ran_out_gets_a_new_one_from_forgot_password(world, django_capture_on_commit_callbacks):
    invitee = User.objects.create(username="new@example.test", email="new@example.test")
    invitee.set_unusable_password()
    invitee.save()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("password_reset"), {"email": "new@example.test"})
    assert [m.to for m in mail.outbox] == [["new@example.test"]]
    assert "expires 24 hours after" in mail.outbox[0].body


# ---------------------------------------------------------------- settings


from tests.core.test_platform import PROD_REQUIRED  # noqa: E402


def _run(code, settings_module, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DEBUG"))}
    environ.update(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run([sys.executable, *code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120)


def test_production_cookies_carry_the_host_prefix():
    code = "import django; django.setup(); from django.conf import settings as s; " + (
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN)"
    )
    result = _run(["-c", code], "sector.settings.prod", SECRET_KEY="k" * 60, ALLOWED_HOSTS="sector.example.gov",
                  **PROD_REQUIRED)  # fmt: skip
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True", "/", "None"], result.stderr


def test_manage_py_refuses_dev_settings_with_debug_off():
    result = _run(["manage.py", "check"], "sector.settings.dev", DEBUG="0")
    assert result.returncode != 0 and "needs DEBUG on" in result.stderr
    assert _run(["manage.py", "check"], "sector.settings.dev", DEBUG="1").returncode == 0


def test_celery_refuses_dev_settings_with_debug_off():
    celery = str(Path(sys.executable).with_name("celery"))
    result = subprocess.run(
        [celery, "-A", "sector", "report"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}, "DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "needs DEBUG on" in result.stdout + result.stderr


@pytest.mark.django_db
def test_seed_demo_has_no_way_around_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG"):
        call_command("seed_demo")
    with pytest.raises(CommandError):  # the old --force is gone
        call_command("seed_demo", "--force")
    assert not User.objects.filter(username="waspc").exists()
