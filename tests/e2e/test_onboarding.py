"""Onboarding and training in a real browser, on the demo data: Tumwater's agency contact submits the survey,
the court's clerk decides readiness, WSP prepares the agreement, the contact signs, WSP countersigns, AOC and
WASPC record attendance, WASPC sets the officers to train, and sees steps 5 and 6 complete. axe-core on every
page visited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sector.onboarding.models import AgencyOnboarding, Agreement, CourtNotice
from sector.onboarding.notices import services as notices
from sector.orgs.models import Person
from sector.training import services as training
from sector.training.models import TrainingEvent

TUMWATER = "WA0340300"
CONTACT = "rosa.alvarez@wa0340300.example.wa.gov"  # the demo's agency contact (sector.onboarding.demo)
DEMO_PASSWORD = "sector-demo"


def _sign_out(page):
    page.context.clear_cookies()


@pytest.mark.django_db(transaction=True)
def test_contact_survey_agreement_wsp_countersigns_training_completes_steps(page, sign_in, axe_check):
    from sector.accounts.models import User

    contact = User.objects.get(username=CONTACT)  # invited: sets a password from the emailed link
    contact.set_password(DEMO_PASSWORD)
    contact.save()
    # The agency contact finishes the draft survey the demo left and submits it.
    sign_in(page, CONTACT)
    page.goto("/onboarding/")
    assert page.url.endswith(f"/onboarding/agencies/{TUMWATER}/")
    axe_check(page, "onboarding-checklist-contact")
    page.get_by_role("link", name="Technical Assessment Survey").click()
    axe_check(page, "onboarding-survey-draft")
    page.get_by_role("button", name="Submit the survey").click()
    # Submitting cannot be undone: the portal says what will happen and asks first.
    assert "can no longer be changed" in page.content()
    axe_check(page, "onboarding-survey-submit-confirm")
    page.get_by_role("button", name="Submit the survey and notify the courts").click()
    assert page.url.endswith(f"/onboarding/agencies/{TUMWATER}/survey/evaluation/")
    # Against the example version in force: the Getac on Windows 11 passes; the Windows 7 Toughbook needs review.
    assert "Needs WSP review" in page.content() and "Meets preferred" in page.content()
    axe_check(page, "onboarding-evaluation")

    # The clerk of the district court says it will accept the agency's e-tickets; AOC decides for the other court.
    _sign_out(page)
    sign_in(page, "clerk")
    page.goto("/onboarding/")
    assert page.url.endswith("/onboarding/courts/")
    axe_check(page, "onboarding-court-readiness")
    page.get_by_role("link", name="Tumwater Police Department").click()
    axe_check(page, "onboarding-notice")
    page.get_by_label("Will accept the agency's e-tickets").check()
    page.get_by_label("From (if it will accept)").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    assert page.get_by_label("Decided for the court by").input_value() == "Dana Whitfield"
    page.get_by_label("Their title").fill("Court Administrator")
    page.get_by_role("button", name="Record the decision").click()
    assert "will accept the agency" in page.content()
    assert "Decided for the court by <strong>Dana Whitfield</strong>, Court Administrator" in page.content()
    axe_check(page, "onboarding-notice-decided")
    other = CourtNotice.objects.get(survey__onboarding__agency__ori=TUMWATER, court__code="M34TUM")
    notices.court_readiness_decide(notice=other, actor=User.objects.get(username="aoc"), decision="will_accept",
                                   accept_from=timezone.localdate())  # fmt: skip

    # WSP prepares the Service Level Agreement.
    _sign_out(page)
    sign_in(page, "wsp")
    page.goto(f"/onboarding/agencies/{TUMWATER}/agreements/")
    axe_check(page, "onboarding-agreements-wsp")
    page.locator("#id_template").select_option(label="SECTOR Service Level Agreement (version 1)")
    page.get_by_role("button", name="Prepare and send to the agency").click()
    agreement = Agreement.objects.get(onboarding__agency__ori=TUMWATER)
    assert page.url.endswith(f"/onboarding/agreements/{agreement.pk}/")

    # The contact signs in the portal.
    _sign_out(page)
    sign_in(page, CONTACT)
    page.goto(f"/onboarding/agreements/{agreement.pk}/")
    axe_check(page, "onboarding-agreement-to-sign")
    page.get_by_label("Signatory's full name").fill("Rosa Alvarez")
    page.get_by_label("Signatory's title").fill("Deputy Chief")
    page.get_by_label("Authority to sign").fill("Delegated by the Chief of Police under city policy 4.2.")
    page.get_by_label("I sign this agreement for the agency; typing my name is my signature.").check()
    page.get_by_role("button", name="Sign for Tumwater Police Department").click()
    assert "Signed for the agency" in page.content()
    axe_check(page, "onboarding-agreement-signed")

    # WSP countersigns: executed, stored with its SHA-256.
    _sign_out(page)
    sign_in(page, "wsp")
    page.goto(f"/onboarding/agreements/{agreement.pk}/")
    page.get_by_role("button", name="Countersign and execute").click()
    assert "can never be changed or replaced" in page.content()
    axe_check(page, "onboarding-countersign-confirm")
    page.get_by_role("button", name="Countersign and execute").click()
    agreement.refresh_from_db()
    assert agreement.status == "executed" and agreement.executed_sha256 in page.content()
    axe_check(page, "onboarding-agreement-executed")

    # Training: a sanctioned session a new Tumwater officer attended, and a court staff session for M34TUM's
    # staff (the demo trained D34's for Olympia).
    aoc, waspc = (User.objects.get(username=n) for n in ("aoc", "waspc"))
    yesterday = timezone.now() - timedelta(days=1)
    event = {"starts_at": yesterday, "capacity": 10}
    sanctioned = training.event_create(actor=waspc, kind="sanctioned", title="Sanctioned training — Tumwater",
                                       place="Tumwater PD", trainer="Joan Smith", **event)  # fmt: skip
    court_event = training.event_create(actor=aoc, kind="court_staff", title="Court staff e-ticket intake",
                                        place="AOC", trainer="Lori Murphy", **event)  # fmt: skip
    for person in Person.objects.filter(court__code="M34TUM"):
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

    # WASPC finds the officer by name (not yet in the registry), adds and registers him, records attendance
    # and completes the session.
    _sign_out(page)
    sign_in(page, "waspc")
    page.goto("/training/")
    axe_check(page, "training-events-waspc")
    page.goto(sanctioned.get_absolute_url())
    page.get_by_label("Find a person").fill("Lee Park")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("Nobody matches “Lee Park”").wait_for()
    page.get_by_text("Not in the registry? Add a new person and register them").click()
    page.get_by_label("First name").fill("Lee")
    page.get_by_label("Last name").fill("Park")
    page.get_by_label("Agency").select_option(label=f"Tumwater Police Department ({TUMWATER})")
    page.get_by_label("Personnel or badge number").fill("TPD-77")
    page.get_by_role("button", name="Add and register").click()
    assert "Lee Park added to the registry and registered" in page.content()
    axe_check(page, "training-event-registered")
    officer = Person.objects.get(agency__ori=TUMWATER, personnel_number="TPD-77")
    page.get_by_label(f"Present: {officer.full_name}").check()
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved: 1 present" in page.content()
    page.get_by_role("button", name="Complete the event and issue certificates").click()
    assert "1 training record(s)" in page.content()
    axe_check(page, "training-event-completed")

    # The survey reports 64 sworn officers; WASPC sets the first phase's target on the coverage page.
    page.goto("/training/coverage/")
    axe_check(page, "training-coverage")
    page.get_by_role("link", name="named at Tumwater Police Department").click()
    assert "Still untrained" in page.content() and "1</strong> of <strong>64" in page.content()
    axe_check(page, "training-coverage-agency")
    page.get_by_label("Officers to train").fill("1")
    page.get_by_role("button", name="Save the target").click()
    assert "Officers to train: 1 (target set by WASPC)" in page.content()

    # WASPC sees steps 5 and 6 complete on Olympia's checklist, and the agency ready for go-live.
    page.goto(f"/onboarding/agencies/{TUMWATER}/")
    axe_check(page, "onboarding-checklist-waspc-after-training")
    onboarding = AgencyOnboarding.objects.get(agency__ori=TUMWATER)
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
