from datetime import timedelta

import pytest
from django.urls import reverse

from sector.support import services
from sector.support.selectors import dashboard
from tests.support.helpers import pacific, raise_request

pytestmark = pytest.mark.django_db


def test_dashboard_figures(world):
    now = pacific(2026, 11, 18, 12, 0)  # Wednesday
    late = raise_request(world, priority="Urgent", created_at=pacific(2026, 11, 16, 9, 0))
    answered = raise_request(world, priority="Normal", created_at=pacific(2026, 11, 16, 9, 0))
    services.request_reply(support_request=answered, actor=world.users["wsp"], body="Hi", now=pacific(2026, 11, 16, 10))
    older = raise_request(world, "clerk", court=world.court_a, priority="Low", created_at=pacific(2026, 11, 2, 9, 0))
    services.request_reply(support_request=older, actor=world.users["wsp"], body="Hi", now=pacific(2026, 11, 2, 12))
    d = dashboard(now=now)
    assert {row["priority"].name: row["open"] for row in d["open_by_priority"]} == {
        "Urgent": 1, "High": 0, "Normal": 1, "Low": 1,
    }  # fmt: skip
    assert d["open_total"] == 3 and d["unassigned"] == 3
    assert d["first_response_breaches_this_week"] == 1  # the urgent one, due Monday 11:00
    assert d["resolution_breaches_this_week"] == 1  # the urgent one, due Monday 17:00
    assert d["median_first_response"] == timedelta(hours=2)  # median of 1 h and 3 h
    assert d["chart"]["counts"][-1] == 2 and d["chart"]["counts"][-3] == 1 and sum(d["chart"]["counts"]) == 3
    assert d["chart"]["labels"][-1] == "Nov 16"
    assert late.first_response_breached(now)


def test_the_queue_filters_answer_htmx_with_the_rows_only(world):
    raise_request(world, subject="Partial please")
    response = world.client_for("wsp").get(reverse("support:request_list"), {"status": "open"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Partial please" in html and "<html" not in html
