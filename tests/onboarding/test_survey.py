import io
from decimal import Decimal

import pytest
import tablib
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from sector.core.models import AuditEntry
from sector.onboarding.choices import LineResult, SurveyStatus
from sector.onboarding.errors import OnboardingError
from sector.onboarding.models import RequirementProfile
from sector.onboarding.survey import services as svc
from sector.onboarding.survey.evaluation import evaluate_line
from tests.onboarding.helpers import GOOD_LINE, fill_survey, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile():
    return RequirementProfile.objects.get(version=1).snapshot()


# --- the requirement profile ---------------------------------------------------------------------------


def test_profile_v1_is_the_overviews_technical_specifications(profile):
    assert profile["compatible_os"] == [
        "Windows 2000 Professional",
        "Windows XP Professional & SP2",
        "Windows Vista",
        "Windows 7 Professional",
    ]
    assert (profile["cpu_min_ghz"], profile["ram_min_gb"], profile["ram_preferred_gb"]) == ("1.00", "1.00", "2.00")
    assert profile["cpu_preferred_ghz"] == "60.00"  # kept as published, flagged in the admin
    assert "Microsoft SQL Server 2008 R2" in profile["client_installs"]
    assert "In-car laptop computer" in profile["required_equipment"]


def test_the_60_ghz_typo_is_flagged_not_corrected():
    p = RequirementProfile.objects.get(version=1)
    assert p.cpu_preferred_ghz == Decimal("60")
    assert any("60 GHz" in w and "typo" in w for w in p.warnings())
    p.cpu_preferred_ghz = Decimal("2.0")
    assert p.warnings() == []


def test_the_admin_shows_the_flag(world):
    p = RequirementProfile.objects.get(version=1)
    client = world.client_for("admin")
    listing = client.get(reverse("admin:onboarding_requirementprofile_changelist")).content.decode()
    assert "figure(s) to check" in listing
    form = client.get(reverse("admin:onboarding_requirementprofile_change", args=[p.pk])).content.decode()
    assert "evidently a typo" in form
    assert 'name="cpu_preferred_ghz"' in form  # still editable while no evaluation used it


# --- evaluating a computer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "os, cpu, ram, disk, expected",
    [
        ("Windows 7 Professional", 2.5, 4, 100, LineResult.MEETS_PREFERRED),  # the doubtful 60 GHz is not applied
        ("Windows 7 Professional", 2.5, 1.5, 100, LineResult.MEETS_MINIMUM),
        ("windows xp professional sp2", 1.0, 1, 1, LineResult.MEETS_MINIMUM),
        ("Windows 7 Professional", 0.8, 4, 100, LineResult.FAILS),
        ("Windows 7 Professional", 2.0, 0.5, 100, LineResult.FAILS),
        ("Windows 7 Professional", 2.0, 2, 0.5, LineResult.FAILS),
        ("Windows 11 Pro", 3.0, 16, 200, LineResult.NEEDS_REVIEW),
        ("Windows 11 Pro", 0.5, 16, 200, LineResult.FAILS),
    ],
)
def test_each_line_is_judged_against_the_profile(profile, os, cpu, ram, disk, expected):
    verdict = evaluate_line(profile, os=os, cpu_ghz=cpu, ram_gb=ram, disk_free_gb=disk)
    assert verdict.result == expected


def test_a_computer_meeting_every_preferred_figure_meets_preferred(profile):
    profile = {**profile, "cpu_preferred_ghz": "2.0"}
    verdict = evaluate_line(profile, os="Windows Vista", cpu_ghz=2.4, ram_gb=4, disk_free_gb=50)
    assert verdict.result == LineResult.MEETS_PREFERRED and verdict.reasons == []


def test_an_unlisted_os_says_wsp_reviews_it(profile):
    verdict = evaluate_line(profile, os="Windows 10 Pro", cpu_ghz=2, ram_gb=8, disk_free_gb=50)
    assert any("not on profile v1's list" in r for r in verdict.reasons)


# --- the draft -----------------------------------------------------------------------------------------


def test_a_draft_saves_partially_and_comes_back(world):
    onboarding = start(world)
    client = world.client_for("lasa")
    url = reverse("onboarding:survey", args=[world.agency_a.ori])
    response = client.post(
        url, {"contact_name": "Chief Ana Ruiz", "sworn_officers": "61", "courts": [world.court_a.pk]}
    )
    assert response.status_code == 302
    survey = onboarding.survey
    survey.refresh_from_db()
    assert survey.contact_name == "Chief Ana Ruiz" and survey.sworn_officers == 61 and survey.is_draft
    page = client.get(url).content.decode()
    assert 'value="Chief Ana Ruiz"' in page
    assert "Give the number of vehicles with laptops." in page
    assert AuditEntry.objects.for_object(survey).filter(action="onboarding.survey.saved").exists()


def test_bad_draft_input_is_explained_and_nothing_saved(world):
    onboarding = start(world)
    response = world.client_for("lasa").post(
        reverse("onboarding:survey", args=[world.agency_a.ori]),
        {"contact_name": "X", "sworn_officers": "lots", "contact_email": "not-an-email"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a whole number" in body and "Enter a valid email address" in body
    onboarding.survey.refresh_from_db()
    assert onboarding.survey.contact_name == ""


@pytest.mark.parametrize("persona", ["waspc", "wsp", "officer", "reviewer"])
def test_only_the_agencys_lasa_edits_the_survey(world, persona):
    onboarding = start(world)
    with pytest.raises(OnboardingError):
        svc.survey_save(survey=onboarding.survey, actor=world.users[persona], data={"contact_name": "x"})
    assert AuditEntry.objects.filter(action="onboarding.survey.save_refused").count() == 1


def test_another_agencys_lasa_cannot_edit(world):
    onboarding = start(world)
    with pytest.raises(OnboardingError, match="own agency"):
        svc.survey_save(survey=onboarding.survey, actor=world.users["lasa2"], data={"contact_name": "x"})


def test_statewide_roles_read_the_survey_but_get_no_form(world):
    start(world)
    page = world.client_for("waspc").get(reverse("onboarding:survey", args=[world.agency_a.ori])).content.decode()
    assert "Answers" in page and "Save draft" not in page


def test_adding_and_removing_a_computer(world):
    onboarding = start(world)
    client = world.client_for("lasa")
    response = client.post(
        reverse("onboarding:survey_line_add", args=[world.agency_a.ori]),
        {
            "model": "Getac B360",
            "os": "Windows 10 Pro",
            "cpu_ghz": "2.4",
            "ram_gb": "16",
            "disk_free_gb": "200",
            "quantity": "5",
            "barcode_scanner": "on",
        },  # fmt: skip
    )
    assert response.status_code == 302
    line = onboarding.survey.lines.get()
    assert line.quantity == 5 and line.barcode_scanner and not line.printer
    bad = client.post(
        reverse("onboarding:survey_line_add", args=[world.agency_a.ori]),
        {"model": "X", "os": "Y", "cpu_ghz": "fast", "ram_gb": "-1", "disk_free_gb": "1"},
    )
    assert bad.status_code == 400 and onboarding.survey.lines.count() == 1
    client.post(reverse("onboarding:survey_line_remove", args=[world.agency_a.ori, line.pk]))
    assert onboarding.survey.lines.count() == 0


# --- spreadsheet import --------------------------------------------------------------------------------

GOOD_CSV = (
    "model,os,cpu_ghz,ram_gb,disk_free_gb,barcode_scanner,printer,quantity\n"
    "Panasonic CF-31,Windows 7 Professional,2.5,4,120,yes,no,10\n"
    "Getac B360,Windows 11 Pro,2.4,16,200,y,y,\n"
)
BAD_CSV = (
    "model,os,cpu_ghz,ram_gb,disk_free_gb\n"
    "Panasonic CF-31,Windows 7 Professional,2.5,4,120\n"
    "Old Toughbook,Windows XP Professional & SP2,fast,1,10\n"
    ",Windows Vista,1.6,2,-5\n"
)


def _upload(client, world, name, content, content_type="text/csv"):
    return client.post(
        reverse("onboarding:survey_import", args=[world.agency_a.ori]),
        {"file": SimpleUploadedFile(name, content, content_type)},
    )


def test_import_previews_then_adds_every_line_on_confirm(world):
    onboarding = start(world)
    client = world.client_for("lasa")
    preview = _upload(client, world, "inventory.csv", GOOD_CSV.encode())
    assert preview.status_code == 200
    assert "Every line is good" in preview.content.decode()
    assert onboarding.survey.lines.count() == 0  # nothing until confirmed
    token = preview.context["token"]
    done = client.post(reverse("onboarding:survey_import_confirm", args=[world.agency_a.ori]), {"token": token})
    assert done.status_code == 302
    lines = list(onboarding.survey.lines.order_by("id"))
    assert [(line.model, line.quantity, line.barcode_scanner) for line in lines] == [
        ("Panasonic CF-31", 10, True),
        ("Getac B360", 1, True),
    ]
    again = client.post(reverse("onboarding:survey_import_confirm", args=[world.agency_a.ori]), {"token": token})
    assert again.status_code == 302 and onboarding.survey.lines.count() == 2  # a preview is used once


def test_import_with_bad_rows_imports_nothing_and_names_each_line(world):
    onboarding = start(world)
    response = _upload(world.client_for("lasa"), world, "inventory.csv", BAD_CSV.encode())
    assert response.status_code == 400
    errors = response.context["preview"].errors
    assert sorted(errors) == [3, 4]
    assert any("“fast” is not a number" in e for e in errors[3])
    assert any("Make and model" in e for e in errors[4]) and any("Free disk" in e for e in errors[4])
    assert "line 3, line 4" in response.content.decode()
    assert onboarding.survey.lines.count() == 0


def test_the_service_refuses_a_file_with_bad_rows(world):
    onboarding = start(world)
    dataset = svc.read_inventory_file(BAD_CSV.encode(), "x.csv")
    with pytest.raises(OnboardingError, match="line"):
        svc.inventory_import(survey=onboarding.survey, actor=world.users["lasa"], dataset=dataset)
    assert onboarding.survey.lines.count() == 0


def test_xlsx_imports_too(world):
    onboarding = start(world)
    book = tablib.Dataset(headers=["Model", "OS", "CPU GHz", "RAM GB", "Disk free GB"])
    book.append(["Dell Latitude 5420", "Windows 10 Pro", 2.6, 16, 180])
    dataset = svc.read_inventory_file(book.export("xlsx"), "inv.xlsx")
    assert svc.inventory_import(survey=onboarding.survey, actor=world.users["lasa"], dataset=dataset) == 1
    assert onboarding.survey.lines.get().cpu_ghz == Decimal("2.6")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "neither CSV"),
        (b"PK\x03\x04garbage", "not a readable Excel"),
        (b"model,os\nx,y\n", "Missing: cpu_ghz, ram_gb, disk_free_gb"),
        (b"model,os,cpu_ghz,ram_gb,disk_free_gb,colour\n", "Unknown columns: colour"),
        (b"model,os,cpu_ghz,ram_gb,disk_free_gb\n", "no computers"),
        ("model,os,cpu_ghz,ram_gb,disk_free_gb\nCaf\u00e9,W,1,1,1\n".encode("latin-1"), "not UTF-8"),
        (b"x" * (1024 * 1024 + 1), "larger than"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(content, message):
    with pytest.raises(svc.ImportFileError, match=message):
        svc.read_inventory_file(content, "f.csv")


def test_an_unreadable_upload_gets_a_message_not_an_error(world):
    start(world)
    response = _upload(world.client_for("lasa"), world, "inv.csv", b"\x00\x01\x02", "text/csv")
    assert response.status_code == 302
    follow = world.client_for("lasa").get(response["Location"])
    assert follow.status_code == 200


# --- submit and evaluation -----------------------------------------------------------------------------


def test_submitting_an_incomplete_survey_lists_what_is_missing(world):
    onboarding = start(world)
    with pytest.raises(OnboardingError) as exc:
        svc.survey_submit(survey=onboarding.survey, actor=world.users["lasa"])
    assert "Give at least one officer computer in the inventory." in exc.value.reasons
    onboarding.survey.refresh_from_db()
    assert onboarding.survey.is_draft


def test_an_incomplete_survey_is_not_offered_for_confirmation(world):
    start(world)
    url = reverse("onboarding:survey_submit", args=[world.agency_a.ori])
    response = world.client_for("lasa").post(url, follow=True)
    page = response.content.decode()
    assert "Please confirm" not in page and "Give at least one officer computer in the inventory." in page


def test_submitting_evaluates_against_the_profile_in_force_and_locks_the_survey(world):
    onboarding = start(world)
    old = {**GOOD_LINE, "model": "Old laptop", "ram_gb": "0.5"}
    new = {**GOOD_LINE, "model": "New laptop", "os": "Windows 11 Pro"}
    survey = fill_survey(world, onboarding, lines=[GOOD_LINE, old, new])
    evaluation = svc.survey_submit(survey=survey, actor=world.users["lasa"])
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SUBMITTED and survey.submitted_by == world.users["lasa"]
    assert evaluation.profile_version == 1
    assert [line["result"] for line in evaluation.lines] == ["meets_preferred", "fails", "needs_review"]
    assert evaluation.overall == LineResult.FAILS
    assert any("RAM 0.5 GB is below the 1 GB minimum" in b for b in evaluation.blockers)
    assert any("WSP must review the operating system of computer(s) 3" in b for b in evaluation.blockers)
    with pytest.raises(OnboardingError, match="submitted"):
        svc.survey_save(survey=survey, actor=world.users["lasa"], data={"contact_name": "late change"})
    with pytest.raises(OnboardingError, match="submitted"):
        svc.survey_submit(survey=survey, actor=world.users["lasa"])


def test_a_new_profile_version_applies_to_later_evaluations_only(world):
    onboarding = start(world)
    survey = fill_survey(world, onboarding)
    first = svc.survey_submit(survey=survey, actor=world.users["lasa"])
    v1 = RequirementProfile.objects.get(version=1)
    v2 = RequirementProfile.objects.create(
        **{
            **{f.name: getattr(v1, f.name) for f in v1._meta.fields if f.name not in ("id", "created_at")},
            "version": 2,
            "ram_preferred_gb": Decimal("8"),
        }  # fmt: skip
    )
    second = svc.evaluation_create(survey=survey)
    assert second.profile == v2 and second.lines[0]["result"] == "meets_minimum"
    first.refresh_from_db()
    assert first.profile_version == 1 and first.lines[0]["result"] == "meets_preferred"
    # A version evaluations used is read-only in the admin.
    form = world.client_for("admin").get(reverse("admin:onboarding_requirementprofile_change", args=[v1.pk]))
    assert 'name="cpu_preferred_ghz"' not in form.content.decode()


def test_submit_through_the_page_and_see_the_evaluation_and_its_pdf(world):
    onboarding = start(world)
    fill_survey(world, onboarding, lines=[GOOD_LINE, {**GOOD_LINE, "model": "Getac", "os": "Windows 11 Pro"}])
    client = world.client_for("lasa")
    asked = client.post(reverse("onboarding:survey_submit", args=[world.agency_a.ori]))
    page = asked.content.decode()
    assert asked.status_code == 200 and "Please confirm" in page
    assert "can no longer be changed" in page and "requirement profile v1" in page
    assert "Thurston County District Court" in page and "Pat Prosecutor" in page
    survey = onboarding.survey
    survey.refresh_from_db()
    assert survey.status == "draft"  # nothing is submitted until confirmed
    response = client.post(reverse("onboarding:survey_submit", args=[world.agency_a.ori]), {"confirmed": "1"})
    assert response["Location"] == reverse("onboarding:evaluation", args=[world.agency_a.ori])
    page = world.client_for("waspc").get(response["Location"]).content.decode()
    assert "Needs WSP review" in page and "profile v1" in page
    pdf = world.client_for("wsp").get(reverse("onboarding:evaluation_pdf", args=[world.agency_a.ori]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Olympia Police Department" in text
    assert "requirement profile v1" in text
    assert "Needs WSP review" in text and "Meets preferred" in text
    assert "(doubtful: not applied)" in text
    assert "Windows 11 Pro" in text


def test_there_is_no_evaluation_before_submitting(world):
    start(world)
    assert world.client_for("lasa").get(reverse("onboarding:evaluation", args=[world.agency_a.ori])).status_code == 404


def test_the_admin_registers_the_onboarding_models():
    from sector.onboarding.models import AgencyOnboarding, ChecklistStep

    assert RequirementProfile in site._registry and ChecklistStep in site._registry
    assert AgencyOnboarding in site._registry
