"""The outbox: sending with the idempotency key, acknowledgment, backoff, failed list, retry, sweep, folders."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sector.feed import outbox
from sector.feed.outbox_models import Delivery, DeliveryStatus
from tests.collisions.factories import make_destination

pytestmark = pytest.mark.django_db


def _create(code_prefix="WA0340100:E1:1", payload=b'{"a": 1}'):
    return outbox.deliveries_create(
        record_type="collision", record_id=1, label="E1 v1", key_prefix=code_prefix, payload=payload
    )


def test_backoff_doubles_and_is_capped(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 30
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 600
    assert [outbox.backoff_after(n).total_seconds() for n in (1, 2, 3, 4, 5, 6)] == [30, 60, 120, 240, 480, 600]


def test_http_delivery_sends_fixed_bytes_with_key_and_auth_and_stores_the_ack(world, loopback):
    make_destination("DOT", url=loopback.url, auth_header="X-Api-Key", auth_secret="s3cret")
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "delivered"
    [(key, body, headers)] = loopback.received
    assert key == "WA0340100:E1:1:DOT" and body == b'{"a": 1}' and headers["X-Api-Key"] == "s3cret"
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DELIVERED and d.ack == '{"receipt": 1}' and d.attempts == 1
    assert outbox.delivery_send(delivery_id=d.pk) == "skipped"  # delivered once; nothing sends it again


def test_failures_back_off_then_the_delivery_is_listed_as_failed(world, loopback, settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 60
    loopback.fail_with = 503
    make_destination("DOT", url=loopback.url, max_attempts=3)
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "retry"
    d.refresh_from_db()
    assert d.status == "pending" and d.attempts == 1 and d.last_status_code == 503
    assert timedelta(seconds=55) < d.next_attempt_at - timezone.now() <= timedelta(seconds=60)
    assert outbox.delivery_send(delivery_id=d.pk) == "skipped"  # not due yet
    for expected in ("retry", "failed"):
        Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
        assert outbox.delivery_send(delivery_id=d.pk) == expected
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and d.attempts == 3 and d.failed_at


def test_no_answer_is_a_failure_too(world):
    make_destination("DOT", url="http://127.0.0.1:9/nothing-listens", timeout_seconds=1)
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "retry"
    d.refresh_from_db()
    assert "No answer" in d.last_error


def test_a_held_lease_keeps_others_off_and_an_expired_one_is_swept(world, loopback):
    make_destination("DOT", url=loopback.url)
    [d] = _create()
    Delivery.objects.filter(pk=d.pk).update(
        lease_owner="dead-worker", lease_expires=timezone.now() + timedelta(minutes=1)
    )
    assert outbox.delivery_send(delivery_id=d.pk) == "skipped"
    assert outbox.due_ids() == []
    Delivery.objects.filter(pk=d.pk).update(lease_expires=timezone.now() - timedelta(seconds=1))
    assert outbox.due_ids() == [d.pk]
    assert outbox.outbox_sweep() == 1  # eager in the unit tests: the sweep's task sends it
    d.refresh_from_db()
    assert d.status == DeliveryStatus.DELIVERED


def test_folder_destination_writes_one_file_atomically(world, tmp_path):
    make_destination("DOL", kind="folder", folder=str(tmp_path / "dol"), url="")
    [d] = _create(payload=b'{"x": "y"}')
    assert outbox.delivery_send(delivery_id=d.pk) == "delivered"
    files = sorted(p.name for p in (tmp_path / "dol").iterdir())
    assert files == ["WA0340100_E1_1_DOL.json"]
    assert (tmp_path / "dol" / files[0]).read_bytes() == b'{"x": "y"}'


def test_wsp_retries_failed_deliveries_one_or_all(world, loopback, django_capture_on_commit_callbacks):
    make_destination("DOT", url=loopback.url, max_attempts=1)
    loopback.fail_with = 500
    a = _create("K:1:1")[0]
    b = _create("K:2:1")[0]
    for d in (a, b):
        assert outbox.delivery_send(delivery_id=d.pk) == "failed"
    client = world.client_for("wsp")
    html = client.get(reverse("outbox:delivery_list")).content.decode()
    assert "K:1:1:DOT" not in html and "Retry selected" in html and html.count('name="ids"') == 2
    loopback.fail_with = None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:delivery_retry"), {"ids": [a.pk]})
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == "delivered" and b.status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("outbox:delivery_retry"), {"all_failed": "1"})
    b.refresh_from_db()
    assert b.status == "delivered"
    assert [k for k, _, _ in loopback.received] == ["K:1:1:DOT", "K:2:1:DOT"]


def test_destination_status_page(world, loopback):
    make_destination("DOT", url=loopback.url)
    make_destination("DOL", url="http://127.0.0.1:9/x", max_attempts=1)
    for d in _create("K:1:1") + _create("K:2:1"):
        outbox.delivery_send(delivery_id=d.pk)
    _create("K:3:1")
    html = world.client_for("wsp").get(reverse("outbox:destination_status")).content.decode()
    import re

    def counts(code):
        row = html.split(f"({code})")[1].split("</tr>")[0]
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        return [re.sub(r"<[^>]+>", "", c).strip() for c in cells[2:5]]  # delivered, pending, failed

    assert counts("DOT") == ["2", "1", "0"]
    assert counts("DOL") == ["0", "1", "2"]


def test_the_payload_is_the_report_plus_review(world, tmp_path):
    from collisions.services import report_approve
    from tests.collisions.factories import collision, store

    make_destination("DOT", kind="folder", folder=str(tmp_path), url="")
    rec = collision()
    store([rec])
    from collisions.models import CollisionReport

    report = CollisionReport.objects.get(report_number=rec["report_number"])
    report_approve(actor=world.users["reviewer"], report_id=report.pk)
    body = json.loads(bytes(Delivery.objects.get().payload))
    assert {k: v for k, v in body.items() if k != "review"} == rec
    assert set(body["review"]) == {"approved_by", "approved_at"}


def test_a_destination_url_that_is_not_http_is_a_failure_not_a_fetch(world):
    from django.core.exceptions import ValidationError

    dest = make_destination("ODD", url="file:///etc/passwd")
    with pytest.raises(ValidationError):
        dest.full_clean()
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "retry"
    d.refresh_from_db()
    assert "needs its http:// or https:// URL" in d.last_error
