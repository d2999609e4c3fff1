"""The deployment pack runs: gunicorn with deploy/gunicorn.conf.py serves the portal under production settings
(metrics added up over its worker processes); the units cover every queue and one beat."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
QUEUES = ("mail", "deliveries", "documents", "periodic")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_portal_with_production_settings(tmp_path):
    db = connection.settings_dict
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SENTRY_"))},
        "DJANGO_SETTINGS_MODULE": "sector.settings.prod",
        "SECRET_KEY": "pack-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7",
        "PORTAL_URL": "https://sector.example.gov",
        "AWS_STORAGE_BUCKET_NAME": "sector-files",
        "FIELD_ENCRYPTION_KEYS": "MDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=",
        "SECURE_SSL_REDIRECT": "0",  # no TLS proxy in front of this test
        "METRICS_TOKEN": "pack-token",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prom"),
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"), "sector.wsgi"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            try:
                status, body, headers = _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200, log.read_text()[-3000:]
        assert body == '{"status": "ok"}' and re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
        for _ in range(6):
            _get(f"{base}/healthz")
        assert _get(f"{base}/metrics")[0] == 401
        status, text, _ = _get(f"{base}/metrics", token="pack-token")
        assert status == 200
        assert "sector_intake_backlog" in text and "sector_beat_heartbeat_age_seconds -1.0" in text
        # The request counter sums the workers' files: at least the 7 health checks.
        total = re.search(r'django_http_responses_total_by_status_total\{status="200"\} ([0-9.]+)', text)
        assert total and float(total.group(1)) >= 7, text[:2000]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    access = [line for line in log.read_text().splitlines() if '"logger": "gunicorn.access"' in line]
    assert access and '"path": "/healthz"' in access[0] and '"request_id": "' in access[0]


def test_there_is_a_unit_per_queue_one_beat_and_the_web():
    units = {p.name: p.read_text() for p in (DEPLOY / "systemd").glob("*.service")}
    assert "sector-web.service" in units and "deploy/gunicorn.conf.py" in units["sector-web.service"]
    for queue in QUEUES:
        text = units[f"sector-worker-{queue}.service"]
        assert re.search(rf"worker -Q {queue}\b", text)
    beats = [name for name, text in units.items() if "celery -A sector beat" in text]
    assert beats == ["sector-beat.service"]
    compose = (DEPLOY / "compose.yaml").read_text()
    for service in ("postgres:", "pgbouncer:", "redis:", "minio:", "mailpit:", "web:", "beat:"):
        assert f"\n  {service}" in compose
    for queue in QUEUES:
        assert f"\n  worker-{queue}:" in compose
    container = (DEPLOY / "Containerfile").read_text()
    assert "USER sector" in container and "libpango" in container and "fonts-dejavu" in container


def _compose() -> dict:
    import yaml

    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())  # merge keys (<<: *portal) resolved


def _queues_of(command: list[str] | str) -> set[str]:
    words = command.split() if isinstance(command, str) else command
    return set(words[words.index("-Q") + 1].split(",")) if "-Q" in words else set()


def test_the_compose_file_parses_and_runs_every_queue_of_the_settings_with_the_production_variables():
    """Container images cannot be built or run on the test machine (no container daemon, no registry), so the
    stack is checked as data: the file parses, every service of the real stack is there, the workers consume
    every queue the settings route to, and the portal's services carry what production settings require."""
    from django.conf import settings

    services = _compose()["services"]
    for name in ("postgres", "pgbouncer", "redis", "minio", "minio-bucket", "mailpit", "migrate", "web", "beat"):
        assert name in services, name
    workers = {
        name: s for name, s in services.items() if s.get("command", [])[:4] == ["celery", "-A", "sector", "worker"]
    }
    consumed = set().union(*(_queues_of(s["command"]) for s in workers.values()))
    assert consumed == set(settings.CELERY_TASK_QUEUES)  # no queue without a worker, no worker on a stray queue
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()} | {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert routed <= consumed
    beats = [name for name, s in services.items() if "beat" in s.get("command", [])]
    assert beats == ["beat"]
    for name in ("web", "beat", "migrate", *workers):
        service = services[name]
        assert service["image"] == "sector-portal:latest" and service["build"]["dockerfile"] == "deploy/Containerfile"
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "sector.settings.prod"
        for required in ("DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL"):
            assert env.get(required), f"{name}: {required}"
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:") and "@pgbouncer:" in env["DATABASE_URL"]
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert "--with-lock" in " ".join(services["minio-bucket"]["command"])  # the bucket keeps executed files


def test_the_systemd_workers_cover_every_queue_of_the_settings():
    from django.conf import settings

    consumed: set[str] = set()
    for unit in (DEPLOY / "systemd").glob("sector-worker-*.service"):
        [start] = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
        consumed |= _queues_of(start)
    assert consumed == set(settings.CELERY_TASK_QUEUES)


def test_the_containerfile_runs_as_a_non_root_user_with_weasyprints_libraries_and_fonts():
    lines = [line.strip() for line in (DEPLOY / "Containerfile").read_text().splitlines()]
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users, "no USER: the container would run as root"
    final_user = users[-1].split(":")[0]
    assert final_user not in ("root", "0")
    assert any("useradd --system --uid 10001 --gid sector" in line and line.endswith(final_user) for line in lines)
    cmd_at = max(i for i, line in enumerate(lines) if line.startswith(("CMD", "ENTRYPOINT")))
    assert lines.index(f"USER {users[-1]}") < cmd_at  # the user is set before what runs
    text = " ".join(lines)
    packages = set(re.findall(r"[a-z0-9][a-z0-9.+-]+", text[text.index("apt-get install") : text.index("rm -rf")]))
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b", "libharfbuzz-subset0", "libfontconfig1",
                    "fonts-dejavu-core", "fonts-liberation2", "shared-mime-info"):  # fmt: skip
        assert package in packages, package
