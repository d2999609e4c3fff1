"""Claim, release and approve through htmx: the same services and confirmation, the review card as the answer;
without htmx the full-page posts work as before (issue 16)."""

import pytest

from collisions.models import CollisionReport
from tests.collisions.factories import make_destination, make_report

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report(world):
    make_destination("DOT")
    return make_report()


def _url(report, action):
    return f"/collisions/{report.pk}/{action}/"


def test_claim_through_htmx_answers_with_the_review_card(as_persona, report, world):
    response = as_persona("reviewer").post(_url(report, "claim"), **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "You hold report" in body and "Release claim" in body
    assert CollisionReport.objects.get(pk=report.pk).claimed_by == world.users["reviewer"]
    released = as_persona("reviewer").post(_url(report, "release"), **HX).content.decode()
    assert "Claim released" in released and "Claim for 30 minutes" in released


def test_approve_through_htmx_asks_first_then_approves_in_place(as_persona, report):
    client = as_persona("reviewer")
    ask = client.post(_url(report, "approve"), {"version": report.review_version}, **HX)
    body = ask.content.decode()
    assert "<html" not in body and "Approve report" in body
    assert 'hx-target="closest [data-action-region]"' in body
    assert CollisionReport.objects.get(pk=report.pk).status == "pending"
    done = client.post(_url(report, "approve"), {"version": report.review_version, "confirmed": "1"}, **HX)
    assert "Approved version 1" in done.content.decode()
    assert CollisionReport.objects.get(pk=report.pk).status == "approved"


def test_a_refused_action_says_why_in_the_card(as_persona, report, world):
    from django.test import Client

    from tests.factories import make_user

    other = Client()
    other.force_login(make_user("reviewer2", "collision_reviewer", agency=world.agency_a))
    other.post(_url(report, "claim"), **HX)  # another reviewer holds the claim
    body = as_persona("reviewer").post(_url(report, "claim"), **HX).content.decode()
    assert "Not done" in body


def test_without_htmx_the_full_page_posts_still_redirect(as_persona, report):
    client = as_persona("reviewer")
    assert client.post(_url(report, "claim")).status_code == 302
    ask = client.post(_url(report, "approve"), {"version": report.review_version})
    assert ask.status_code == 200 and "<html" in ask.content.decode()
    assert client.post(_url(report, "approve"), {"version": report.review_version, "confirmed": "1"}).status_code == 302
    assert CollisionReport.objects.get(pk=report.pk).status == "approved"
