"""The counter: a scanned license opens that person's tickets at the clerk's court, and nothing keeps the scan."""

import contextlib
import logging

import pytest

from sector.core.models import AuditEntry
from tests.courts import aamva_samples as s
from tests.feed.factories import make_ticket

URL = "/courts/counter/"
RIVERA = {"last_name": "RIVERA", "first_name": "MARIA", "date_of_birth": "1990-03-14",
          "licence": {"number": "WDLRIVERMA123", "state": "WA"}}  # fmt: skip


@pytest.fixture
def tickets(world):
    mine = make_ticket(world, defendant=RIVERA)
    # Same person, no license number on the ticket: found by name and date of birth.
    by_name = make_ticket(world, defendant={"last_name": "Rivera", "first_name": "M", "date_of_birth": "1990-03-14"})
    other_court = make_ticket(world, court_code="M32SPO", defendant=RIVERA)
    same_number_other_state = make_ticket(
        world, defendant={**RIVERA, "last_name": "ROE", "date_of_birth": "1970-01-01",
                          "licence": {"number": "WDLRIVERMA123", "state": "OR"}},
    )  # fmt: skip
    stranger = make_ticket(world)
    return mine, by_name, other_court, same_number_other_state, stranger


def test_scanning_a_license_lists_that_persons_tickets_at_the_clerks_court_only(as_persona, tickets):
    mine, by_name, other_court, other_state, stranger = tickets
    response = as_persona("clerk").post(URL, {"scan": s.typed_in_textarea(s.V10_WA)})
    assert response.status_code == 200
    found = {t.pk for t in response.context["tickets"]}
    assert found == {mine.pk, by_name.pk}
    body = response.content.decode()
    assert "RIVERA, MARIA ELENA" in body and "03/14/1990" in body
    assert "WDLRIVERMA123" not in body  # the number shows masked


def test_the_other_courts_clerk_sees_only_their_courts_ticket(as_persona, tickets):
    _mine, _by_name, other_court, *_ = tickets
    response = as_persona("clerk2").post(URL, {"scan": s.control_chars_dropped(s.V10_WA)})
    assert [t.pk for t in response.context["tickets"]] == [other_court.pk]


def test_a_bad_scan_gets_a_clear_message_and_the_field_comes_back_empty(as_persona, world):
    response = as_persona("clerk").post(URL, {"scan": "0123456789012"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "not a driver license barcode" in body
    assert "0123456789012" not in body
    assert response.context["tickets"] is None


def test_a_huge_post_is_refused_without_parsing(as_persona, world):
    response = as_persona("clerk").post(URL, {"scan": "@ANSI " + "x" * 10000})
    assert "far longer" in response.content.decode()


def test_a_get_parameter_is_never_read(as_persona, tickets):
    response = as_persona("clerk").get(URL, {"scan": s.V10_WA})
    assert response.status_code == 200
    assert response.context["tickets"] is None


def test_the_scan_is_not_in_the_audit_log_the_logs_or_the_session(as_persona, tickets, caplog):
    client = as_persona("clerk")
    with caplog.at_level(logging.DEBUG):
        client.post(URL, {"scan": s.V10_WA})
        client.post(URL, {"scan": s.V10_WA[:60]})  # a partial scan too
    entry = AuditEntry.objects.get(action="courts.counter.license_looked_up")
    assert entry.data == {"licence_number": "*********A123", "state": "WA", "matches": 2}
    secrets = ("WDLRIVERMA123", "RIVERA", "03141990", "ANSI 636045")
    for e in AuditEntry.objects.all():
        text = f"{e.data} {e.changes} {e.object_repr}"
        assert not any(x in text for x in secrets), e.action
    logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert not any(x in logged for x in secrets)
    session = client.session
    assert not any(x in str(dict(session.items())) for x in secrets)


def test_the_scan_field_is_sensitive_in_error_reports(rf, world):
    from django.views.debug import SafeExceptionReporterFilter

    from courts.counter_views import counter

    request = rf.post(URL, {"scan": s.V10_WA})
    request.user = world.users["clerk"]
    with contextlib.suppress(Exception):  # only the marking matters here
        counter(request)
    assert SafeExceptionReporterFilter().get_post_parameters(request)["scan"] != s.V10_WA


def test_the_lookup_is_one_query_for_the_tickets(as_persona, tickets, django_assert_max_num_queries):
    client = as_persona("clerk")
    client.get(URL)
    with django_assert_max_num_queries(12):
        client.post(URL, {"scan": s.V10_WA})
