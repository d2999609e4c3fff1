"""Files in object storage (issue 14, item 2), against a real S3-compatible server on loopback (moto's server
mode, tests/objectstore.py): uploads land in the bucket and download only through the permission-checked views;
an executed agreement is written once and its SHA-256 is checked on every read (tampering is refused); the
admin import's preview is kept in the shared storage, so another node confirms it."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import Client
from django.urls import reverse

from sector.core.models import AuditEntry
from sector.core.storage import StoredFileError, save_once
from sector.onboarding.agreements import services as agreements
from sector.onboarding.errors import OnboardingError
from sector.orgs.models import Agency
from sector.support.models import SupportRequest
from tests.onboarding.helpers import prepare_agreement, sign_agreement, start
from tests.support.helpers import PNG, upload

pytestmark = pytest.mark.django_db


def _support_form(**extra):
    from sector.support.models import Category, Priority

    return {
        "organisation": "agency:WA0340100",
        "category": Category.objects.get(name="Printing").pk,
        "priority": Priority.objects.get(name="Normal").pk,
        "subject": "Printer cuts the barcode",
        "description": "Every citation from car 12.",
        **extra,
    }


def test_the_default_storage_is_the_bucket(object_store):
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    name = default_storage.save("probe/hello.txt", ContentFile(b"hello"))
    assert object_store.stored_keys() == [f"media/{name}"]
    assert object_store.read(f"media/{name}") == b"hello"


def test_a_support_attachment_goes_to_the_bucket_and_downloads_only_through_the_view(world, object_store):
    from sector.support.reference import ensure_reference

    ensure_reference()  # support's categories (a flushing test before this one may have removed them)
    client = world.client_for("lasa")
    response = client.post(reverse("support:request_create"), _support_form(attachments=[upload("screen.png", PNG)]))
    assert response.status_code == 302
    attachment = SupportRequest.objects.get().attachments.get()
    key = f"media/{attachment.file.name}"
    assert object_store.stored_keys() == [key] and object_store.read(key) == PNG  # in the bucket, not on the disk
    download = client.get(reverse("support:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    # Same file, same checks: another agency's LASA and an outsider are refused; the bucket is never linked.
    for persona in ("lasa2", "outsider"):
        refused = world.client_for(persona).get(reverse("support:attachment_download", args=[attachment.pk]))
        assert refused.status_code in (403, 404)
    assert "Location" not in download  # streamed by the view, never a redirect to the bucket


def _executed(world):
    onboarding = start(world)
    agreement = sign_agreement(world, prepare_agreement(world, onboarding))
    return agreements.agreement_countersign(agreement=agreement, actor=world.users["wsp"])


def test_an_executed_agreement_is_stored_once_in_the_bucket_and_checked_on_every_read(world, object_store):
    executed = _executed(world)
    key = f"media/{executed.executed_pdf.name}"
    assert key in object_store.stored_keys()
    assert hashlib.sha256(object_store.read(key)).hexdigest() == executed.executed_sha256
    lasa = world.client_for("lasa")
    url = reverse("onboarding:agreement_pdf", args=[executed.pk])
    good = lasa.get(url)
    assert good.status_code == 200 and good["X-Content-SHA256"] == executed.executed_sha256
    assert hashlib.sha256(good.content).hexdigest() == executed.executed_sha256

    # Written once: storing another executed PDF under the same name is refused, the stored object untouched.
    with pytest.raises(StoredFileError, match="written once and never replaced"):
        save_once(executed.executed_pdf, "executed-sla.pdf", b"%PDF-1.4 forged")
    assert hashlib.sha256(object_store.read(key)).hexdigest() == executed.executed_sha256

    # Tampered in the store behind the portal's back: the download is refused with a clear message and logged.
    object_store.client.put_object(Bucket=object_store.bucket, Key=key, Body=b"%PDF-1.4 altered")
    refused = lasa.get(url, follow=True)
    assert refused.redirect_chain and refused.redirect_chain[0][0] == executed.get_absolute_url()
    page = refused.content.decode()
    assert "The executed PDF cannot be downloaded" in page and "does not match the SHA-256" in page
    assert b"%PDF" not in refused.content
    entry = AuditEntry.objects.get(action="onboarding.agreement.integrity_check_failed")
    assert entry.data["expected_sha256"] == executed.executed_sha256
    with pytest.raises(OnboardingError, match="does not match the SHA-256"):
        agreements.executed_pdf_bytes(executed, actor=world.users["wsp"])
    # The bucket keeps versions (object lock on): the original is still there to restore.
    versions = object_store.client.list_object_versions(Bucket=object_store.bucket, Prefix=key)["Versions"]
    originals = [
        v
        for v in versions
        if hashlib.sha256(
            object_store.client.get_object(Bucket=object_store.bucket, Key=key, VersionId=v["VersionId"])["Body"].read()
        ).hexdigest()
        == executed.executed_sha256
    ]
    assert len(versions) == 2 and len(originals) == 1


def test_a_missing_executed_pdf_is_refused_not_a_500(world, object_store):
    executed = _executed(world)
    object_store.client.delete_object(Bucket=object_store.bucket, Key=f"media/{executed.executed_pdf.name}")
    refused = world.client_for("lasa").get(reverse("onboarding:agreement_pdf", args=[executed.pk]), follow=True)
    assert refused.status_code == 200 and "missing from the file store" in refused.content.decode()


def _hidden_inputs(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]+type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def test_an_admin_import_previewed_on_one_node_is_confirmed_on_another(world, object_store, tmp_path, settings):
    """The preview's file is kept in the bucket (IMPORT_EXPORT_TMP_STORAGE_CLASS = MediaStorage), not in the
    node's /tmp: the confirmation finds it whichever node it reaches (two clients here; tests/ops/test_two_nodes.py
    does it with two gunicorn nodes)."""
    assert settings.IMPORT_EXPORT_TMP_STORAGE_CLASS == "import_export.tmp_storages.MediaStorage"
    node_a, node_b = Client(), Client()
    node_a.force_login(world.users["admin"])
    node_b.force_login(world.users["admin"])
    csv = tmp_path / "agencies.csv"
    csv.write_text("ori,name,county,kind\nWA0340300,Tumwater Police Department,Thurston,police\n")
    with csv.open("rb") as fh:
        preview = node_a.post("/admin/orgs/agency/import/", {"import_file": fh, "format": "0"})
    assert preview.status_code == 200 and b"Tumwater Police Department" in preview.content
    hidden = _hidden_inputs(preview.content.decode())
    kept = f"media/django-import-export/{hidden['import_file_name']}"
    assert object_store.stored_keys() == [kept]  # the preview's file is in the shared bucket
    assert not Agency.objects.filter(ori="WA0340300").exists()
    hidden.pop("csrfmiddlewaretoken", None)
    confirmed = node_b.post("/admin/orgs/agency/process_import/", hidden)
    assert confirmed.status_code == 302, confirmed.content[:500]
    assert Agency.objects.get(ori="WA0340300").name == "Tumwater Police Department"
    assert object_store.stored_keys() == []  # removed after the import
