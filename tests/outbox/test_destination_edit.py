"""Issue 16, capability 6: WSP support edits a destination in the portal (URL, enabled, paused, credential) with
its history on the page; the secret is written, never shown or logged."""

from __future__ import annotations

import pytest

from sector.core.models import AuditEntry
from sector.feed.outbox_models import Destination
from tests.collisions.factories import make_destination

pytestmark = pytest.mark.django_db


def test_wsp_changes_url_enabled_pause_and_secret_and_the_history_shows_it_without_the_secret(world):
    dest = make_destination("DOT", auth_secret="Bearer old-secret-value")
    client = world.client_for("wsp")
    page = client.get("/feed/outbox/destinations/DOT/")
    assert page.status_code == 200 and b"old-secret-value" not in page.content and b"set</strong>" in page.content
    response = client.post(
        "/feed/outbox/destinations/DOT/",
        {
            "url": "https://dot.example/collisions",
            "paused_until": "2027-01-05T06:00",
            "auth_header": "Authorization",
            "new_secret": "Bearer brand-new-secret",
        },
    )
    assert response.status_code == 302
    dest.refresh_from_db()
    assert dest.url == "https://dot.example/collisions" and not dest.active and dest.paused_until is not None
    assert dest.auth_secret == "Bearer brand-new-secret"
    entry = AuditEntry.objects.get(action="feed.destination.changed")
    assert set(entry.changes) == {"url", "active", "paused_until", "credential"}
    assert "brand-new-secret" not in str(entry.changes) and "old-secret" not in str(entry.changes)
    page = client.get("/feed/outbox/destinations/DOT/")
    assert b"History" in page.content and b"https://dot.example/collisions" in page.content
    assert b"brand-new-secret" not in page.content


def test_a_bad_url_or_header_is_refused_with_what_to_do(world):
    make_destination("DOL")
    client = world.client_for("wsp")
    response = client.post("/feed/outbox/destinations/DOL/", {"url": "ftp://x", "active": "on", "auth_header": "A"})
    assert response.status_code == 400 and b"http" in response.content
    response = client.post(
        "/feed/outbox/destinations/DOL/", {"url": "http://127.0.0.1:9/x", "auth_header": "Bad Header\n"}
    )
    assert response.status_code == 400 and b"header name" in response.content
    assert not AuditEntry.objects.filter(action="feed.destination.changed").exists()


def test_removing_the_secret_and_resuming(world):
    make_destination("DOT", auth_secret="s3cret", paused_until="2030-01-01T00:00:00Z", consecutive_failures=5)
    client = world.client_for("wsp")
    client.post(
        "/feed/outbox/destinations/DOT/",
        {"url": "http://127.0.0.1:9/collisions", "active": "on", "auth_header": "Authorization", "clear_secret": "on"},
    )
    dest = Destination.objects.get(code="DOT")
    assert dest.auth_secret == "" and dest.paused_until is None and dest.consecutive_failures == 0


def test_only_wsp_support_edits_destinations(world):
    make_destination("DOT")
    for persona in ("waspc", "aoc", "lasa"):
        assert world.client_for(persona).get("/feed/outbox/destinations/DOT/").status_code == 403, persona
    assert world.client_for("wsp").get("/feed/outbox/destinations/NOPE/").status_code == 404
