"""Issue 16, capability 6: WSP support edits each agency's collision review settings in the portal, with the
history of changes on the page."""

from __future__ import annotations

import pytest

from collisions.models import AgencyReviewSetting
from collisions.services import second_level_required
from sector.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_wsp_turns_second_level_approval_on_and_off_and_the_page_shows_the_history(world):
    client = world.client_for("wsp")
    assert b"Olympia Police Department" in client.get("/collisions/review-settings/").content
    url = f"/collisions/review-settings/{world.agency_a.ori}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"second_level_approval": "on"}).status_code == 302
    assert second_level_required(world.agency_a.pk)
    client.post(url, {})
    assert not second_level_required(world.agency_a.pk)
    entries = AuditEntry.objects.filter(action="collisions.review_setting.changed").order_by("id")
    assert [e.changes["second_level_approval"] for e in entries] == [[False, True], [True, False]]
    page = client.get(url)
    assert b"History" in page.content and b"No recorded changes yet" not in page.content
    client.post(url, {})  # no change: no entry
    assert entries.count() == 2
    assert AgencyReviewSetting.objects.count() == 1


def test_review_settings_are_wsp_supports_only(world, django_assert_max_num_queries):
    for persona in ("waspc", "lasa", "reviewer", "aoc"):
        assert world.client_for(persona).get("/collisions/review-settings/").status_code == 403, persona
    client = world.client_for("wsp")
    with django_assert_max_num_queries(10):
        assert client.get("/collisions/review-settings/").status_code == 200
    assert client.get("/collisions/review-settings/%00/").status_code == 404
