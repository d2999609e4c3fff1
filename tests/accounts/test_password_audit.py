"""Issue 12: every password change is audit-logged, whichever door it comes through (the user's own change,
completing a reset link, an administrator setting it), and the hash never reaches the log."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sector.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = "Tq7-vLm2-Rw9z-Xp4K"  # random: passes every password validator


def _entries(user):
    return list(AuditEntry.objects.for_object(user).filter(action="accounts.password.changed").order_by("id"))


def _no_secret(entry, user):
    user.refresh_from_db()
    text = str(entry.changes) + str(entry.data)
    assert user.password not in text and NEW not in text


def test_a_users_own_password_change_is_logged(world):
    user = world.users["clerk"]
    user.set_password("old-Passphrase-2026-x")
    user.save()
    before = len(_entries(user))
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "old-Passphrase-2026-x", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entries = _entries(user)
    assert len(entries) == before + 1
    entry = entries[-1]
    assert entry.actor == user and entry.data["how"] == "own change" and entry.request_id
    _no_secret(entry, user)


def test_completing_a_reset_link_is_logged(world):
    user = world.users["lasa"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    count = len(_entries(user))
    client = Client()
    step = client.get(f"/accounts/password/reset/{uid}/{token}/")
    assert step.status_code == 302
    response = client.post(step["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = _entries(user)[count:]
    assert entry.actor == user and entry.data["how"] == "reset link"
    _no_secret(entry, user)


def test_an_administrator_setting_a_password_is_logged(world):
    user = world.users["officer"]
    count = len(_entries(user))
    client = world.client_for("admin")
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/", {"password1": NEW, "password2": NEW, "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [entry] = _entries(user)[count:]
    assert entry.actor == world.users["admin"] and entry.data["how"] == "set by another user"
    _no_secret(entry, user)


def test_a_password_set_outside_the_portal_is_logged_too(world):
    user = world.users["aoc"]
    count = len(_entries(user))
    user.set_password(NEW)
    user.save()
    [entry] = _entries(user)[count:]
    assert entry.actor is None and entry.data["how"] == "outside a request (command line)"
    _no_secret(entry, user)


def test_signing_in_is_not_a_password_change(world):
    user = world.users["reviewer"]
    user.set_password(NEW)
    user.save()
    count = len(_entries(user))
    response = Client().post("/accounts/login/", {"username": user.username, "password": NEW})
    assert response.status_code == 302
    assert len(_entries(user)) == count
