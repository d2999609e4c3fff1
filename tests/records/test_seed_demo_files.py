"""Loose end (issue 16): `seed_demo` into a fresh database while the media store still holds the demo's executed
agreement PDFs. Write-once storage refuses those names; the seed now clears the files it wrote itself (recorded
with their SHA-256) and nothing else."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from sector.core.demo_files import MANIFEST, demo_file_cleared, demo_file_recorded
from sector.onboarding.models import Agreement
from tests.factories import run_seed_demo

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


def test_seeding_a_fresh_database_over_an_earlier_seeds_files_works(settings, tmp_path, roles):
    settings.MEDIA_ROOT = str(tmp_path)
    try:
        with transaction.atomic():
            run_seed_demo()
            first = sorted(Agreement.objects.exclude(executed_pdf="").values_list("executed_pdf", flat=True))
            raise _Rollback  # a fresh database; the files stay in the store
    except _Rollback:
        pass
    assert first and all(default_storage.exists(name) for name in first)
    assert not Agreement.objects.exists()

    run_seed_demo()  # refused "already stored" before

    again = sorted(Agreement.objects.exclude(executed_pdf="").values_list("executed_pdf", flat=True))
    assert len(again) == len(first)
    for agreement in Agreement.objects.exclude(executed_pdf=""):
        with default_storage.open(agreement.executed_pdf.name, "rb") as f:
            assert hashlib.sha256(f.read()).hexdigest() == agreement.executed_sha256


def test_only_the_seeds_own_unchanged_files_are_cleared(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    own = default_storage.save("onboarding/agreements/X/1-executed-sla.pdf", ContentFile(b"seed's pdf"))
    demo_file_recorded(default_storage, own, hashlib.sha256(b"seed's pdf").hexdigest())
    stranger = default_storage.save("onboarding/agreements/X/2-executed-sla.pdf", ContentFile(b"a real one"))
    altered = default_storage.save("onboarding/agreements/X/3-executed-sla.pdf", ContentFile(b"seed's pdf"))
    demo_file_recorded(default_storage, altered, hashlib.sha256(b"seed's pdf").hexdigest())
    default_storage.delete(altered)
    default_storage.save(altered, ContentFile(b"changed since"))

    assert demo_file_cleared(default_storage, own) and not default_storage.exists(own)
    assert not demo_file_cleared(default_storage, stranger) and default_storage.exists(stranger)
    assert not demo_file_cleared(default_storage, altered) and default_storage.exists(altered)
    assert demo_file_cleared(default_storage, "onboarding/agreements/X/none.pdf")  # free already
    assert default_storage.exists(MANIFEST)
