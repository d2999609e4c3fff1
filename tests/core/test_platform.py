import os
import socket
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]
# What production requires beside SECRET_KEY and ALLOWED_HOSTS (issue 14; tests/ops/test_prod_settings.py).
PROD_REQUIRED = {
    "DATABASE_URL": "postgres://sector@db.internal:5432/sector",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "PORTAL_URL": "https://sector.wsp.wa.gov",
    "AWS_STORAGE_BUCKET_NAME": "sector-files",
    # Required once the hostile-input work (encrypted destination secrets) is merged.
    "FIELD_ENCRYPTION_KEYS": "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=",
}


def manage(*args, env_extra=None, settings="sector.settings.prod"):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "DATABASE_URL"))}
    env["DJANGO_SETTINGS_MODULE"] = settings
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


FERNET_KEY = "lR6P0eHqkS3t1Qbq3cTnS5mZ9v3yFJ6D8u0c1sV2wXo="


def test_check_deploy_is_clean_with_only_the_required_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "SECRET_KEY": "x7!kq2-production-like-secret-key-with-enough-entropy-0f9a8b7c6d5e4f3a2b1c",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "sector.wsp.wa.gov",
            "FIELD_ENCRYPTION_KEYS": FERNET_KEY,
            **PROD_REQUIRED,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in (result.stdout + result.stderr)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "sector.wsp.wa.gov"})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_field_encryption_keys():
    result = manage("check", env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "x", "SECRET_KEY": "k" * 60})
    assert result.returncode != 0 and "FIELD_ENCRYPTION_KEYS must be set in production" in result.stderr


@pytest.mark.django_db
def test_no_model_changes_without_a_migration():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_without_a_broker_url_celery_never_falls_back_to_amqp_localhost():
    code = (
        "import django; django.setup();"
        "from sector.celery import app; from django.conf import settings;"
        "print(app.conf.broker_url, app.conf.task_always_eager)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DATABASE_URL"))}
    env["DJANGO_SETTINGS_MODULE"] = "sector.settings.dev"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["memory://", "True"], result.stderr


@pytest.mark.django_db
def test_an_unreachable_broker_never_fails_the_request(settings, caplog):
    """With a broker configured but down, publishing logs the failure and the caller carries on."""
    from sector.celery import app
    from sector.core.jobs import _publish
    from sector.core.tasks import send_email_task

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]

    # The connection and producer pools remember the broker they were made for: set the in-memory ones aside
    # (an earlier eager publish may have made them), publish through fresh ones for the dead broker, close
    # those, and put the originals back so later tests keep publishing.
    saved_pool = app._pool
    saved_producers = app.amqp._producer_pool
    old = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = f"amqp://guest:guest@127.0.0.1:{port}//", False
    app._pool, app.amqp._producer_pool = None, None
    try:
        _publish(send_email_task, (), {"subject": "s", "body": "b", "to": ["x@example.test"]})
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool, app.amqp._producer_pool = saved_pool, saved_producers
    assert "could not publish" in caplog.text


@pytest.mark.django_db
def test_seed_demo_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_twice_leaves_the_same_data(settings):
    from sector.accounts.models import Membership, User
    from sector.orgs.models import Agency, Court, Person, ProgramContact

    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = [m.objects.count() for m in (User, Agency, Court, Person, Membership, ProgramContact)]
    call_command("seed_demo", stdout=StringIO())
    assert [m.objects.count() for m in (User, Agency, Court, Person, Membership, ProgramContact)] == counts
    for name in ("admin", "waspc", "wsp", "aoc", "clerk", "clerk2", "lasa", "lasa2", "reviewer", "officer"):
        assert name in out.getvalue()
        assert User.objects.get(username=name).check_password("sector-demo")
    lasa, lasa2 = User.objects.get(username="lasa"), User.objects.get(username="lasa2")
    assert lasa.memberships.get().agency != lasa2.memberships.get().agency
    clerk, clerk2 = User.objects.get(username="clerk"), User.objects.get(username="clerk2")
    assert clerk.memberships.get().court != clerk2.memberships.get().court
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.django_db
def test_unknown_url_gets_the_styled_404(world):
    response = world.client_for("clerk").get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


def test_500_page_renders_without_database_or_session():
    from sector.core.views import server_error

    request = RequestFactory().get("/")
    request.id = "abc123def456"
    response = server_error(request)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body and "abc123def456" in body


@pytest.mark.django_db
def test_security_headers_and_csp(world):
    response = world.client_for("clerk").get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_production_settings_are_the_safe_ones():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS > 0,"
        "s.PASSWORD_HASHERS[0].endswith('Argon2PasswordHasher'), s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "DEBUG"))}
    env.update({"DJANGO_SETTINGS_MODULE": "sector.settings.prod", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "x"})
    env["FIELD_ENCRYPTION_KEYS"] = FERNET_KEY
    env.update(PROD_REQUIRED)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "False True True True True True 5 ['username']", result.stderr


@pytest.mark.django_db
def test_forbidden_page_says_what_to_do(world):
    response = world.client_for("clerk").get("/orgs/agencies/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your role does not allow this" in body and "program contacts" in body


@pytest.mark.django_db
def test_home_shows_each_persona_its_roles_and_organisations(world):
    body = world.client_for("clerk").get("/").content.decode()
    assert "Court clerk" in body and "Thurston County District Court" in body and "Spokane" not in body
    body = world.client_for("lasa2").get("/").content.decode()
    assert "Spokane Police Department" in body and "Olympia" not in body
    body = world.client_for("waspc").get("/").content.decode()
    assert "The program at a glance" in body and "statewide" in body
    body = world.client_for("outsider").get("/").content.decode()
    assert "No role assigned" in body
