"""A real broker (Redis, database 5 unless SECTOR_TEST_BROKER_URL says otherwise) and a real worker process."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from tests.outbox.loopback import Loopback

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
    def __init__(self, db_name: str, broker: str = BROKER, **env: str):
        self.db_name = db_name
        self.broker = broker
        self.extra_env = env
        self.proc: subprocess.Popen | None = None

    def start(self):
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "SECTOR_TEST_BROKER_URL": self.broker,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{self.db_name}",
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
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
        """Celery's cold shutdown (SIGQUIT: the test is over, nothing is waited for); killed after 3 s."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(3)
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

    def make(broker_url: str = broker, **env: str) -> Worker:
        w = Worker(connection.settings_dict["NAME"], broker_url, **env).start()
        workers.append(w)
        return w

    yield make
    for w in workers:
        w.stop()


class RedisServer:
    """A Redis of the test's own on a spare loopback port, without persistence, that the test stops (SIGKILL:
    whatever it held is gone, as in a crash) and starts again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        assert wait_for(up, timeout=10, interval=0.05), "redis-server did not start"
        return self

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@pytest.fixture
def private_broker():
    """A broker the test may crash: its own redis-server (the shared one on 6379 is never touched)."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (make system-deps installs it)")
    server = RedisServer().start()
    yield server
    server.kill()


class IdempotentDestination(Loopback):
    """A loopback destination that honors Idempotency-Key as FEED.md asks of DOT and DOL: the first request of
    a key is acknowledged with a new receipt (201); a repeat of the key gets the same receipt back (200), so a
    key is acknowledged once however often it is sent. `hold_next()` makes the next new key wait, after its
    receipt is issued and before the answer goes out, until `release` is set: a delivery in flight."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.receipts: dict[str, int] = {}
        self._hold = False
        self.held = threading.Event()
        self.held_key = ""
        self.release = threading.Event()

    def hold_next(self) -> None:
        with self.lock:
            self._hold = True

    def answer(self, key: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        super().answer(key, body, headers)  # every request is recorded in `received`
        with self.lock:
            first = key not in self.receipts
            if first:
                self.receipts[key] = len(self.receipts) + 1
            hold, self._hold = (self._hold and first), (self._hold and not first)
            if hold:
                self.held_key = key
        if hold:
            self.held.set()
            self.release.wait(30)
        return (201 if first else 200), f'{{"receipt": {self.receipts[key]}}}'.encode()

    def times_received(self, key: str) -> int:
        with self.lock:
            return sum(1 for k, _, _ in self.received if k == key)


def wait_for(predicate, timeout: float, interval: float = 0.2, every=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if every:
            every()
        time.sleep(interval)
    return predicate()
