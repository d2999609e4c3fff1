"""Onboarding and training in a real browser, on the demo data: the LASA submits the survey, the court's clerk
decides readiness, WSP prepares the agreement, the LASA signs, WSP countersigns, AOC and WASPC record attendance,
and WASPC sees steps 5 and 6 complete. axe-core on every page visited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sector.onboarding.models import AgencyOnboarding, Agreement, CourtNotice
from sector.onboarding.notices import services as notices
from sector.orgs.models import Court, Person
from sector.training import services as training
from sector.training.models import TrainingEvent

OLYMPIA = "WA0340100"


def _sign_out(page):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_lasa_survey_agreement_wsp_countersigns_training_completes_steps(page, sign_in, axe_check):
    # The LASA finishes the draft survey the demo left and submits it.
    sign_in(page, "lasa")
    page.goto("/onboarding/")
    assert page.url.endswith(f"/onboarding/agencies/{OLYMPIA}/")
    axe_check(page, "onboarding-checklist-lasa")
    page.get_by_role("link", name="Technical Assessment Survey").click()
    axe_check(page, "onboarding-survey-draft")
    page.get_by_role("button", name="Submit the survey").click()
    assert page.url.endswith(f"/onboarding/agencies/{OLYMPIA}/survey/evaluation/")
    # Against the example version in force: the Getac on Windows 11 passes; the Windows 7 Toughbook needs review.
    assert "Needs WSP review" in page.content() and "Meets preferred" in page.content()
    axe_check(page, "onboarding-evaluation")

    # The clerk of the district court says it will accept the agency's e-tickets; AOC decides for the other court.
    _sign_out(page)
    sign_in(page, "clerk")
    page.goto("/onboarding/")
    assert page.url.endswith("/onboarding/courts/")
    axe_check(page, "onboarding-court-readiness")
    page.get_by_role("link", name="Olympia Police Department").click()
    axe_check(page, "onboarding-notice")
    page.get_by_label("Will accept the agency's e-tickets").check()
    page.get_by_label("From (if it will accept)").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record the decision").click()
    assert "will accept the agency" in page.content()
    axe_check(page, "onboarding-notice-decided")
    other = CourtNotice.objects.get(survey__onboarding__agency__ori=OLYMPIA, court__code="M34OLY")
    from sector.accounts.models import User

    notices.court_readiness_decide(notice=other, actor=User.objects.get(username="aoc"), decision="will_accept",
                                   accept_from=timezone.localdate())  # fmt: skip

    # WSP prepares the Service Level Agreement.
    _sign_out(page)
    sign_in(page, "wsp")
    page.goto(f"/onboarding/agencies/{OLYMPIA}/agreements/")
    axe_check(page, "onboarding-agreements-wsp")
    page.locator("#id_template").select_option(label="SECTOR Service Level Agreement (version 1)")
    page.get_by_role("button", name="Prepare and send to the agency").click()
    agreement = Agreement.objects.get(onboarding__agency__ori=OLYMPIA)
    assert page.url.endswith(f"/onboarding/agreements/{agreement.pk}/")

    # The LASA signs in the portal.
    _sign_out(page)
    sign_in(page, "lasa")
    page.goto(f"/onboarding/agreements/{agreement.pk}/")
    axe_check(page, "onboarding-agreement-to-sign")
    page.get_by_label("Signatory's full name").fill("Sam Okafor")
    page.get_by_label("Signatory's title").fill("Deputy Chief")
    page.get_by_label("Authority to sign").fill("Delegated by the Chief of Police under city policy 4.2.")
    page.get_by_label("I sign this agreement for the agency; typing my name is my signature.").check()
    page.get_by_role("button", name="Sign for Olympia Police Department").click()
    assert "Signed for the agency" in page.content()
    axe_check(page, "onboarding-agreement-signed")

    # WSP countersigns: executed, stored with its SHA-256.
    _sign_out(page)
    sign_in(page, "wsp")
    page.goto(f"/onboarding/agreements/{agreement.pk}/")
    page.get_by_role("button", name="Countersign and execute").click()
    agreement.refresh_from_db()
    assert agreement.status == "executed" and agreement.executed_sha256 in page.content()
    axe_check(page, "onboarding-agreement-executed")

    # Training: a sanctioned session Olympia's officer attended, and a court staff session for both courts.
    aoc, waspc, lasa = (User.objects.get(username=n) for n in ("aoc", "waspc", "lasa"))
    yesterday = timezone.now() - timedelta(days=1)
    event = {"starts_at": yesterday, "capacity": 10}
    sanctioned = training.event_create(actor=waspc, kind="sanctioned", title="Sanctioned training — Olympia",
                                       place="Olympia PD", trainer="Joan Smith", **event)  # fmt: skip
    officer = Person.objects.get(agency__ori=OLYMPIA, personnel_number="OPD-1142")
    training.registration_add(event=sanctioned, person=officer, actor=lasa)
    court_event = training.event_create(actor=aoc, kind="court_staff", title="Court staff e-ticket intake",
                                        place="AOC", trainer="Lori Murphy", **event)  # fmt: skip
    olympia_court = Court.objects.get(code="M34OLY")
    Person.objects.create(first_name="Ruth", last_name="Abara", kind="court_staff", court=olympia_court)
    for person in Person.objects.filter(court__code__in=["D34", "M34OLY"]):
        training.registration_add(event=court_event, person=person, actor=aoc)

    _sign_out(page)
    sign_in(page, "aoc")
    page.goto(court_event.get_absolute_url())
    axe_check(page, "training-court-event-aoc")
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Save attendance").click()
    page.get_by_role("button", name="Complete the event and issue certificates").click()
    assert TrainingEvent.objects.get(pk=court_event.pk).status == "completed"

    # WASPC records attendance at the sanctioned session and completes it.
    _sign_out(page)
    sign_in(page, "waspc")
    page.goto("/training/")
    axe_check(page, "training-events-waspc")
    page.goto(sanctioned.get_absolute_url())
    page.get_by_label(f"Present: {officer.full_name}").check()
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved: 1 present" in page.content()
    page.get_by_role("button", name="Complete the event and issue certificates").click()
    assert "1 training record(s)" in page.content()
    axe_check(page, "training-event-completed")

    # WASPC sees steps 5 and 6 complete on Olympia's checklist, and the agency ready for go-live.
    page.goto(f"/onboarding/agencies/{OLYMPIA}/")
    axe_check(page, "onboarding-checklist-waspc-after-training")
    onboarding = AgencyOnboarding.objects.get(agency__ori=OLYMPIA)
    done = set(onboarding.steps.filter(status="done").values_list("step__number", flat=True))
    assert {2, 3, 5, 6} <= done
    step5 = page.locator("#step-5")
    step6 = page.locator("#step-6")
    assert "Done" in step5.inner_text() and "Done" in step6.inner_text()
    assert "sanctioned training" in step5.inner_text()
    page.goto("/onboarding/")
    axe_check(page, "onboarding-pipeline-waspc")
    page.goto("/")
    axe_check(page, "home-waspc-dashboard")
    assert not page.console_errors, page.console_errors
