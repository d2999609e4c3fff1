"""The idle timeout is announced a minute before and can be extended (WCAG 2.2.1); a form sent after the session
ended leads back, after sign-in, to the page the form was on."""

import json
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from sector.accounts.middleware import SESSION_SEEN
from tests.factories import PASSWORD

KEEP_ALIVE = reverse("session_keep_alive")


@pytest.fixture
def client(world):
    c = Client()
    assert c.post(reverse("login"), {"username": "lasa", "password": PASSWORD}).status_code == 302
    return c


def _idle_for(client, seconds):
    session = client.session
    session[SESSION_SEEN] = time.time() - seconds
    session.save()


def test_staying_signed_in_restarts_the_idle_clock(client):
    _idle_for(client, 29 * 60 + 30)  # 30 seconds left: the page shows its warning now
    response = client.post(KEEP_ALIVE)
    limits = json.loads(response.content)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert limits["idle_seconds"] == 1800 and limits["idle_ends_in"] >= 1795 and limits["warning_seconds"] == 60
    assert limits["absolute_ends_in"] > 11 * 3600
    _idle_for(client, 0)
    assert time.time() - client.session[SESSION_SEEN] < 5
    assert client.get("/orgs/contacts/").status_code == 200


def test_keep_alive_is_post_only_and_cannot_revive_an_ended_session(client):
    assert client.get(KEEP_ALIVE).status_code == 405
    _idle_for(client, 31 * 60)
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Client().post(KEEP_ALIVE).status_code == 302


def test_a_signed_in_page_carries_the_warning_dialog_and_the_sign_in_page_does_not(client, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=20)
    page = client.get("/orgs/contacts/").content.decode()
    assert 'role="alertdialog"' in page and 'aria-labelledby="session-warning-title"' in page
    assert 'data-idle-ends-in="1200"' in page or 'data-idle-ends-in="1199"' in page
    assert f'data-keep-alive-url="{KEEP_ALIVE}"' in page and "Stay signed in" in page
    assert "after 20 minutes without activity" in page
    assert "session-warning" not in Client().get(reverse("login")).content.decode()


def test_the_sign_out_message_names_the_configured_idle_limit(client, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
    _idle_for(client, 16 * 60)
    follow = client.get("/orgs/contacts/", follow=True).content.decode()
    assert "signed out after 15 minutes without activity" in follow


def test_a_form_sent_after_the_session_ended_leads_back_to_the_form_page(client):
    _idle_for(client, 31 * 60)
    response = client.post(
        reverse("support:request_create"), {"subject": "x"}, HTTP_REFERER="http://testserver/support/new/?agency=1"
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login") and parse_qs(location.query)["next"] == ["/support/new/?agency=1"]
    # A referrer on another site is not followed: back to the address that was posted to.
    _signed = Client()
    _signed.post(reverse("login"), {"username": "lasa", "password": PASSWORD})
    _idle_for(_signed, 31 * 60)
    response = _signed.post(reverse("support:request_create"), {}, HTTP_REFERER="https://evil.example/support/new/")
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == [reverse("support:request_create")]
