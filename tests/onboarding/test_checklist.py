from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sector.core.calendar import state_business_days
from sector.core.models import AuditEntry
from sector.onboarding.checklist import services
from sector.onboarding.choices import Stage, StepStatus
from sector.onboarding.models import ChecklistStep, OnboardingStep
from tests.onboarding.helpers import complete, start

pytestmark = pytest.mark.django_db


def test_checklist_steps_are_seeded_as_the_overview_words_them():
    steps = list(ChecklistStep.objects.order_by("number").values_list("number", "title", "responsible"))
    assert steps == [
        (1, "Provide overview and Technical Assessment Survey", "WASPC"),
        (2, "Complete survey; notify local court(s) & prosecutor", "Local Law Enforcement Agency (LLEA)"),
        (3, "Complete the WSP Service Level Agreement", "LLEA will be contacted by WSP"),
        (4, "Identify local agency system administrator (LASA)", "LLEA through WSP Support Team"),
        (5, "Attend sanctioned officer training event", "LLEA through WASPC Coordinator"),
        (6, "Provide training to court staff (if necessary)", "AOC"),
        (7, "Ongoing SECTOR customer support", "WSP"),
    ]


def test_starting_onboarding_opens_seven_steps_due_by_their_targets(world):
    onboarding = start(world)
    steps = list(onboarding.steps.select_related("step").order_by("step__number"))
    assert [s.status for s in steps] == [StepStatus.OPEN] * 7
    today = timezone.localdate()
    # A program target on Washington state business days: a weekend or state holiday moves it to the next one.
    assert steps[0].due_on == state_business_days().open_on_or_after(today + timedelta(days=steps[0].step.target_days))
    assert steps[6].due_on is None
    assert onboarding.stage == Stage.NEW
    assert AuditEntry.objects.for_object(onboarding).filter(action="onboarding.onboarding.started").exists()


def test_only_waspc_starts_onboarding_and_only_once(world):
    with pytest.raises(services.OnboardingError):
        services.onboarding_start(agency=world.agency_a, actor=world.users["wsp"])
    start(world)
    with pytest.raises(services.OnboardingError, match="already in onboarding"):
        services.onboarding_start(agency=world.agency_a, actor=world.users["waspc"])


def test_completing_a_step_records_who_when_note_and_moves_the_stage(world):
    onboarding = start(world)
    step = services.step_complete(
        onboarding=onboarding, number=1, actor=world.users["waspc"], note="Overview given on 3 March"
    )
    assert step.status == StepStatus.DONE
    assert step.completed_by == world.users["waspc"]
    assert step.completed_at is not None
    assert step.note == "Overview given on 3 March"
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.SURVEYING
    entry = AuditEntry.objects.for_object(onboarding).get(action="onboarding.step.completed")
    assert entry.data["step"] == 1


@pytest.mark.parametrize(
    "number, persona",
    [(1, "lasa"), (1, "wsp"), (2, "waspc"), (2, "reviewer"), (4, "lasa"), (6, "waspc"), (5, "admin")],
)
def test_a_step_completed_by_the_wrong_role_is_refused_and_logged(world, number, persona):
    onboarding = start(world)
    with pytest.raises(services.OnboardingError, match="Only"):
        services.step_complete(onboarding=onboarding, number=number, actor=world.users[persona], note="x")
    step = onboarding.steps.get(step__number=number)
    assert step.status == StepStatus.OPEN
    assert AuditEntry.objects.filter(action="onboarding.step.complete_refused").count() == 1


def test_a_lasa_cannot_complete_another_agencys_step(world):
    onboarding = start(world, world.agency_b)
    with pytest.raises(services.OnboardingError, match="own agency"):
        services.step_complete(onboarding=onboarding, number=2, actor=world.users["lasa"], note="x")
    assert onboarding.steps.get(step__number=2).status == StepStatus.OPEN


def test_completing_twice_is_refused(world):
    onboarding = start(world)
    complete(world, onboarding, 1)
    with pytest.raises(services.OnboardingError, match="already complete"):
        services.step_complete(onboarding=onboarding, number=1, actor=world.users["waspc"], note="again")


def test_a_note_is_required(world):
    onboarding = start(world)
    with pytest.raises(services.OnboardingError, match="note"):
        services.step_complete(onboarding=onboarding, number=1, actor=world.users["waspc"], note="   ")


def test_go_live_is_refused_with_every_reason_until_steps_1_to_6_are_done(world):
    onboarding = start(world)
    complete(world, onboarding, 1, 2, 3)
    with pytest.raises(services.OnboardingError) as exc:
        services.onboarding_go_live(onboarding=onboarding, actor=world.users["wsp"])
    assert [r.split(":")[0] for r in exc.value.reasons] == ["Step 4 is not done", "Step 5 is not done",
                                                            "Step 6 is not done"]  # fmt: skip
    onboarding.refresh_from_db()
    assert onboarding.live_at is None
    refused = AuditEntry.objects.get(action="onboarding.onboarding.go_live_refused")
    assert len(refused.data["reasons"]) == 3

    complete(world, onboarding, 4, 5, 6)
    assert onboarding.stage == Stage.READY
    services.onboarding_go_live(onboarding=onboarding, actor=world.users["wsp"])
    onboarding.refresh_from_db()
    assert onboarding.stage == Stage.LIVE
    step7 = onboarding.steps.get(step__number=7)
    assert step7.status == StepStatus.OPEN and not step7.is_overdue()


def test_only_wsp_takes_an_agency_live(world):
    onboarding = complete(world, start(world), 1, 2, 3, 4, 5, 6)
    with pytest.raises(services.OnboardingError, match="Only WSP"):
        services.onboarding_go_live(onboarding=onboarding, actor=world.users["waspc"])


def test_step_7_cannot_be_closed_before_go_live(world):
    onboarding = start(world)
    with pytest.raises(services.OnboardingError, match="goes live"):
        services.step_complete(onboarding=onboarding, number=7, actor=world.users["wsp"], note="x")


def test_stage_follows_the_first_open_step(world):
    onboarding = start(world)
    complete(world, onboarding, 1, 2)
    assert onboarding.stage == Stage.AGREEMENT
    complete(world, onboarding, 3, 4)
    assert onboarding.stage == Stage.TRAINING
    complete(world, onboarding, 6)
    assert onboarding.stage == Stage.TRAINING


def test_a_step_open_past_its_target_shows_overdue(world):
    onboarding = start(world)
    OnboardingStep.objects.filter(onboarding=onboarding, step__number=1).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    page = world.client_for("waspc").get(reverse("onboarding:agency", args=[world.agency_a.ori]))
    assert "Overdue" in page.content.decode()
    pipeline = world.client_for("waspc").get(reverse("onboarding:index"), {"overdue": "on"})
    assert "1 overdue" in pipeline.content.decode()
    complete(world, onboarding, 1)
    assert not OnboardingStep.objects.overdue().exists()


def test_agency_users_land_on_their_own_checklist(world):
    start(world)
    response = world.client_for("officer").get(reverse("onboarding:index"))
    assert response["Location"] == reverse("onboarding:agency", args=[world.agency_a.ori])
    page = world.client_for("lasa").get(response["Location"])
    body = page.content.decode()
    assert "Complete survey; notify local court(s) &amp; prosecutor" in body
    assert "What blocks go-live" in body
    assert "Step 1 is not done" in body


def test_the_page_offers_completion_only_to_the_responsible_role(world):
    start(world)
    url = reverse("onboarding:agency", args=[world.agency_a.ori])
    waspc = world.client_for("waspc").get(url).content.decode()
    lasa = world.client_for("lasa").get(url).content.decode()
    assert "Mark step 1 complete" in waspc and "Mark step 2 complete" not in waspc
    assert "Mark step 2 complete" in lasa and "Mark step 1 complete" not in lasa


def test_completing_through_the_page_with_evidence(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    onboarding = start(world)
    pdf = SimpleUploadedFile("sent.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
    client = world.client_for("waspc")
    url = reverse("onboarding:step_complete", args=[world.agency_a.ori, 1])
    response = client.post(url, {"note": "Survey emailed", "evidence": pdf})
    assert response.status_code == 302
    step = onboarding.steps.get(step__number=1)
    assert step.status == StepStatus.DONE and step.evidence_name == "sent.pdf" and len(step.evidence_sha256) == 64
    download = client.get(reverse("onboarding:step_evidence", args=[world.agency_a.ori, 1]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_evidence_that_is_not_what_it_claims_is_refused(world):
    onboarding = start(world)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    response = world.client_for("waspc").post(
        reverse("onboarding:step_complete", args=[world.agency_a.ori, 1]), {"note": "x", "evidence": fake}, follow=True
    )
    assert "not a PDF" in response.content.decode()
    assert onboarding.steps.get(step__number=1).status == StepStatus.OPEN


def test_wrong_role_through_the_page_gets_a_clear_message(world):
    onboarding = start(world)
    response = world.client_for("lasa").post(
        reverse("onboarding:step_complete", args=[world.agency_a.ori, 1]), {"note": "x"}, follow=True
    )
    assert "Only WASPC completes step 1" in response.content.decode()
    assert onboarding.steps.get(step__number=1).status == StepStatus.OPEN


def test_go_live_through_the_page_lists_the_reasons(world):
    start(world)
    response = world.client_for("wsp").post(reverse("onboarding:go_live", args=[world.agency_a.ori]), follow=True)
    body = response.content.decode()
    assert "cannot go live yet" in body and "Step 1 is not done" in body


def test_the_pipeline_lists_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from tests.factories import AgencyFactory

    client = world.client_for("waspc")
    url = reverse("onboarding:index")

    def grow(n):
        for _ in range(n):
            start(world, AgencyFactory())

    grow(3)
    with django_assert_max_num_queries(14) as small:
        assert client.get(url).status_code == 200
    grow(40)
    with django_assert_max_num_queries(14) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
    assert "Next page" not in response.content.decode()  # 43 < page size


def test_the_pipeline_paginates_by_keyset(world):
    from tests.factories import AgencyFactory

    for _ in range(55):
        start(world, AgencyFactory())
    client = world.client_for("waspc")
    first = client.get(reverse("onboarding:index"))
    page = first.context["page"]
    assert len(page) == 50 and page.has_next
    second = client.get(reverse("onboarding:index"), {"cursor": page.next_cursor})
    assert len(second.context["page"]) == 5
    names_first = [o.agency_name for o in page]
    assert names_first == sorted(names_first)


@pytest.mark.django_db
def test_step_7_shows_the_agencys_support_history(world):
    from sector.support.reference import ensure_reference
    from tests.onboarding.helpers import start
    from tests.support.helpers import raise_request

    ensure_reference()
    onboarding = start(world)
    raise_request(world, "lasa", subject="Printer jams on every citation")
    page = world.client_for("wsp").get(f"/onboarding/agencies/{onboarding.agency.ori}/").content.decode()
    assert 'href="#support-history-heading"' in page
    assert "Support history" in page and "Printer jams on every citation" in page
    # Another agency's LASA never reaches the page at all.
    assert world.client_for("lasa2").get(f"/onboarding/agencies/{onboarding.agency.ori}/").status_code == 404


def test_a_step_target_on_a_weekend_moves_to_the_next_state_business_day_and_says_so():
    from datetime import date

    from sector.onboarding.models import OnboardingStep

    due = OnboardingStep.due_for(date(2026, 11, 18), 10)  # + 10: Sat Nov 28 (after Thanksgiving week)
    assert (due.day, due.moved_from) == (date(2026, 11, 30), date(2026, 11, 28))
    assert due.note == "moved from Sat Nov 28 (weekend) to Mon Nov 30"
    assert OnboardingStep.due_for(date(2026, 11, 18), None) is None
