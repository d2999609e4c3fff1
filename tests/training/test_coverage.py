"""Training coverage with real targets (issue 11, item 11): the officers to train come from the survey or a
WASPC target; each agency's row links to the names still untrained; court staff coverage counts AOC records
of the court's staff. Registering someone searches the registry and can add a new person."""

import pytest
from django.urls import reverse

from sector.core.models import AuditEntry
from sector.onboarding.choices import StepStatus
from sector.orgs.models import Person
from sector.training import services
from sector.training.models import Registration
from tests.onboarding.helpers import fill_survey, start
from tests.training.helpers import court_staff, event, officer

pytestmark = pytest.mark.django_db


def _train(world, people, kind="sanctioned", who="waspc"):
    ev = event(world, kind)
    actor = world.users["aoc" if kind == "court_staff" else "lasa"]
    regs = [services.registration_add(event=ev, person=p, actor=actor) for p in people]
    services.attendance_mark(event=ev, actor=world.users[who], attended_ids={r.pk for r in regs})
    services.event_complete(event=ev, actor=world.users[who])


def test_the_officers_to_train_come_from_the_survey_unless_waspc_sets_a_target(world):
    onboarding = start(world)
    assert onboarding.required_trained_officers is None
    assert onboarding.officer_target()[0] is None  # no survey yet: not known
    fill_survey(world, onboarding)  # 60 sworn officers
    onboarding.refresh_from_db()
    assert onboarding.officer_target() == (60, "sworn officers in the survey")
    services.officer_target_set(onboarding=onboarding, actor=world.users["waspc"], target=2)
    onboarding.refresh_from_db()
    assert onboarding.officer_target() == (2, "target set by WASPC")
    entry = AuditEntry.objects.get(action="training.officer_target.changed")
    assert entry.changes == {"required_trained_officers": [None, 2]}
    with pytest.raises(services.TrainingError, match="Only the WASPC coordinator"):
        services.officer_target_set(onboarding=onboarding, actor=world.users["wsp"], target=3)


def test_step_5_waits_for_the_surveys_sworn_officers_and_completes_when_waspc_lowers_the_target(world):
    onboarding = start(world)
    fill_survey(world, onboarding)
    _train(world, [officer(world), officer(world)])
    assert onboarding.steps.get(step__number=5).status == StepStatus.OPEN  # 2 of 60
    services.officer_target_set(onboarding=onboarding, actor=world.users["waspc"], target=2)
    step = onboarding.steps.get(step__number=5)
    assert step.status == StepStatus.DONE and "required: 2, target set by WASPC" in step.evidence_text


def test_the_coverage_page_links_each_agency_to_its_untrained_officers(world, django_assert_max_num_queries):
    onboarding = start(world)
    fill_survey(world, onboarding)
    trained, _waiting = (
        officer(world, last_name="Trained"),
        officer(world, last_name="Waiting", personnel_number="OPD-7"),
    )
    officer(world, last_name="Gone", active=False)
    _train(world, [trained])
    client = world.client_for("waspc")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("training:coverage"))
    row = page.context["agencies"][0]
    assert (row.target, row.trained, row.untrained, row.to_go) == (60, 1, 1, 59)
    link = reverse("training:coverage_agency", kwargs={"ori": world.agency_a.ori})
    assert link in page.content.decode()
    detail = client.get(link)
    assert [p.last_name for p in detail.context["untrained"]] == ["Waiting"]
    assert "OPD-7" in detail.content.decode() and "Trained" in detail.content.decode()
    assert "Gone" not in detail.content.decode()
    response = client.post(reverse("training:officer_target", kwargs={"ori": world.agency_a.ori}), {"target": "1"})
    assert response["Location"] == link
    onboarding.refresh_from_db()
    assert onboarding.steps.get(step__number=5).status == StepStatus.DONE


def test_court_staff_coverage_counts_the_aoc_records_of_the_courts_active_staff(world):
    trained, _untrained = court_staff(world), court_staff(world)
    court_staff(world, active=False)
    _train(world, [trained], kind="court_staff", who="aoc")
    _train(world, [officer(world)])  # a sanctioned officer record does not count for a court
    page = world.client_for("aoc").get(reverse("training:coverage"))
    court = next(c for c in page.context["courts"] if c.pk == world.court_a.pk)
    assert (court.trained, court.staff) == (1, 2)
    assert "1 of 2" in page.content.decode()


def test_registering_searches_by_name_agency_and_personnel_number(world):
    ev = event(world, days=3)
    delgado = officer(world, first_name="Maria", last_name="Delgado", personnel_number="OPD-1142")
    officer(world, first_name="Kevin", last_name="Oduya", personnel_number="OPD-1203")
    officer(world, agency=world.agency_b, first_name="Maria", last_name="Walsh", personnel_number="SPD-1")
    client = world.client_for("waspc")
    url = ev.get_absolute_url()

    def found(q):
        return [p.last_name for p in client.get(url, {"q": q}).context["candidates"]]

    assert found("delgado") == ["Delgado"]
    assert found("OPD-1142") == ["Delgado"]
    assert found("maria olympia") == ["Delgado"]
    assert found("Maria") == ["Delgado", "Walsh"]
    assert found("Spokane") == ["Walsh"]
    assert world.client_for("lasa").get(url, {"q": "Maria"}).context["candidates"] == [delgado]  # own agency only
    partial = client.get(url, {"q": "oduya"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="register-results"')
    client.post(reverse("training:register", args=[ev.pk]), {"person": delgado.pk})
    assert found("delgado") == []  # registered people are not offered again


def test_a_new_person_is_added_to_the_registry_and_registered(world):
    ev = event(world, days=3)
    client = world.client_for("lasa")
    url = reverse("training:register_new", args=[ev.pk])
    data = {"first_name": "Nia", "last_name": "Brooks", "personnel_number": "OPD-2001", "email": "nia@example.test",
            "agency": world.agency_a.pk}  # fmt: skip
    response = client.post(url, data)
    assert response["Location"] == ev.get_absolute_url()
    person = Person.objects.get(personnel_number="OPD-2001")
    assert (person.agency, person.kind) == (world.agency_a, "officer")
    assert Registration.objects.filter(event=ev, person=person).exists()
    assert AuditEntry.objects.filter(action="orgs.person.created", object_id=str(person.pk)).exists()
    again = client.post(url, {**data, "first_name": "Other"})
    assert again.status_code == 400 and "personnel number" in again.content.decode()
    missing = client.post(url, {**data, "personnel_number": ""})
    assert missing.status_code == 400 and "matched to officers by it" in missing.content.decode()
    # A LASA cannot add an officer to another agency.
    other = client.post(url, {**data, "personnel_number": "SPD-9", "agency": world.agency_b.pk})
    assert other.status_code == 400 and not Person.objects.filter(personnel_number="SPD-9").exists()


def test_a_full_event_adds_nobody(world):
    ev = event(world, days=3, capacity=1)
    services.registration_add(event=ev, person=officer(world), actor=world.users["waspc"])
    response = world.client_for("waspc").post(
        reverse("training:register_new", args=[ev.pk]),
        {"first_name": "Nia", "last_name": "Brooks", "personnel_number": "OPD-2001", "agency": world.agency_a.pk},
    )
    assert response.status_code == 400 and "full" in response.content.decode()
    assert not Person.objects.filter(personnel_number="OPD-2001").exists()
