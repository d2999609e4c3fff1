"""Outbound deliveries against hostile answers (issue 13): no redirect is followed, only a 2xx from the
configured URL counts, production takes https:// only, and the destinations' secrets are encrypted at rest."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sector.core import crypto
from sector.feed import outbox
from sector.feed.outbox_models import Delivery, DeliveryStatus, Destination
from tests.collisions.factories import make_destination
from tests.outbox.loopback import Loopback

pytestmark = pytest.mark.django_db


@pytest.fixture
def servers():
    started = [Loopback(), Loopback()]
    yield started
    for server in started:
        server.stop()


def _create():
    return outbox.deliveries_create(
        record_type="collision", record_id=1, label="E1 v1", key_prefix="WA0340100:E1:1", payload=b'{"a": 1}'
    )


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_not_delivered_and_the_target_receives_nothing(world, servers, status):
    destination, elsewhere = servers
    destination.redirect_to = elsewhere.url
    destination.redirect_status = status
    make_destination("DOT", url=destination.url, auth_header="X-Api-Key", auth_secret="s3cret", max_attempts=1)
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "failed"
    d.refresh_from_db()
    assert d.status == DeliveryStatus.FAILED and d.delivered_at is None and d.ack == ""
    assert d.last_status_code == status and "redirects are not followed" in d.last_error
    assert elsewhere.received == []


@pytest.mark.parametrize("status", [100, 199, 304, 400, 404, 500])
def test_only_a_2xx_counts_as_delivered(world, servers, status, monkeypatch):
    destination, _ = servers
    destination.fail_with = status
    make_destination("DOT", url=destination.url)
    [d] = _create()
    if status < 200:
        # http.server cannot send a bare 1xx as the final answer; check the rule itself on a fake response.
        import httpx

        class Fake:
            def stream(self, *a, **k):
                import contextlib

                @contextlib.contextmanager
                def cm():
                    yield httpx.Response(status, content=b"")

                return cm()

        monkeypatch.setattr(outbox, "http_client", lambda: Fake())
    assert outbox.delivery_send(delivery_id=d.pk) == "retry"
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and d.last_status_code == status


def test_a_huge_answer_is_read_only_up_to_the_cap(world, servers, monkeypatch):
    monkeypatch.setattr(outbox, "MAX_ACK_BYTES", 100)
    make_destination("DOT", url=servers[0].url)
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "delivered"
    d.refresh_from_db()
    assert d.ack == '{"receipt": 1}'


def test_production_takes_https_destinations_only(world, servers, settings):
    settings.OUTBOX_REQUIRE_HTTPS = True
    dest = Destination(code="DOT", name="DOT", kind="http", url="http://dot.example.gov/collisions")
    with pytest.raises(ValidationError) as err:
        dest.full_clean()
    assert "https://" in str(err.value.message_dict["url"])
    Destination(code="DOT2", name="DOT", kind="http", url="https://dot.example.gov/collisions").full_clean()
    # One stored before the rule (or written around the form) is refused at sending time, nothing sent.
    make_destination("DOT", url=servers[0].url, max_attempts=1)
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "failed"
    assert "https://" in Delivery.objects.get(pk=d.pk).last_error
    assert servers[0].received == []


def test_the_admin_form_refuses_an_http_url_in_production(world, settings):
    from sector.feed.outbox_admin import DestinationForm

    settings.OUTBOX_REQUIRE_HTTPS = True
    data = {"code": "DOT", "name": "DOT", "record_type": "collision", "format": "json", "kind": "http",
            "url": "http://dot.example.gov/x", "auth_header": "Authorization", "auth_secret": "Bearer x",
            "active": "on", "timeout_seconds": 10, "max_attempts": 3}  # fmt: skip
    form = DestinationForm(data)
    assert not form.is_valid() and "https://" in str(form.errors["url"])
    form = DestinationForm({**data, "url": "https://dot.example.gov/x"})
    assert form.is_valid(), form.errors


def _raw_secret(pk):
    with connection.cursor() as cur:
        cur.execute("SELECT auth_secret FROM feed_destination WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_the_secret_is_stored_encrypted_and_sent_in_plain(world, servers):
    dest = make_destination("DOT", url=servers[0].url, auth_header="X-Api-Key", auth_secret="s3cret-value")
    raw = _raw_secret(dest.pk)
    assert raw.startswith("fernet:") and "s3cret-value" not in raw
    assert Destination.objects.get(pk=dest.pk).auth_secret == "s3cret-value"
    [d] = _create()
    assert outbox.delivery_send(delivery_id=d.pk) == "delivered"
    assert servers[0].received[0][2]["X-Api-Key"] == "s3cret-value"


def test_the_data_migration_encrypts_secrets_stored_in_plain_text(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("sector.feed.migrations.0004_encrypt_destination_secrets")
    dest = make_destination("DOT", auth_secret="old")
    with connection.cursor() as cur:
        cur.execute("UPDATE feed_destination SET auth_secret = %s WHERE id = %s", ["Bearer legacy-plain", dest.pk])
    assert Destination.objects.get(pk=dest.pk).auth_secret == "Bearer legacy-plain"  # readable before
    migration.encrypt_existing(apps, None)
    raw = _raw_secret(dest.pk)
    assert raw.startswith("fernet:") and "legacy-plain" not in raw
    assert Destination.objects.get(pk=dest.pk).auth_secret == "Bearer legacy-plain"
    migration.decrypt_existing(apps, None)
    assert _raw_secret(dest.pk) == "Bearer legacy-plain"


def test_a_rotated_key_still_reads_old_tokens_and_a_wrong_key_says_so(settings):
    from cryptography.fernet import Fernet
    from django.core.exceptions import ImproperlyConfigured

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt("x")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == "x"
    settings.FIELD_ENCRYPTION_KEYS = [new]
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(token)
