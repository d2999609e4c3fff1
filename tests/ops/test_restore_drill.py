"""The restore drill of deploy/README.md, on PostgreSQL at 127.0.0.1: back up the test database with
deploy/backup.sh, restore it into a fresh database with deploy/restore.sh, and the app reads it there
(migrations all applied, the records and their audit entries readable, `manage.py check` against it)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from sector.core.audit import log_action
from sector.orgs.models import Agency
from tests.factories import AgencyFactory

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_a_fresh_database_and_the_app_reads_it(tmp_path):
    started = time.monotonic()
    agency = AgencyFactory(ori="WA0349900", name="Drill Police Department")
    log_action("orgs.agency.created", obj=agency, actor_name="restore drill")
    source = connection.settings_dict["NAME"]
    target = f"{source}_drill_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "sector.dump"
    subprocess.run([str(ROOT / "deploy/backup.sh"), _url(source), str(dump)], check=True, timeout=60)
    try:
        subprocess.run([str(ROOT / "deploy/restore.sh"), str(dump), _url(target)], check=True, timeout=60)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sector.settings.test", "DATABASE_URL": _url(target)}
        read = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from sector.orgs.models import Agency; from sector.core.models import AuditEntry; "
             "a = Agency.objects.get(ori='WA0349900'); "
             "n = AuditEntry.objects.filter(action='orgs.agency.created', object_id=str(a.pk)).count(); "
             "print(a.name, '|', n)"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert read.returncode == 0, read.stderr
        assert read.stdout.strip().splitlines()[-1] == "Drill Police Department | 1"
        migrations = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert migrations.returncode == 0, migrations.stdout + migrations.stderr
        assert Agency.objects.filter(ori="WA0349900").exists()  # the source is untouched
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    assert time.monotonic() - started < 60


def test_restore_refuses_an_existing_database(tmp_path):
    source = connection.settings_dict["NAME"]
    result = subprocess.run(
        [str(ROOT / "deploy/restore.sh"), str(tmp_path / "none.dump"), _url(source)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert result.returncode != 0 and "already exists" in result.stderr
