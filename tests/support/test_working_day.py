"""Issue 11 on the support desk: the queue opens on open requests, breached and urgent first; "assign to me" in
one click; the resolution clock pauses (in business time) while a request waits on the requester, and says so."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from sector.core.models import AuditEntry
from sector.support import services
from sector.support.business_hours import load_calendar
from sector.support.models import SupportRequest
from sector.support.selectors import measure
from tests.support.helpers import pacific, raise_request

pytestmark = pytest.mark.django_db

LIST = reverse("support:request_list")


def _refs(html: str) -> list[str]:
    return re.findall(r">(SR-\d{6})</a>", html)


def test_the_queue_opens_on_open_requests_and_any_status_shows_the_rest(world):
    open_one = raise_request(world, subject="Still broken")
    done = raise_request(world, subject="Fixed now")
    services.request_move(support_request=done, actor=world.users["wsp"], status="resolved")
    client = world.client_for("wsp")
    html = client.get(LIST).content.decode()
    assert _refs(html) == [open_one.reference]
    assert '<option value="open" selected>' in html
    assert set(_refs(client.get(LIST, {"status": ""}).content.decode())) == {open_one.reference, done.reference}


def test_the_queue_puts_breached_first_then_urgent_then_oldest(world):
    newest_normal = raise_request(world, priority="Normal", subject="n1")
    older_normal = raise_request(world, priority="Normal", subject="n0")
    SupportRequest.objects.filter(pk=older_normal.pk).update(created_at=older_normal.created_at - timedelta(minutes=5))
    urgent = raise_request(world, priority="Urgent", subject="u")
    breached_low = raise_request(world, priority="Low", subject="late", created_at=pacific(2026, 1, 5, 9, 0))
    html = world.client_for("wsp").get(LIST).content.decode()
    assert _refs(html) == [breached_low.reference, urgent.reference, older_normal.reference, newest_normal.reference]
    assert "breached first, then the most urgent, then the oldest" in html


def test_queue_pages_in_its_order_reach_every_request_once(world):
    made = [raise_request(world, priority=("Urgent", "Low")[i % 2], subject=f"Item {i}") for i in range(55)]
    raise_request(world, priority="Low", subject="late", created_at=pacific(2026, 1, 5, 9, 0))
    client = world.client_for("wsp")
    first = client.get(LIST)
    second = client.get(LIST, {"cursor": first.context["page"].next_cursor})
    rows = list(first.context["rows"]) + list(second.context["rows"])
    assert len(rows) == 56 and len({r.sr.pk for r in rows}) == 56
    assert rows[0].sr.subject == "late" and {r.sr.priority.name for r in rows[1:29]} == {"Urgent"}
    assert {sr.pk for sr in made} < {r.sr.pk for r in rows}


def test_assign_to_me_is_one_click_from_the_queue_and_the_request_page(world):
    sr = raise_request(world)
    client = world.client_for("wsp")
    html = client.get(LIST, {"status": "open"}).content.decode()
    action = reverse("support:request_assign_me", args=[sr.pk])
    assert f'action="{action}"' in html and "Assign to me" in html
    response = client.post(action, {"next": LIST + "?status=open"})
    assert response.status_code == 302 and response["Location"] == LIST + "?status=open"
    sr.refresh_from_db()
    assert sr.assignee == world.users["wsp"]
    entry = AuditEntry.objects.filter(action="support.request.triaged").latest("id")
    assert entry.changes["assignee"][1] == str(world.users["wsp"])
    # Once it is theirs, the button is gone; on another request's page it is there, and leads back to the page.
    assert f'action="{action}"' not in client.get(sr.get_absolute_url()).content.decode()
    other = raise_request(world, subject="Another")
    page = client.get(other.get_absolute_url()).content.decode()
    assert reverse("support:request_assign_me", args=[other.pk]) in page
    assert (
        client.post(reverse("support:request_assign_me", args=[other.pk]), {"next": "https://evil.example/"})[
            "Location"
        ]
        == other.get_absolute_url()
    )
    # A requester cannot.
    assert world.client_for("lasa").post(reverse("support:request_assign_me", args=[other.pk])).status_code == 403


# ----------------------------------------------------------------------------- the clock pauses


def test_the_resolution_clock_pauses_while_waiting_on_the_requester(world):
    # Urgent: resolved within 8 business hours. Raised Monday 9:00, due Monday 17:00.
    sr = raise_request(world, priority="Urgent", created_at=pacific(2026, 1, 12, 9, 0))
    assert sr.resolution_due == pacific(2026, 1, 12, 17, 0)
    wsp = world.users["wsp"]
    services.request_reply(support_request=sr, actor=wsp, body="Send us the log, please.", status="waiting",
                           now=pacific(2026, 1, 12, 10, 0))  # fmt: skip
    sr.refresh_from_db()
    assert sr.waiting_since == pacific(2026, 1, 12, 10, 0)
    calendar = load_calendar()
    # Tuesday noon: past the old due time, but the clock has stood still since Monday 10:00.
    tuesday = pacific(2026, 1, 13, 12, 0)
    m = measure(sr, calendar=calendar, now=tuesday)
    assert m.resolution_elapsed == timedelta(hours=1) and not m.resolution_breached
    assert not SupportRequest.objects.breached(tuesday).filter(pk=sr.pk).exists()
    # The requester answers on Wednesday 10:00: 18 business hours paused, 7 were left, so due Wednesday 17:00.
    services.request_reply(support_request=sr, actor=world.users["lasa"], body="Attached.",
                           now=pacific(2026, 1, 14, 10, 0))  # fmt: skip
    sr.refresh_from_db()
    assert sr.status == "in_progress" and sr.waiting_since is None
    assert sr.resolution_paused == timedelta(hours=18)
    assert sr.resolution_due == pacific(2026, 1, 14, 17, 0)
    m = measure(sr, calendar=calendar, now=pacific(2026, 1, 14, 11, 0))
    assert m.resolution_elapsed == timedelta(hours=2) and not m.resolution_breached
    entry = AuditEntry.objects.filter(action="support.request.status_changed").latest("id")
    assert datetime.fromisoformat(entry.data["clock_paused"]["from"]) == pacific(2026, 1, 12, 10, 0)


def test_a_pause_over_a_weekend_and_a_holiday_counts_only_business_hours(world):
    # Normal: 40 business hours. Waiting from Friday 16:00 to Tuesday 9:00 over Martin Luther King Jr. Day.
    sr = raise_request(world, priority="Normal", created_at=pacific(2026, 1, 16, 15, 0))
    due = sr.resolution_due
    services.request_move(support_request=sr, actor=world.users["wsp"], status="waiting",
                          now=pacific(2026, 1, 16, 16, 0))  # fmt: skip
    services.request_move(support_request=sr, actor=world.users["wsp"], status="in_progress",
                          now=pacific(2026, 1, 20, 9, 0))  # fmt: skip
    sr.refresh_from_db()
    assert sr.resolution_paused == timedelta(hours=2)  # Friday 16-17 and Tuesday 8-9
    assert sr.resolution_due == load_calendar().add_business_hours(due, 2)


def test_a_target_missed_before_the_wait_stays_missed(world):
    sr = raise_request(world, priority="Urgent", created_at=pacific(2026, 1, 12, 9, 0))
    services.request_move(support_request=sr, actor=world.users["wsp"], status="waiting",
                          now=pacific(2026, 1, 13, 10, 0))  # fmt: skip
    sr.refresh_from_db()
    assert sr.resolution_breached(pacific(2026, 1, 13, 11, 0))
    assert SupportRequest.objects.breached(pacific(2026, 1, 13, 11, 0)).filter(pk=sr.pk).exists()
    services.request_move(support_request=sr, actor=world.users["wsp"], status="resolved",
                          now=pacific(2026, 1, 14, 10, 0))  # fmt: skip
    sr.refresh_from_db()
    assert sr.resolution_due == pacific(2026, 1, 12, 17, 0) and sr.resolution_breached()


def test_a_new_priority_keeps_earlier_waits_off_the_clock(world):
    from sector.support.models import Priority

    sr = raise_request(world, priority="Urgent", created_at=pacific(2026, 1, 12, 9, 0))
    services.request_move(support_request=sr, actor=world.users["wsp"], status="waiting",
                          now=pacific(2026, 1, 12, 10, 0))  # fmt: skip
    services.request_move(support_request=sr, actor=world.users["wsp"], status="in_progress",
                          now=pacific(2026, 1, 12, 12, 0))  # fmt: skip
    sr.refresh_from_db()
    services.request_triage(support_request=sr, actor=world.users["wsp"], priority=Priority.objects.get(name="High"),
                            category=sr.category)  # fmt: skip
    sr.refresh_from_db()
    # High: 24 business hours from Monday 9:00 is Wednesday 15:00; plus the 2 hours paused, Wednesday 17:00.
    assert sr.resolution_due == pacific(2026, 1, 14, 17, 0)


def test_the_page_and_the_queue_say_the_clock_is_paused(world):
    sr = raise_request(world, priority="Urgent", created_at=pacific(2026, 1, 12, 9, 0))
    services.request_move(support_request=sr, actor=world.users["wsp"], status="waiting",
                          now=pacific(2026, 1, 12, 10, 0))  # fmt: skip
    for persona in ("wsp", "lasa"):
        html = world.client_for(persona).get(sr.get_absolute_url()).content.decode()
        assert "Clock paused while waiting on requester since" in html
        assert "Mon, Jan 12, 2026, 10:00 AM PST" in html
    assert "Clock paused" in world.client_for("wsp").get(LIST).content.decode()
