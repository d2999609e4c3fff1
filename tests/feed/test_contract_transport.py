"""contracts/FEED.md, Transport: every row of the answer table, and the re-send / GET rules."""

import json

import pytest
from django.core.management import call_command

from citations.models import Ticket, TicketVersion
from sector.feed.models import Batch, FeedCredential, FeedException
from sector.feed.services import credential_revoke
from tests.feed.factories import batch, ticket


def test_200_with_a_result_per_record_good_ones_stored_even_if_others_are_rejected(feed):
    good, bad = ticket(), ticket(court_code="X99")
    r = feed.post(batch([good, bad]))
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["index"] for x in results] == [0, 1]
    assert results[0] == {
        "index": 0,
        "type": "ticket",
        "number": good["ticket_number"],
        "version": 1,
        "status": "created",
    }
    assert results[1]["status"] == "rejected"
    assert results[1]["errors"] == [
        {"field": "court_code", "code": "unknown_court", "message": "No court with code 'X99'."}
    ]
    assert Ticket.objects.filter(ticket_number=good["ticket_number"]).exists()
    assert not Ticket.objects.filter(ticket_number=bad["ticket_number"]).exists()
    exc = FeedException.objects.get()
    assert json.loads(exc.raw) == bad and exc.codes == "unknown_court"


@pytest.mark.parametrize(
    "raw, why",
    [
        (b"\xff\xfe{not utf8", "invalid UTF-8"),
        (b'{"batch_id": "A", "records": [', "syntax"),
        (b"[" * 5000 + b"]" * 5000, "nesting (parser)"),
        (b'{"batch_id": "A", "records": [' + b"[" * 400 + b"]" * 400 + b"]}", "nesting deeper than records are"),
        (b"[]", "not an object"),
        (b'"text"', "a string"),
        (json.dumps({"records": [ticket()]}).encode(), "no batch_id"),
        (json.dumps({"batch_id": "bad id!", "records": [ticket()]}).encode(), "bad batch_id"),
        (json.dumps({"batch_id": "A" * 65, "records": [ticket()]}).encode(), "batch_id too long"),
        (json.dumps({"batch_id": "A", "records": []}).encode(), "no records"),
        (json.dumps({"batch_id": "A", "records": {"0": ticket()}}).encode(), "records not a list"),
        (json.dumps({"batch_id": "A", "sent_at": "yesterday", "records": [ticket()]}).encode(), "bad sent_at"),
        (json.dumps({"batch_id": "A", "records": [ticket()], "extra": 1}).encode(), "unknown field"),
        (b'{"batch_id": "A", "records": [NaN]}', "NaN"),
        (b'{"batch_id": "A", "records": ["\\ud800"]}', "lone surrogate"),
    ],
)
def test_400_when_the_body_is_not_json_or_not_a_batch(feed, raw, why):
    r = feed.post(None, raw=raw)
    assert r.status_code == 400, why
    assert "error" in r.json()
    assert not Batch.objects.exists()


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer nope", "Basic abc", "bearer xyz"])
def test_401_without_a_known_token(feed, header, client):
    kwargs = {} if header is None else {"HTTP_AUTHORIZATION": header}
    r = client.post(
        "/api/feed/v1/batches", data=json.dumps(batch([ticket()])), content_type="application/json", **kwargs
    )
    assert r.status_code == 401
    assert r["WWW-Authenticate"].startswith("Bearer")
    assert not Ticket.objects.exists()


def test_401_with_a_revoked_token(feed):
    credential_revoke(credential=FeedCredential.objects.get())
    assert feed.post(batch([ticket()])).status_code == 401
    assert feed.get("anything").status_code == 401


def test_409_for_a_used_batch_id_with_different_records(feed):
    body = batch([ticket()])
    assert feed.post(body).status_code == 200
    other = {**body, "records": [ticket()]}
    r = feed.post(other)
    assert r.status_code == 409 and "error" in r.json()
    assert Ticket.objects.count() == 1


def test_batch_ids_are_per_sending_system(feed, world):
    from tests.feed.factories import FeedClient

    other = FeedClient(system="TRACS")
    assert feed.post(batch([ticket()], batch_id="SAME-1")).status_code == 200
    assert other.post(batch([ticket()], batch_id="SAME-1")).status_code == 200
    assert other.get("SAME-1").json()["results"][0]["status"] == "created"


def test_413_over_1000_records(feed):
    r = feed.post(batch([ticket() for _ in range(1001)]))
    assert r.status_code == 413 and "error" in r.json()
    assert not Ticket.objects.exists()


def test_413_over_10_mb(feed):
    body = json.dumps(batch([ticket(agency_case_number="x" * (10 * 1024 * 1024))])).encode()
    r = feed.post(None, raw=body)
    assert r.status_code == 413
    assert not Batch.objects.exists()


def test_a_body_of_10_mb_is_read_and_its_oversized_field_rejected_not_a_500(feed):
    rec = ticket()
    base = len(json.dumps(batch([rec], batch_id="BIG-1")).encode())
    rec["agency_case_number"] = "y" * (10 * 1024 * 1024 - base - len('""') + 2 - len(json.dumps("OPD-26-001")) + 2)
    body = json.dumps(batch([rec], batch_id="BIG-1")).encode()
    assert len(body) <= 10 * 1024 * 1024
    r = feed.post(None, raw=body)
    assert r.status_code == 200
    assert r.json()["results"][0]["errors"][0]["code"] == "too_long"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=latin-1"],
)
def test_415_unless_application_json(feed, content_type):
    r = feed.post(batch([ticket()]), content_type=content_type)
    assert r.status_code == 415
    assert not Ticket.objects.exists()


def test_charset_utf8_is_accepted(feed):
    assert feed.post(batch([ticket()]), content_type="application/json; charset=utf-8").status_code == 200


def test_resend_same_batch_returns_stored_results_and_changes_nothing(feed):
    body = batch([ticket(), ticket(court_code="X99")])
    first = feed.post(body)
    again = feed.post({**body, "sent_at": "2026-11-16T16:00:00-08:00"})  # sent_at is ignored
    assert again.status_code == 200
    assert again.json() == first.json()
    assert Ticket.objects.count() == 1 and TicketVersion.objects.count() == 1
    assert FeedException.objects.count() == 1
    assert Batch.objects.get().replays == 1


def test_get_returns_the_stored_results(feed):
    body = batch([ticket()], batch_id="BO-2026-11-25-000123")
    posted = feed.post(body).json()
    r = feed.get("BO-2026-11-25-000123")
    assert r.status_code == 200 and r.json() == posted


def test_get_of_an_unknown_or_other_senders_batch_is_404(feed, world):
    from tests.feed.factories import FeedClient

    feed.post(batch([ticket()], batch_id="MINE"))
    assert feed.get("NOPE").status_code == 404
    assert FeedClient(system="OTHER").get("MINE").status_code == 404


def test_wrong_methods_get_405_not_500(feed):
    assert feed.client.get("/api/feed/v1/batches", HTTP_AUTHORIZATION=f"Bearer {feed.token}").status_code == 405
    r = feed.client.post("/api/feed/v1/batches/X", HTTP_AUTHORIZATION=f"Bearer {feed.token}")
    assert r.status_code == 405


def test_no_trailing_slash_and_no_csrf_or_session_needed(feed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    r = client.post(
        "/api/feed/v1/batches",
        data=json.dumps(batch([ticket()])),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {feed.token}",
    )
    assert r.status_code == 200


def test_feed_token_command_prints_only_the_token(db, capsys):
    call_command("feed_token", "create", "--system", "TRACS")
    out = capsys.readouterr().out
    token = out.strip()
    assert out == token + "\n" and token.startswith("sfd_") and " " not in token
    cred = FeedCredential.objects.get(system="TRACS")
    assert token not in (cred.token_hash, cred.token_hint) and len(cred.token_hash) == 64


def test_a_batch_is_stored_in_a_fixed_number_of_queries(feed, django_assert_max_num_queries, world):
    feed.post(batch([ticket()]))  # warm caches (content types)
    # 24: each record type's handler runs in a savepoint (SAVEPOINT + RELEASE), so a record that makes it raise
    # costs only itself, plus the per-credential rate counter (one upsert) and the source-system ownership check
    # (issue 13, issue 12). The figure stays the same whatever the batch's size.
    with django_assert_max_num_queries(24) as small:
        feed.post(batch([ticket() for _ in range(3)]))
    with django_assert_max_num_queries(24) as large:
        feed.post(batch([ticket() for _ in range(300)] + [ticket(court_code="X99")]))
    assert len(large.captured_queries) <= len(small.captured_queries) + 2  # + the exception insert, the bulk_update


def test_records_that_are_not_objects_or_of_unknown_type_are_rejected(feed):
    r = feed.post(batch([1, "x", None, [], {"type": "parking"}, {"no": "type"}, ticket()]))
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["rejected"] * 6 + ["created"]
    assert results[4]["errors"][0]["code"] == "unknown_type"
    assert results[5]["errors"][0]["code"] == "required"
    assert FeedException.objects.count() == 6
