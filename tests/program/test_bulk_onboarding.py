"""Issue 16, capability 6: WASPC starts onboarding for many agencies from one spreadsheet (agency, contact,
courts of jurisdiction): a preview with per-line errors that writes nothing, then confirm; re-uploading the same
file changes nothing; hostile or oversized files get a clear message; and the bulk reminder of overdue steps."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sector.core.models import AuditEntry, OutgoingMail
from sector.onboarding.models import AgencyOnboarding, OnboardingStep, Survey
from sector.program import services
from sector.program.models import StepReminder
from tests.factories import AgencyFactory
from tests.onboarding.helpers import start

pytestmark = pytest.mark.django_db

HEADER = "agency_ori,contact_first_name,contact_last_name,contact_email,court_codes\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def _upload(client, data: bytes, name="agencies.csv"):
    return client.post("/program/onboarding-import/preview/", {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def agencies(world):
    from sector.onboarding.reference import ensure_agreement_templates, ensure_reference_data

    ensure_reference_data()
    ensure_agreement_templates()
    return [AgencyFactory(ori="WA0340700", name="Rainier PD"), AgencyFactory(ori="WA0340800", name="Tenino PD")]


GOOD = (
    "WA0340700,Ann,Lee,ann.lee@rainier.example,D34",
    "WA0340800,Bo,Diaz,bo.diaz@tenino.example,D34; M32SPO",
)


def test_the_preview_writes_nothing_and_confirm_starts_each_agency_with_contact_and_courts(world, agencies):
    client = world.client_for("waspc")
    preview = _upload(client, _csv(*GOOD))
    assert preview.status_code == 200 and b"Start onboarding for 2 agencies" in preview.content
    assert not AgencyOnboarding.objects.filter(agency__in=agencies).exists()
    token = preview.context["token"]
    done = client.post("/program/onboarding-import/confirm/", {"token": token})
    assert done.status_code == 302
    started = AgencyOnboarding.objects.filter(agency__in=agencies)
    assert started.count() == 2
    tenino = Survey.objects.get(onboarding__agency__ori="WA0340800")
    assert sorted(tenino.courts.values_list("code", flat=True)) == ["D34", "M32SPO"]
    assert tenino.contact_email == "bo.diaz@tenino.example"
    step1 = OnboardingStep.objects.get(onboarding__agency__ori="WA0340800", step__number=1)
    assert step1.is_done  # the contact was invited with the overview
    assert OutgoingMail.objects.filter(to__contains=["ann.lee@rainier.example"]).exists()
    assert AuditEntry.objects.get(action="program.bulk_onboarding.imported").data["started"] == [
        "WA0340700",
        "WA0340800",
    ]
    # The token is used up; the same file again starts nobody.
    assert client.post("/program/onboarding-import/confirm/", {"token": token}).status_code == 302
    again = _upload(client, _csv(*GOOD))
    assert b"already in onboarding" in again.content
    assert services.bulk_onboarding_apply(actor=world.users["waspc"], dataset=services.read_bulk_file(_csv(*GOOD))) == 0
    assert AgencyOnboarding.objects.filter(agency__in=agencies).count() == 2


def test_per_line_errors_are_shown_and_nothing_is_imported(world, agencies):
    start(world)  # Olympia is in onboarding already: not an error
    client = world.client_for("waspc")
    response = _upload(
        client,
        _csv(
            "WA0340700,Ann,Lee,not-an-email,D34",
            "WA9999999,Cy,Fox,cy@x.example,D34",
            "WA0340800,Bo,Diaz,bo@tenino.example,X99",
            "WA0340800,Bo,Diaz,bo@tenino.example,D34",
            "WA0340100,Old,Hand,old@olympia.example,D34",
            f"WA0340700,Ann,Lee,{world.users['lasa2'].email},",
        ),
    )
    assert response.status_code == 400
    rows = response.context["preview"].rows
    assert "not a valid email" in " ".join(rows[0].errors)
    assert "No agency with ORI WA9999999" in " ".join(rows[1].errors)
    assert "No court with code X99" in " ".join(rows[2].errors)
    assert "listed twice" in " ".join(rows[3].errors)
    assert rows[4].already and not rows[4].errors
    assert "outside this agency" in " ".join(rows[5].errors) and "courts of jurisdiction" in " ".join(rows[5].errors)
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7]
    assert not AgencyOnboarding.objects.filter(agency__in=agencies).exists()
    assert client.post("/program/onboarding-import/confirm/", {"token": response.context["token"]}).status_code == 302
    assert not AgencyOnboarding.objects.filter(agency__in=agencies).exists()


def test_an_xlsx_file_works_the_same(world, agencies):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    for line in GOOD:
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(world.client_for("waspc"), buffer.getvalue(), name="agencies.xlsx")
    assert response.status_code == 200 and len(response.context["preview"].to_start) == 2


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", b"empty"),
        (b"PK\x03\x04garbage", "agencies.xlsx", b"not a readable Excel workbook"),
        (b"\xff\xfe\x00bad", "agencies.csv", b"Nothing was imported"),
        (b"agency_ori\nWA0340700\n", "agencies.csv", b"Missing column"),
        (HEADER.encode() + b"x" * (1024 * 1024 + 10), "big.csv", b"larger than"),
        (_csv(*[f"WA08{i:05d},A,B,a{i}@x.example,D34" for i in range(301)]), "many.csv", b"300"),
    ],
)
def test_hostile_or_oversized_files_get_a_clear_message(world, data, name, message):
    client = world.client_for("waspc")
    response = _upload(client, data, name=name)
    assert response.status_code == 302
    page = client.get("/program/onboarding-import/")
    assert message.lower() in page.content.lower()


def test_only_waspc_may_import(world):
    assert _upload(world.client_for("wsp"), _csv(*GOOD)).status_code == 403
    assert _upload(world.client_for("lasa"), _csv(*GOOD)).status_code == 403


def _overdue(world, agency):
    onboarding = start(world, agency)
    OnboardingStep.objects.filter(onboarding=onboarding, step__number=2).update(
        due_on=timezone.localdate() - timedelta(days=5)
    )
    return onboarding


def test_the_bulk_reminder_previews_confirms_mails_audits_and_never_twice_a_day(world):
    a = _overdue(world, world.agency_a)
    b = _overdue(world, world.agency_b)
    client = world.client_for("waspc")
    page = client.get("/program/reminders/")
    assert page.status_code == 200 and b"Olympia" in page.content and b"Spokane" in page.content
    asked = client.post("/program/reminders/send/", {"onboarding": [a.pk, b.pk]})
    assert asked.status_code == 200 and b"Send the reminders" in asked.content
    assert not StepReminder.objects.exists()
    done = client.post("/program/reminders/send/", {"onboarding": [a.pk, b.pk], "confirmed": "1"})
    assert done.status_code == 302
    assert StepReminder.objects.count() == 2
    lasa_mail = OutgoingMail.objects.filter(to__contains=[world.users["lasa"].email], subject__contains="overdue")
    assert lasa_mail.count() == 1 and "Step 2" in lasa_mail.get().body
    assert AuditEntry.objects.filter(action="program.reminder.sent").count() == 2
    # Again the same day: nobody is told twice.
    outcome = services.overdue_reminders_send(actor=world.users["waspc"])
    assert outcome.sent == [] and len(outcome.already) == 2
    assert b"Reminded today" in client.get("/program/reminders/").content
    assert client.post("/program/reminders/send/", {"onboarding": [a.pk]}).status_code == 302
    assert StepReminder.objects.count() == 2


def test_reminders_are_for_waspc_only(world):
    assert world.client_for("lasa").get("/program/reminders/").status_code == 403
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.overdue_reminders_send(actor=world.users["wsp"])
