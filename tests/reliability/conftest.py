"""A real broker (Redis, database 5 unless SECTOR_TEST_BROKER_URL says otherwise) and a real worker process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("SECTOR_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")


def _broker_up() -> bool:
    import redis

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def app_broker(url: str):
    """Point this process's Celery app at `url` (not eager) for the block, then back."""
    from sector.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    _reset_pools(app)
    try:
        yield app
    finally:
        _reset_pools(app)
        app.conf.update(**saved)


def _reset_pools(app):
    """Forget the connection and producer pools so the next publish connects to the current broker_url."""
    app._pool = None  # not closed: kombu's global producer registry may hand the same pool out again
    app.amqp._producer_pool = None


class Worker:
    def __init__(self, db_name: str):
        self.db_name = db_name
        self.proc: subprocess.Popen | None = None

    def start(self):
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "SECTOR_TEST_BROKER_URL": BROKER,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{self.db_name}",
            "PYTHONPATH": str(ROOT),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sector", "worker", "-P", "threads", "-c", "4",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        return self

    def kill(self):
        """SIGKILL: no shutdown, no acknowledgments, leases left behind."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def broker():
    if not _broker_up():
        pytest.fail(f"the reliability tests need the broker at {BROKER} (make services starts it)")
    import redis

    redis.Redis.from_url(BROKER).flushdb()  # our own database number only
    return BROKER


@pytest.fixture
def worker_factory(broker, transactional_db):
    """Start real worker processes on the test database and the broker; stop them afterwards."""
    workers: list[Worker] = []

    def make() -> Worker:
        w = Worker(connection.settings_dict["NAME"]).start()
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop()


def wait_for(predicate, timeout: float, interval: float = 0.2, every=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if every:
            every()
        time.sleep(interval)
    return predicate()
