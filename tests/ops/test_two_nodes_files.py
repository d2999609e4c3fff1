"""Two nodes, one store (issue 14, "Two nodes", the files part): two gunicorn instances on loopback over the same
PostgreSQL and the loopback S3 server. An attachment uploaded through node A downloads through node B, and
only for those allowed to see it."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client

from sector.support.models import Attachment, Category, Priority
from sector.support.reference import ensure_reference
from tests.objectstore import KEYS, REGION, _free_port
from tests.support.helpers import PNG

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_nodes(transactional_db, object_store):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "sector.settings.test",
        "AWS_STORAGE_BUCKET_NAME": object_store.bucket,
        "AWS_S3_ENDPOINT_URL": object_store.endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_ACCESS_KEY_ID": KEYS["access_key"],
        "AWS_SECRET_ACCESS_KEY": KEYS["secret_key"],
    }
    nodes, ports = [], []
    for _ in range(2):
        port = _free_port()
        args = [sys.executable, "-m", "gunicorn", "sector.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
        nodes.append(subprocess.Popen([*args, "--log-level", "warning"], cwd=ROOT, env=env))  # noqa: S603
        ports.append(port)
    for port in ports:
        for _ in range(300):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
                break
            except requests.RequestException:  # not listening yet, or still loading the app
                time.sleep(0.1)
    yield [f"http://127.0.0.1:{port}" for port in ports]
    for proc in nodes:
        proc.terminate()
        proc.wait(timeout=20)


def _signed_in(world, persona) -> requests.Session:
    """A browser session for `persona`: signed in (second factor passed) through the test client, the same
    session row every node reads from PostgreSQL."""
    client = Client()
    client.force_login(world.users[persona])
    session = requests.Session()
    session.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    return session


def test_an_attachment_uploaded_on_node_a_downloads_on_node_b(world, two_nodes, object_store):
    ensure_reference()
    node_a, node_b = two_nodes
    lasa = _signed_in(world, "lasa")
    form = lasa.get(f"{node_a}/support/new/", timeout=30)
    assert form.status_code == 200, form.text[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    created = lasa.post(
        f"{node_a}/support/new/",
        data={
            "csrfmiddlewaretoken": token,
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
    assert object_store.stored_keys() == [f"media/{attachment.file.name}"]  # in the shared bucket
    url = f"/support/attachments/{attachment.pk}/"
    download = lasa.get(f"{node_b}{url}", timeout=30)
    assert download.status_code == 200 and download.content == PNG
    assert _signed_in(world, "lasa2").get(f"{node_b}{url}", timeout=30).status_code in (403, 404)
