"""Two nodes (issue 14, "Tests and benchmarks"): two gunicorn instances, two `celery worker`s and, for the
schedule, two `celery beat`s, all on loopback over the same PostgreSQL test database, one Redis broker (its own
database number) and the loopback S3 server, as on two machines:

- an attachment uploaded through node A downloads through node B, and only for those allowed to see it;
- an admin import (django-import-export) previewed on node A is confirmed on node B: the preview's file is
  kept in the shared bucket (IMPORT_EXPORT_TMP_STORAGE_CLASS = MediaStorage over the default storage);
- a mail enqueued by a request to node A is sent by a worker through the broker (only the workers' SMTP
  setting leads to the loopback SMTP catcher);
- two beat processes firing the same schedule run the periodic body once per slot (sector.core.periodic).

The processes start once for the module (tests/ops/two_nodes_settings.py is their settings); each test empties
the database afterwards like any transactional test. Skipped, with the reason, when Redis is not running.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connections
from django.test import Client

from sector.core.models import AuditEntry, OutgoingMail
from sector.orgs.models import Agency
from sector.support.models import Attachment, Category, Priority
from sector.support.reference import ensure_reference
from tests.objectstore import KEYS, REGION, ObjectStore, _free_port, new_bucket
from tests.ops.two_nodes_tasks import PROBE_ON, PROBE_PERIOD
from tests.smtp_catcher import SmtpCatcher
from tests.support.helpers import PNG

ROOT = Path(__file__).resolve().parents[2]
# Its own Redis database: the reliability tests use 5, the log-context test 6, the backlog bench 13.
BROKER = os.environ.get("SECTOR_TEST_TWO_NODES_BROKER_URL", "redis://127.0.0.1:6379/8")
QUEUES = ",".join(settings.CELERY_TASK_QUEUES)  # every queue of the settings, as the pack's workers together

pytestmark = pytest.mark.django_db(transaction=True)


def _broker_up() -> bool:
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


@dataclass
class TwoNodes:
    nodes: list[str]
    store: ObjectStore
    smtp: SmtpCatcher
    env: dict[str, str]
    logs: Path
    procs: list[subprocess.Popen] = field(default_factory=list)

    def spawn(self, name: str, args: list[str], **env: str) -> subprocess.Popen:
        with (self.logs / f"{name}.log").open("w") as out:  # the child keeps its own descriptor
            proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", *args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()[-3000:]


def _stop(procs: list[subprocess.Popen]) -> None:
    """The quick shutdown (SIGQUIT: gunicorn's and a celery worker's); whatever still runs after 3 s is killed
    with its process group (a gunicorn master's worker too)."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)
    deadline = time.monotonic() + 3
    for proc in procs:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture(scope="module")
def two_nodes(django_db_setup, s3_server, tmp_path_factory):
    if not _broker_up():
        pytest.skip(f"the two-node test needs Redis at {BROKER} (make services starts it)")
    import redis

    redis.Redis.from_url(BROKER).flushdb()  # our own database number only
    db = settings.DATABASES["default"]  # the test database by now (django_db_setup)
    store = new_bucket(s3_server)
    smtp = SmtpCatcher()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "CELERY_"))},
        "DJANGO_SETTINGS_MODULE": "tests.ops.two_nodes_settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "SECTOR_TEST_BROKER_URL": BROKER,
        "SECTOR_TEST_SMTP_PORT": str(smtp.port),
        "AWS_STORAGE_BUCKET_NAME": store.bucket,
        "AWS_S3_ENDPOINT_URL": store.endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": KEYS["access_key"],
        "AWS_SECRET_ACCESS_KEY": KEYS["secret_key"],
    }
    cluster = TwoNodes(nodes=[], store=store, smtp=smtp, env=env, logs=tmp_path_factory.mktemp("two-nodes"))
    ports = [_free_port(), _free_port()]
    try:
        for name, port in zip("ab", ports, strict=True):
            # A node's own SMTP setting leads nowhere: a mail that arrives was sent by a worker.
            cluster.spawn(f"node-{name}", ["gunicorn", "sector.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
                                           "--graceful-timeout", "2", "--log-level", "warning"],
                          SECTOR_TEST_SMTP_PORT=str(_free_port()))  # fmt: skip
            cluster.spawn(f"worker-{name}", ["celery", "-A", "sector", "worker", "-Q", QUEUES, "-n", f"{name}@%h",
                                             "-P", "threads", "-c", "4", "--without-heartbeat", "--without-gossip",
                                             "--without-mingle", "-l", "WARNING"])  # fmt: skip
            # Both beats run the same schedule all along; the probe they fire stays idle until its test.
            cluster.spawn(f"beat-{name}", ["celery", "-A", "sector", "beat", "-l", "WARNING", "--max-interval", "1",
                                           "-s", str(cluster.logs / f"beat-{name}-schedule"),
                                           "--pidfile", str(cluster.logs / f"beat-{name}.pid")],
                          SECTOR_TEST_BEAT_NAME=name)  # fmt: skip
        for name, port in zip("ab", ports, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).status_code == 200:
                        break
                except requests.RequestException:  # not listening yet, or still loading the app
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"node {name} did not start:\n{cluster.log(f'node-{name}')}")
                time.sleep(0.1)
        cluster.nodes = [f"http://127.0.0.1:{port}" for port in ports]
        yield cluster
    finally:
        _stop(cluster.procs)  # the quick shutdown of gunicorn and of a celery worker
        smtp.stop()


def _signed_in(user) -> requests.Session:
    """A browser session for `user`: signed in (second factor passed) through the test client, the same
    session row every node reads from PostgreSQL."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return session


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]+type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def _fresh(query):
    connections.close_all()  # a new snapshot each poll
    return query()


def _wait(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def test_an_attachment_uploaded_on_node_a_downloads_on_node_b(world, two_nodes):
    ensure_reference()
    node_a, node_b = two_nodes.nodes
    lasa = _signed_in(world.users["lasa"])
    created = lasa.post(
        f"{node_a}/support/new/",
        data={
            "csrfmiddlewaretoken": _csrf(lasa, f"{node_a}/support/new/"),
            "organisation": "agency:WA0340100",
            "category": Category.objects.get(name="Printing").pk,
            "priority": Priority.objects.get(name="Normal").pk,
            "subject": "Printer cuts the barcode",
            "description": "Every citation from car 12.",
        },
        files={"attachments": ("screen.png", PNG, "image/png")},
        headers={"Referer": f"{node_a}/support/new/"},
        allow_redirects=False,
        timeout=30,
    )
    assert created.status_code == 302, created.text[:500]
    attachment = Attachment.objects.get()
    assert f"media/{attachment.file.name}" in two_nodes.store.stored_keys()  # in the shared bucket
    url = f"/support/attachments/{attachment.pk}/"
    download = lasa.get(f"{node_b}{url}", timeout=30)
    assert download.status_code == 200 and download.content == PNG
    assert _signed_in(world.users["lasa2"]).get(f"{node_b}{url}", timeout=30).status_code in (403, 404)


def test_an_admin_import_previewed_on_node_a_is_confirmed_on_node_b(world, two_nodes):
    node_a, node_b = two_nodes.nodes
    admin = _signed_in(world.users["admin"])
    csv = (
        "ori,name,county,kind\n"
        "WA0340300,Tumwater Police Department,Thurston,police\n"
        "WA0340400,Yelm Police Department,Thurston,police\n"
    )
    preview = admin.post(
        f"{node_a}/admin/orgs/agency/import/",
        data={"csrfmiddlewaretoken": _csrf(admin, f"{node_a}/admin/orgs/agency/import/"), "format": "0"},
        files={"import_file": ("agencies.csv", csv.encode(), "text/csv")},
        headers={"Referer": f"{node_a}/admin/orgs/agency/import/"},
        timeout=30,
    )
    assert preview.status_code == 200 and "Yelm Police Department" in preview.text, preview.text[:500]
    hidden = _hidden_inputs(preview.text)
    kept = f"media/django-import-export/{hidden['import_file_name']}"
    assert kept in two_nodes.store.stored_keys()  # the preview's file is in the bucket, not node A's /tmp
    assert not Agency.objects.filter(ori__in=["WA0340300", "WA0340400"]).exists()  # a preview imports nothing
    confirmed = admin.post(
        f"{node_b}/admin/orgs/agency/process_import/",
        data=hidden,  # the confirmation form as node A rendered it, CSRF token included
        headers={"Referer": f"{node_a}/admin/orgs/agency/import/"},
        allow_redirects=False,
        timeout=30,
    )
    assert confirmed.status_code == 302, confirmed.text[:500]
    names = dict(Agency.objects.filter(ori__in=["WA0340300", "WA0340400"]).values_list("ori", "name"))
    assert names == {"WA0340300": "Tumwater Police Department", "WA0340400": "Yelm Police Department"}
    assert kept not in two_nodes.store.stored_keys()  # node B removed it after the import


def test_a_mail_enqueued_by_node_a_is_sent_by_a_worker(world, two_nodes):
    node_a, _ = two_nodes.nodes
    user = world.users["lasa"]
    visitor = requests.Session()
    sent = visitor.post(
        f"{node_a}/accounts/password/reset/",
        data={"csrfmiddlewaretoken": _csrf(visitor, f"{node_a}/accounts/password/reset/"), "email": user.email},
        headers={"Referer": f"{node_a}/accounts/password/reset/"},
        allow_redirects=False,
        timeout=30,
    )
    assert sent.status_code == 302, sent.text[:500]
    [row] = OutgoingMail.objects.filter(to=[user.email])  # the request only stored it and published its send
    messages = two_nodes.smtp.wait_for(user.email, timeout=30, containing="/accounts/password/reset/")
    assert len(messages) == 1, two_nodes.log("worker-a") + two_nodes.log("worker-b")
    assert _wait(lambda: _fresh(lambda: OutgoingMail.objects.get(pk=row.pk).sent_at is not None), timeout=10)


def _probe_entries(action: str) -> list[dict]:
    return [e.data for e in _fresh(lambda: list(AuditEntry.objects.filter(action=action).order_by("id")))]


def _drained(two_nodes: TwoNodes) -> None:
    """Wait until the workers ran every probe the beats sent while it was on (nothing written after the flush)."""

    def settled() -> bool:
        before = len(_probe_entries("tests.periodic_probe.fired"))
        time.sleep(0.5)
        return len(_probe_entries("tests.periodic_probe.fired")) == before

    assert _wait(settled, timeout=20, interval=0), two_nodes.log("worker-a") + two_nodes.log("worker-b")


def test_two_beats_on_one_schedule_run_the_periodic_task_once_per_slot(two_nodes):
    import redis

    broker = redis.Redis.from_url(BROKER)
    broker.set(PROBE_ON, "1", ex=120)
    try:
        fired_by_both = _wait(
            lambda: {d["beat"] for d in _probe_entries("tests.periodic_probe.fired")} == {"a", "b"}, timeout=40
        )
        assert fired_by_both, two_nodes.log("beat-a") + two_nodes.log("beat-b")
        time.sleep(3 * PROBE_PERIOD.total_seconds())  # both beats fire, every second, for three more slots
    finally:
        broker.delete(PROBE_ON)
    _drained(two_nodes)
    fired = _probe_entries("tests.periodic_probe.fired")
    ran = _probe_entries("tests.periodic_probe.ran")
    runs_per_slot = Counter(d["slot"] for d in ran)
    assert runs_per_slot and max(runs_per_slot.values()) == 1, f"a slot ran twice: {runs_per_slot}"
    slots = sorted(datetime.fromisoformat(s) for s in runs_per_slot)
    assert len(slots) >= 3, slots  # it did run, slot after slot
    assert all((b - a) % PROBE_PERIOD == timedelta(0) for a, b in zip(slots, slots[1:], strict=False))
    # Each beat fires about twice a slot: the claim let one firing per slot through and refused the others.
    assert len(fired) >= 2 * len(ran), (len(fired), len(ran))
