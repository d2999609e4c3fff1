"""JSON logs with the ids (never names), carried from a request into the tasks it enqueues; the Sentry scrubber."""

import io
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from sector.core.context import log_context
from sector.core.sentry import FILTERED, scrub_event

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("SECTOR_TEST_BROKER_URL", "redis://127.0.0.1:6379/6")


def _json_logger(stream):
    import logging.config

    config = json.loads(json.dumps(settings.LOGGING))
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = stream
    config["root"]["level"] = "INFO"
    logging.config.dictConfig(config)


@pytest.fixture
def json_logs():
    stream = io.StringIO()
    _json_logger(stream)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def test_a_log_line_is_json_with_the_ids(json_logs):
    with log_context(request_id="req-12345678", user_id=42, batch_id="B-1", task_id="t-1"):
        logging.getLogger("sector.x").info("hello %s", "there")
    line = json.loads(json_logs.getvalue().strip().splitlines()[-1])
    assert line["message"] == "hello there" and line["level"] == "INFO" and line["logger"] == "sector.x"
    ids = (line["request_id"], line["user_id"], line["batch_id"], line["task_id"])
    assert ids == ("req-12345678", 42, "B-1", "t-1")


@pytest.mark.django_db
def test_a_request_logs_its_request_id_and_the_users_id_only(json_logs, rf, django_user_model):
    from django.http import HttpResponse

    from sector.core.middleware import CurrentUserMiddleware, RequestIdMiddleware

    user = django_user_model.objects.create_user("jdoe", "jdoe@example.gov", "x" * 12, first_name="Jane")

    def view(request):
        logging.getLogger("sector.probe").warning("inside the view")
        return HttpResponse("ok")

    request = rf.get("/")
    request.user = user
    response = RequestIdMiddleware(CurrentUserMiddleware(view))(request)
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8
    logging.getLogger("sector.probe").warning("after the request")
    lines = {x["message"]: x for x in map(json.loads, json_logs.getvalue().splitlines())}
    inside = lines["inside the view"]
    assert inside["request_id"] == request_id and inside["user_id"] == user.pk
    assert lines["after the request"]["request_id"] is None and lines["after the request"]["user_id"] is None
    assert "jdoe" not in json_logs.getvalue() and "Jane" not in json_logs.getvalue()


def test_publishing_copies_the_context_into_the_message_headers():
    from sector.core.celery_context import _add_headers

    headers: dict = {}
    with log_context(request_id="req-abcdefgh", user_id=7, batch_id="B-9"):
        _add_headers(headers=headers)
    assert headers == {"sector_request_id": "req-abcdefgh", "sector_user_id": 7, "sector_batch_id": "B-9"}
    untouched: dict = {}
    _add_headers(headers=untouched)
    assert untouched == {}


def _broker_up() -> bool:
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


@pytest.mark.reliability
def test_a_real_worker_runs_the_task_with_the_requests_ids_and_logs_them_as_json(tmp_path):
    """Through Redis and a real `celery worker`: the ids travel in the headers; the worker logs JSON."""
    import redis

    if not _broker_up():
        pytest.fail(f"this test needs the broker at {BROKER} (make services starts it)")
    from tests.reliability.conftest import app_broker

    redis.Redis.from_url(BROKER).flushdb()
    log = tmp_path / "worker.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings", "SECTOR_TEST_BROKER_URL": BROKER}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sector", "worker", "-P", "solo", "--without-heartbeat",
             "--without-gossip", "--without-mingle", "-l", "INFO"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    key = f"probe:{uuid.uuid4().hex}"
    try:
        with app_broker(BROKER) as app, log_context(request_id="req-carried-1", user_id=314, batch_id="BATCH-77"):
            result = app.send_task("tests.ops.context_tasks.record_log_context_task", args=[key])
        client = redis.Redis.from_url(BROKER)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and client.get(key) is None:
            time.sleep(0.2)
        raw = client.get(key)
        assert raw is not None, log.read_text()[-3000:]
        seen = json.loads(raw)
        assert seen == {"request_id": "req-carried-1", "user_id": 314, "batch_id": "BATCH-77", "task_id": result.id}
        time.sleep(0.5)
    finally:
        import signal

        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
    lines = []
    for text in log.read_text().splitlines():
        try:
            lines.append(json.loads(text))
        except ValueError:
            continue
    probe = [x for x in lines if x.get("message") == "context probe"]
    assert probe, log.read_text()[-3000:]
    assert probe[0]["request_id"] == "req-carried-1" and probe[0]["user_id"] == 314
    assert probe[0]["batch_id"] == "BATCH-77" and probe[0]["task_id"] == result.id


def test_the_sentry_scrubber_keeps_the_user_id_and_drops_what_identifies_a_person():
    event = {
        "user": {"id": 5, "username": "jdoe", "email": "jdoe@example.gov", "ip_address": "10.0.0.1"},
        "request": {
            "url": "https://sector.example.gov/courts/intake/?q=DOE",
            "query_string": "q=DOE",
            "cookies": {"sessionid": "abc"},
            "data": {"licence_number": "WDLABC123456"},
            "headers": {"Authorization": "Bearer sfd_secret", "Cookie": "sessionid=abc", "User-Agent": "x"},
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "bad licence WDLABC123456 for jane.doe@example.gov",
                    "stacktrace": {"frames": [{"function": "f", "vars": {"name": "Jane Doe"}}]},
                }
            ]
        },
        "logentry": {"message": "token Bearer sfd_abcdef sent", "params": ["Jane"]},
        "breadcrumbs": {"values": [{"message": "SELECT ... WDLABC123456", "data": {"name": "Jane"}}]},
    }
    out = scrub_event(event, {})
    text = json.dumps(out)
    for secret in ("jdoe", "WDLABC123456", "sfd_", "Jane", "sessionid=abc", "q=DOE", "10.0.0.1"):
        assert secret not in text, secret
    assert out["user"] == {"id": 5}
    assert out["request"]["headers"]["User-Agent"] == "x"
    assert out["request"]["headers"]["Authorization"] == FILTERED
    assert out["request"]["url"] == "https://sector.example.gov/courts/intake/"
    assert out["exception"]["values"][0]["type"] == "ValueError"


def test_sentry_is_initialised_without_pii_only_when_a_dsn_is_set():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='sector.settings.test'; import django; django.setup(); "
        "import sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options.get('send_default_pii'), c.options.get('before_send').__name__ "
        "if c.is_active() else '-')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SENTRY_")}
    off = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert off.stdout.split() == ["False", "None", "-"] or off.stdout.split()[0] == "False", off.stderr
    env["SENTRY_DSN"] = "https://public@127.0.0.1:9/1"
    on = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert on.stdout.split() == ["True", "False", "scrub_event"], on.stderr


@pytest.mark.django_db
def test_a_lockout_is_logged_without_the_user_name(client, caplog, django_user_model):
    django_user_model.objects.create_user("rosa.alvarez", "rosa@example.gov", "right-password-123")
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(6):
            client.post("/accounts/login/", {"username": "rosa.alvarez", "password": "wrong"})
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("axes"))
    assert "username_hash" in text, text
    assert "rosa" not in text.lower()


@pytest.mark.django_db
def test_a_feed_batch_runs_with_its_batch_id_in_the_log_context(world, monkeypatch, json_logs):
    from sector.core.context import batch_id_var
    from sector.feed import api
    from tests.feed.factories import FeedClient, batch, ticket

    real = api.batch_ingest
    seen = []

    def spy(**kwargs):
        seen.append(batch_id_var.get())
        logging.getLogger("sector.feed.probe").info("ingesting")
        return real(**kwargs)

    monkeypatch.setattr(api, "batch_ingest", spy)
    response = FeedClient().post(batch([ticket()], batch_id="BO-LOG-0001"))
    assert response.status_code in (200, 201), response.content
    assert seen == ["BO-LOG-0001"] and batch_id_var.get() is None
    line = [json.loads(x) for x in json_logs.getvalue().splitlines() if '"ingesting"' in x][0]
    assert line["batch_id"] == "BO-LOG-0001"
