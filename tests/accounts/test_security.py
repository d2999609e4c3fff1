import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sector.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from tests.factories import PASSWORD


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failures_lock_the_user_name_for_everyone_but_not_other_users(world):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(4):
        response = attempt(client, "clerk", "wrong")
        assert response.status_code == 200
        assert "do not match" in response.content.decode()
    response = attempt(client, "clerk", "wrong")
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    # Even the right password is refused now, from any address.
    assert attempt(Client(REMOTE_ADDR="10.9.9.9"), "clerk", PASSWORD).status_code == 429
    # Another clerk behind the same courthouse address signs in fine.
    response = attempt(client, "clerk2", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_lockout_lifts_after_fifteen_minutes(world):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    client = Client()
    for _ in range(5):
        attempt(client, "clerk", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "clerk", PASSWORD).status_code == 302


def _signed_in(world, persona="lasa"):
    client = Client()
    response = attempt(client, persona, PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    return client


@pytest.mark.django_db
def test_idle_session_ends_after_thirty_minutes(world):
    client = _signed_in(world)
    session = client.session
    session[SESSION_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get("/orgs/contacts/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    follow = client.get(response["Location"])
    assert "30 minutes without activity" in follow.content.decode()


@pytest.mark.django_db
def test_activity_keeps_the_session_alive(world):
    client = _signed_in(world)
    session = client.session
    session[SESSION_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get("/orgs/contacts/").status_code == 200


@pytest.mark.django_db
def test_session_ends_twelve_hours_after_sign_in_even_when_active(world):
    client = _signed_in(world)
    session = client.session
    session[SESSION_STARTED] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "12 hours" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_password_reset_mail_goes_through_the_task_queue_after_commit(world, django_capture_on_commit_callbacks):
    user = world.users["lasa"]
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "Reset your SECTOR" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    response = Client().get(link.strip().replace("http://testserver", ""), follow=True)
    assert b"Choose a new password" in response.content


@pytest.mark.django_db
def test_password_reset_for_unknown_address_says_the_same_and_sends_nothing(world):
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_change_validates_and_explains(world):
    client = _signed_in(world)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()


@pytest.mark.django_db
def test_hostile_login_input_is_escaped_and_never_a_500(world):
    response = Client().post(reverse("login"), {"username": "<script>alert(1)</script>" * 50, "password": "x"})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.django_db
def test_behind_a_proxy_the_client_address_is_recorded(world, settings):
    """With AXES_PROXY_COUNT set (here: one proxy), the address logged is the client's, not the proxy's."""
    from axes.models import AccessAttempt

    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.1")
    attempt(client, "clerk", "wrong")
    assert AccessAttempt.objects.get(username="clerk").ip_address == "203.0.113.7"
