"""The bench harness (issue 15): gunicorn with 2 workers on loopback over the test database, signed-in sessions,
timed HTTP requests, and Yardstick P measured in the same run.

Every target in issue 15 is a ratio to a yardstick measured on the same machine in the same run (these machines
differ by 2x from run to run), so a benchmark prints the absolute figure beside its yardstick and asserts the
ratio, never a millisecond line.

    from tests.bench.harness import Table, bench_server  # noqa: F401 - the fixture

    def test_x(bench_server):
        clerk = make_user(...)
        with bench_server.client(clerk) as http:
            figure, p = bench_server.compare(http, "/courts/intake/")   # interleaved with Yardstick P
        table = Table("queue")
        table.row("intake queue, page of 25", figure, p, target=2.0)
        table.print()
        table.assert_all()

Yardstick P is `tests/bench/urls.py`: a signed-in page rendering base.html with no query of its own, through the
same middleware and context processors. It exists only under tests/bench/settings.py (the bench gunicorn's
settings), never in production's URLs.
"""

from __future__ import annotations

import logging
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.test import Client

from tests.bench.urls import YARDSTICK_P_URL

ROOT = Path(__file__).resolve().parents[2]
BENCH_SETTINGS = "tests.bench.settings"
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The database this pytest run uses (pytest-django's test database), for the gunicorn processes."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def session_cookie(user) -> str:
    """A signed-in session for `user`, second factor passed (tests/conftest.py's autouse fixture marks a test
    client's sign-in OTP-verified), stored in the session table every gunicorn worker reads."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class Timing:
    """Wall-clock times of one URL's requests, in milliseconds."""

    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]

    def __str__(self) -> str:
        return f"{self.median:.1f} ms median, {self.p95:.1f} ms p95 over {len(self.samples)}"


def ratio(figure: Timing | float, yardstick: Timing | float) -> float:
    """figure / yardstick, on medians when given Timings."""
    f = figure.median if isinstance(figure, Timing) else figure
    y = yardstick.median if isinstance(yardstick, Timing) else yardstick
    return f / y


class Server:
    """gunicorn (`WORKERS` sync workers) on a free loopback port, serving the test database under the bench
    settings (persistent connections as in production, Yardstick P at YARDSTICK_P_URL)."""

    def __init__(self, workers: int = WORKERS, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        run_env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": BENCH_SETTINGS,
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
            **(env or {}),
        }
        args = [sys.executable, "-m", "gunicorn", "sector.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(workers)]
        self.proc = subprocess.Popen(  # noqa: S603 - fixed arguments
            [*args, "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=run_env
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the bench gunicorn did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def _cookies(self, user) -> dict[str, str]:
        return {settings.SESSION_COOKIE_NAME: session_cookie(user)} if user is not None else {}

    def client(self, user=None, **kwargs) -> httpx.Client:
        """A keep-alive HTTP client signed in as `user` (a cookie jar like a browser's: CSRF cookie kept)."""
        return httpx.Client(base_url=self.url, cookies=self._cookies(user), timeout=120, **kwargs)

    def async_client(self, user=None, **kwargs) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, cookies=self._cookies(user), timeout=120, **kwargs)

    # Timing -------------------------------------------------------------------------------------------------
    @staticmethod
    def get(http: httpx.Client, url: str, expect: int = 200) -> tuple[float, httpx.Response]:
        start = time.perf_counter()
        response = http.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == expect, f"{url}: {response.status_code} {response.text[:300]}"
        return elapsed, response

    def time(self, http: httpx.Client, url: str, n: int = 15, warm: int = 3, expect: int = 200) -> Timing:
        """`warm` untimed requests, then `n` timed ones, one after another on one keep-alive connection."""
        for _ in range(warm):
            self.get(http, url, expect)
        return Timing([self.get(http, url, expect)[0] for _ in range(n)])

    def yardstick(self, http: httpx.Client, n: int = 25, warm: int = 5) -> Timing:
        """Yardstick P alone."""
        return self.time(http, YARDSTICK_P_URL, n=n, warm=warm)

    def compare(self, http: httpx.Client, url: str, n: int = 15, warm: int = 3, expect: int = 200):
        """(figure, Yardstick P): the URL and P requested alternately by the same signed-in client, so both
        are measured under the same load, in the same seconds of the run."""
        for _ in range(warm):
            self.get(http, url, expect)
            self.get(http, YARDSTICK_P_URL)
        figure, p = [], []
        for i in range(n):
            pair = [(url, expect, figure), (YARDSTICK_P_URL, 200, p)]
            for target_url, code, into in pair if i % 2 else reversed(pair):
                into.append(self.get(http, target_url, code)[0])
        return Timing(figure), Timing(p)


@pytest.fixture
def bench_server(transactional_db) -> Iterator[Server]:
    """The bench gunicorn over this test's committed data; stopped before pytest-django empties the tables."""
    server = Server()
    yield server
    server.stop()


@dataclass
class Row:
    what: str
    figure: float
    yardstick: float
    target: float
    yardstick_name: str = "P"
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.figure / self.yardstick

    @property
    def passed(self) -> bool:
        return self.ratio <= self.target


@dataclass
class Table:
    """Rows of "what | figure | yardstick | ratio | target | PASS/FAIL"; the asserts are on the ratios."""

    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(
        self,
        what: str,
        figure: Timing | float,
        yardstick: Timing | float,
        target: float,
        *,
        yardstick_name: str = "P",
        unit: str = "ms",
        note: str = "",
    ) -> Row:
        """Add a row: figure <= target x yardstick (medians when Timings are given)."""
        f = figure.median if isinstance(figure, Timing) else float(figure)
        y = yardstick.median if isinstance(yardstick, Timing) else float(yardstick)
        added = Row(what, f, y, target, yardstick_name, unit, note)
        self.rows.append(added)
        return added

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self) -> str:
        width = max([len(r.what) for r in self.rows] + [4])
        lines = [
            f"\n[bench {self.title}] load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, "
            f"gunicorn {WORKERS} workers",
            f"  {'what':{width}} | {'figure':>11} | {'yardstick':>13} | {'ratio':>6} | {'target':>9} | result",
        ]
        for r in self.rows:
            lines.append(
                f"  {r.what:{width}} | {r.figure:8.1f} {r.unit:2} | "
                f"{r.yardstick_name:>2} {r.yardstick:7.1f} {r.unit:2} | "
                f"{r.ratio:5.2f}x | <= {r.target:4.2f}x | "
                f"{'PASS' if r.passed else 'FAIL'}{'  ' + r.note if r.note else ''}"
            )
        lines += [f"  {n}" for n in self.notes]
        return "\n".join(lines)

    def print(self) -> None:
        print(self.render(), flush=True)

    def assert_all(self) -> None:
        failed = [r for r in self.rows if not r.passed]
        assert not failed, "ratio over target: " + "; ".join(
            f"{r.what} {r.ratio:.2f}x > {r.target:.2f}x {r.yardstick_name}" for r in failed
        )
