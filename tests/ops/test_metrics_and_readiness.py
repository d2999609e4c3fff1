"""/metrics and /readyz: their own credential, business gauges from a few aggregate queries, readiness."""

from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from sector.core.housekeeping import beat_heartbeat
from sector.core.models import Heartbeat
from sector.feed.outbox_models import Delivery, DeliveryStatus
from tests.collisions.factories import make_destination, make_report
from tests.feed.factories import make_ticket

pytestmark = pytest.mark.django_db
TOKEN = "test-metrics-token"


def _get(client, path, token=TOKEN):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}") if token else client.get(path)


def _samples(response) -> dict:
    text = response.content.decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.mark.parametrize("path", ["/metrics", "/readyz"])
def test_the_ops_endpoints_need_the_token_not_a_session(client, django_user_model, path):
    assert _get(client, path, token=None).status_code == 401
    assert _get(client, path, token="wrong").status_code == 401
    response = client.get(path, HTTP_AUTHORIZATION=f"Basic {TOKEN}")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    admin = django_user_model.objects.create_superuser("root", "root@example.gov", "x" * 12)
    client.force_login(admin)
    assert _get(client, path, token=None).status_code == 401


@pytest.mark.parametrize("path", ["/metrics", "/readyz"])
def test_without_a_token_setting_the_endpoints_are_off(client, settings, path):
    settings.METRICS_TOKEN = ""
    assert _get(client, path).status_code == 404


def _add_delivery(dest, n, status, *, age=timedelta(0)):
    now = timezone.now()
    for i in range(n):
        Delivery.objects.create(
            destination=dest,
            record_type="collision",
            record_id=i,
            label=f"r{i}",
            idempotency_key=f"{dest.code}:{status}:{i}:{age.total_seconds()}",
            payload=b"{}",
            status=status,
            next_attempt_at=now,
            created_at=now - age,
        )


def test_business_gauges(world, client):
    dot, dol = make_destination("DOT"), make_destination("DOL")
    _add_delivery(dot, 3, DeliveryStatus.PENDING, age=timedelta(hours=2))
    _add_delivery(dot, 1, DeliveryStatus.PENDING)
    _add_delivery(dot, 2, DeliveryStatus.FAILED)
    _add_delivery(dol, 5, DeliveryStatus.DELIVERED)
    make_ticket()
    make_ticket()
    make_report()
    beat_heartbeat()
    response = _get(client, "/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    s = _samples(response)
    assert s[("sector_outbox_deliveries_pending", (("destination", "DOT"),))] == 4
    assert s[("sector_outbox_deliveries_failed", (("destination", "DOT"),))] == 2
    assert s[("sector_outbox_deliveries_pending", (("destination", "DOL"),))] == 0
    assert s[("sector_outbox_oldest_pending_age_seconds", (("destination", "DOL"),))] == 0
    assert 7100 < s[("sector_outbox_oldest_pending_age_seconds", (("destination", "DOT"),))] < 7300
    # Three records arrived in three batches in the last 5 minutes: created, per minute.
    assert s[("sector_feed_records_per_minute", (("outcome", "created"),))] == pytest.approx(3 / 5)
    assert s[("sector_feed_records_per_minute", (("outcome", "rejected"),))] == 0
    assert s[("sector_feed_exceptions_open", ())] == 0
    assert s[("sector_intake_backlog", (("court", "D34"),))] == 2
    assert s[("sector_review_queue_reports", (("agency", "WA0340100"),))] == 1
    assert ("sector_review_queue_oldest_age_seconds", (("agency", "WA0340100"),)) in s
    assert 0 <= s[("sector_beat_heartbeat_age_seconds", ())] < 5
    # django-prometheus's own request metrics are there too.
    assert any(name.startswith("django_http_requests") for name, _ in s)


def test_a_rejected_record_counts_as_an_open_exception(world, client):
    from tests.feed.factories import store_tickets, ticket

    store_tickets([ticket(court_code="NOPE")])
    s = _samples(_get(client, "/metrics"))
    assert s[("sector_feed_exceptions_open", ())] == 1
    assert s[("sector_feed_records_per_minute", (("outcome", "rejected"),))] == pytest.approx(1 / 5)


def test_the_gauges_cost_a_few_queries_whatever_the_volume(world, client, django_assert_max_num_queries):
    beat_heartbeat()
    make_destination("DOT")
    with django_assert_max_num_queries(8) as small:
        _get(client, "/metrics")
    for code in ("DOL", "WSDOT2", "X3"):
        dest = make_destination(code)
        _add_delivery(dest, 20, DeliveryStatus.PENDING)
        _add_delivery(dest, 5, DeliveryStatus.FAILED)
    for _ in range(5):
        make_ticket()
    make_report()
    make_report()
    print("metrics queries:", len(small.captured_queries))
    with django_assert_max_num_queries(len(small.captured_queries)):
        _get(client, "/metrics")


def test_a_beat_that_never_ran_shows_minus_one(world, client):
    s = _samples(_get(client, "/metrics"))
    assert s[("sector_beat_heartbeat_age_seconds", ())] == -1


def test_readiness_names_what_is_not_ready(world, client, settings):
    response = _get(client, "/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["beat"] == "the beat has never run"
    assert body["checks"]["database"] == "ok" and body["checks"]["migrations"] == "ok"
    assert body["checks"]["storage"] == "ok" and body["checks"]["broker"] == "ok"

    beat_heartbeat()
    response = _get(client, "/readyz")
    assert response.status_code == 200, response.json()
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(body["checks"], "ok")}

    Heartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=10))
    body = _get(client, "/readyz").json()
    assert body["checks"]["beat"].startswith("the beat's last heartbeat was 6")


def test_readiness_fails_when_the_broker_is_down(world, client, settings):
    from celery import current_app

    beat_heartbeat()
    settings.BROKER_CONFIGURED = True
    old = current_app.conf.broker_url
    current_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = _get(client, "/readyz")
    finally:
        current_app.conf.broker_url = old
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("unavailable")


def test_readiness_with_a_real_broker(world, client, settings):
    from celery import current_app

    beat_heartbeat()
    settings.BROKER_CONFIGURED = True
    old = current_app.conf.broker_url
    current_app.conf.broker_url = "redis://127.0.0.1:6379/0"
    try:
        response = _get(client, "/readyz")
    finally:
        current_app.conf.broker_url = old
    assert response.status_code == 200, response.json()


def test_readiness_fails_when_a_migration_is_not_applied(world, client):
    from django.db.migrations.recorder import MigrationRecorder

    beat_heartbeat()
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    [(app, leaf)] = MigrationLoader(connection).graph.leaf_nodes("core")  # the newest core migration
    MigrationRecorder.Migration.objects.filter(app=app, name=leaf).delete()
    body = _get(client, "/readyz").json()
    assert body["checks"]["migrations"] == "1 migrations not applied"
