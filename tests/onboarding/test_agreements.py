import hashlib
import io
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from sector.core.models import AuditEntry
from sector.onboarding.agreements import services as svc
from sector.onboarding.choices import AgreementStatus, StepStatus
from sector.onboarding.errors import OnboardingError
from sector.onboarding.models import Agreement, AgreementTemplate
from tests.onboarding.helpers import prepare_agreement, sign_agreement, start

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_templates_are_versioned_data():
    kinds = dict(AgreementTemplate.objects.filter(version=1).values_list("kind", "title"))
    assert kinds == {"sla": "SECTOR Service Level Agreement", "tracs": "TraCS access agreement"}


def test_wsp_prepares_from_the_template_with_the_agencys_details(world, django_capture_on_commit_callbacks):
    onboarding = start(world)
    with django_capture_on_commit_callbacks(execute=True):
        agreement = prepare_agreement(world, onboarding)
    assert agreement.status == AgreementStatus.PREPARED and agreement.template_version == 1
    assert "Olympia Police Department (ORI WA0340100)" in agreement.body and "$" not in agreement.body
    assert any(m.subject.startswith("SECTOR: your SECTOR Service Level Agreement is ready") for m in mail.outbox)
    with pytest.raises(OnboardingError, match="already has"):
        prepare_agreement(world, onboarding)


def test_only_wsp_prepares(world):
    onboarding = start(world)
    template = AgreementTemplate.objects.get(kind="sla", version=1)
    with pytest.raises(OnboardingError, match="Only WSP"):
        svc.agreement_prepare(onboarding=onboarding, template=template, actor=world.users["lasa"])


def test_the_draft_pdf_renders_the_agency_details(world):
    agreement = prepare_agreement(world, start(world))
    response = world.client_for("lasa").get(reverse("onboarding:agreement_pdf", args=[agreement.pk]))
    text = _text(response.content)
    assert "SECTOR Service Level Agreement" in text and "Olympia Police Department" in text
    assert "Not executed" in text


def test_sign_then_countersign_executes_once_with_sha256_and_completes_step_3(world, media):
    onboarding = start(world)
    agreement = sign_agreement(world, prepare_agreement(world, onboarding))
    assert agreement.status == AgreementStatus.AGENCY_SIGNED
    assert agreement.signed_ip == "198.51.100.7" and agreement.signatory_title == "Chief of Police"
    executed = svc.agreement_countersign(agreement=agreement, actor=world.users["wsp"])
    assert executed.status == AgreementStatus.EXECUTED
    stored = executed.executed_pdf.read()
    assert hashlib.sha256(stored).hexdigest() == executed.executed_sha256
    text = _text(stored)
    assert "Ana Ruiz, Chief of Police" in text and "Countersigned on" in text and "renewal date" in text
    assert executed.renewal_date == svc.add_months(executed.term_start, 36)
    step = onboarding.steps.get(step__number=3)
    assert step.status == StepStatus.DONE and step.automatic
    # Never changed or replaced.
    with pytest.raises(OnboardingError, match="already executed"):
        svc.agreement_countersign(agreement=executed, actor=world.users["wsp"])
    executed.title = "Something else"
    with pytest.raises(ValueError, match="never be changed"):
        executed.save()
    with pytest.raises(ValueError, match="never be deleted"):
        Agreement.objects.get(pk=executed.pk).delete()
    download = world.client_for("lasa").get(reverse("onboarding:agreement_pdf", args=[executed.pk]))
    assert download["X-Content-SHA256"] == executed.executed_sha256
    assert hashlib.sha256(download.content).hexdigest() == executed.executed_sha256  # verified, then sent


def test_signing_twice_is_refused_and_logged(world):
    agreement = sign_agreement(world, prepare_agreement(world, start(world)))
    with pytest.raises(OnboardingError, match="already signed"):
        sign_agreement(world, agreement)
    assert AuditEntry.objects.filter(action="onboarding.agreement.sign_refused").count() == 1


def test_countersigning_before_the_agency_is_refused(world):
    agreement = prepare_agreement(world, start(world))
    with pytest.raises(OnboardingError, match="has not signed yet"):
        svc.agreement_countersign(agreement=agreement, actor=world.users["wsp"])
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PREPARED
    assert AuditEntry.objects.filter(action="onboarding.agreement.countersign_refused").count() == 1


def test_signing_another_agencys_agreement_is_refused(world):
    agreement = prepare_agreement(world, start(world))
    with pytest.raises(OnboardingError, match="own agency"):
        sign_agreement(world, agreement, persona="lasa2")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PREPARED


@pytest.mark.parametrize("persona", ["waspc", "wsp", "officer"])
def test_only_the_agencys_lasa_signs(world, persona):
    agreement = prepare_agreement(world, start(world))
    with pytest.raises(OnboardingError):
        sign_agreement(world, agreement, persona=persona)


def test_only_wsp_countersigns(world):
    agreement = sign_agreement(world, prepare_agreement(world, start(world)))
    with pytest.raises(OnboardingError, match="Only WSP"):
        svc.agreement_countersign(agreement=agreement, actor=world.users["waspc"])


def test_uploading_the_councils_signed_pdf(world, media):
    agreement = prepare_agreement(world, start(world))
    client = world.client_for("lasa")
    url = reverse("onboarding:agreement_upload", args=[agreement.pk])
    fake = SimpleUploadedFile("signed.pdf", b"<html>not a pdf</html>", "application/pdf")
    refused = client.post(url, {"signed_copy": fake, "resolution_number": "R-2026-14", "resolution_date": "2026-11-02"})
    assert refused.status_code == 400 and "not a PDF" in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PREPARED
    real = SimpleUploadedFile("signed.pdf", PDF_BYTES, "application/pdf")
    ok = client.post(url, {"signed_copy": real, "resolution_number": "R-2026-14", "resolution_date": "2026-11-02"})
    assert ok.status_code == 302
    agreement.refresh_from_db()
    assert agreement.sign_method == "upload" and agreement.resolution_date == date(2026, 11, 2)
    assert agreement.signed_copy_sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    executed = svc.agreement_countersign(agreement=agreement, actor=world.users["wsp"])
    assert "resolution R-2026-14" in _text(executed.executed_pdf.read())


def test_an_oversized_upload_is_refused(world, media):
    agreement = prepare_agreement(world, start(world))
    big = SimpleUploadedFile("signed.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 10) + b"%%EOF", "application/pdf")
    response = world.client_for("lasa").post(
        reverse("onboarding:agreement_upload", args=[agreement.pk]),
        {"signed_copy": big, "resolution_number": "R-1", "resolution_date": "2026-11-02"},
    )
    assert response.status_code == 400 and "the limit is 5 MB" in response.content.decode()


def test_the_full_path_through_the_pages(world, media):
    onboarding = start(world)
    wsp = world.client_for("wsp")
    template = AgreementTemplate.objects.get(kind="sla", version=1)
    response = wsp.post(reverse("onboarding:agreement_prepare", args=[world.agency_a.ori]), {"template": template.pk})
    agreement = Agreement.objects.get(onboarding=onboarding)
    assert response["Location"] == agreement.get_absolute_url()
    lasa = world.client_for("lasa")
    bad = lasa.post(reverse("onboarding:agreement_sign", args=[agreement.pk]), {"signatory_name": "Ana"})
    assert bad.status_code == 400 and "Tick the box" in bad.content.decode()
    signature = {"signatory_name": "Ana Ruiz", "signatory_title": "Chief", "authority": "City charter", "confirm": "on"}
    lasa.post(reverse("onboarding:agreement_sign", args=[agreement.pk]), signature)
    asked = wsp.post(reverse("onboarding:agreement_countersign", args=[agreement.pk])).content.decode()
    assert "Please confirm" in asked and "can never be changed or replaced" in asked
    assert "signed for the agency by Ana Ruiz, Chief" in asked
    agreement.refresh_from_db()
    assert agreement.status == "agency_signed"  # nothing changed until confirmed
    wsp.post(reverse("onboarding:agreement_countersign", args=[agreement.pk]), {"confirmed": "1"})
    page = lasa.get(reverse("onboarding:agency", args=[world.agency_a.ori])).content.decode()
    assert "Executed" in page and "Renewal date" in page


def test_a_tampered_executed_pdf_on_local_files_is_refused(world, media):
    """`make run` keeps local files; the SHA-256 check holds there too (tests/ops/test_object_storage.py: S3)."""
    executed = svc.agreement_countersign(
        agreement=sign_agreement(world, prepare_agreement(world, start(world))), actor=world.users["wsp"]
    )
    (media / executed.executed_pdf.name).write_bytes(b"%PDF-1.4 altered on the disk")
    response = world.client_for("lasa").get(reverse("onboarding:agreement_pdf", args=[executed.pk]), follow=True)
    assert response.status_code == 200 and "does not match the SHA-256" in response.content.decode()
    assert AuditEntry.objects.filter(action="onboarding.agreement.integrity_check_failed").count() == 1
