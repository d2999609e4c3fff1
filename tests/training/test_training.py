import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from sector.accounts.models import User
from sector.core.models import AuditEntry
from sector.onboarding.choices import StepStatus
from sector.onboarding.errors import OnboardingError
from sector.onboarding.lasa import services as lasa
from sector.onboarding.survey import services as ssvc
from sector.orgs.models import Person
from sector.training import services
from sector.training.choices import EventStatus
from sector.training.models import TrainingRecord
from tests.onboarding.helpers import fill_survey, start
from tests.training.helpers import court_staff, event, officer

pytestmark = pytest.mark.django_db


def _complete(world, ev, people, who="waspc"):
    regs = [services.registration_add(event=ev, person=p, actor=world.users[who]) for p in people]
    services.attendance_mark(event=ev, actor=world.users[who], attended_ids={r.pk for r in regs})
    return services.event_complete(event=ev, actor=world.users[who])


def test_capacity_is_enforced(world):
    ev = event(world, capacity=2)
    a, b, c = officer(world), officer(world), officer(world)
    services.registration_add(event=ev, person=a, actor=world.users["lasa"])
    services.registration_add(event=ev, person=b, actor=world.users["lasa"])
    with pytest.raises(services.TrainingError, match="full: 2 of 2 seats"):
        services.registration_add(event=ev, person=c, actor=world.users["lasa"])
    assert ev.registrations.count() == 2
    assert AuditEntry.objects.filter(action="training.registration.add_refused").count() == 1


def test_a_person_registers_once(world):
    ev, a = event(world), officer(world)
    services.registration_add(event=ev, person=a, actor=world.users["lasa"])
    with pytest.raises(services.TrainingError, match="already registered"):
        services.registration_add(event=ev, person=a, actor=world.users["waspc"])


def test_a_lasa_registers_only_their_own_officers_and_aoc_court_staff(world):
    ev = event(world)
    with pytest.raises(services.TrainingError):
        services.registration_add(event=ev, person=officer(world, world.agency_b), actor=world.users["lasa"])
    court_ev = event(world, "court_staff")
    with pytest.raises(services.TrainingError, match="AOC registers"):
        services.registration_add(event=court_ev, person=court_staff(world), actor=world.users["lasa"])
    services.registration_add(event=court_ev, person=court_staff(world), actor=world.users["aoc"])


def test_only_the_coordinator_marks_attendance_and_completes(world):
    ev = event(world)
    reg = services.registration_add(event=ev, person=officer(world), actor=world.users["lasa"])
    with pytest.raises(services.TrainingError, match="Only the WASPC coordinator"):
        services.attendance_mark(event=ev, actor=world.users["aoc"], attended_ids={reg.pk})
    with pytest.raises(services.TrainingError, match="Mark attendance"):
        services.event_complete(event=ev, actor=world.users["waspc"])
    with pytest.raises(services.TrainingError, match="not registered"):
        services.attendance_mark(event=ev, actor=world.users["waspc"], attended_ids={reg.pk + 999})


def test_an_event_in_the_future_cannot_be_completed(world):
    ev = event(world, days=3)
    reg = services.registration_add(event=ev, person=officer(world), actor=world.users["lasa"])
    services.attendance_mark(event=ev, actor=world.users["waspc"], attended_ids={reg.pk})
    with pytest.raises(services.TrainingError, match="not taken place"):
        services.event_complete(event=ev, actor=world.users["waspc"])


def test_completing_creates_records_for_attendees_only_and_certificates(world, django_capture_on_commit_callbacks):
    ev = event(world)
    present, absent = officer(world, email="p@example.test"), officer(world)
    regs = [services.registration_add(event=ev, person=p, actor=world.users["lasa"]) for p in (present, absent)]
    services.attendance_mark(event=ev, actor=world.users["waspc"], attended_ids={regs[0].pk})
    with django_capture_on_commit_callbacks(execute=True):
        records = services.event_complete(event=ev, actor=world.users["waspc"])
    assert [r.person for r in records] == [present]
    ev.refresh_from_db()
    assert ev.status == EventStatus.COMPLETED
    assert any("certificate" in m.subject for m in mail.outbox if m.to == ["p@example.test"])
    record = TrainingRecord.objects.get()
    pdf = world.client_for("lasa").get(reverse("training:certificate", args=[record.pk]))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert present.full_name in text and "Olympia Police Department" in text and record.certificate_number in text
    with pytest.raises(services.TrainingError, match="already completed"):
        services.event_complete(event=ev, actor=world.users["waspc"])
    with pytest.raises(services.TrainingError, match="closed"):
        services.registration_add(event=ev, person=officer(world), actor=world.users["lasa"])


def test_step_5_completes_when_the_required_number_of_officers_is_trained(world):
    onboarding = start(world)
    onboarding.required_trained_officers = 2
    onboarding.save()
    _complete(world, event(world), [officer(world)])
    assert onboarding.steps.get(step__number=5).status == StepStatus.OPEN
    _complete(world, event(world), [officer(world)])
    step = onboarding.steps.get(step__number=5)
    assert step.status == StepStatus.DONE and step.automatic and "2 officer(s)" in step.evidence_text


def test_step_6_completes_when_every_court_of_jurisdiction_has_trained_staff(world):
    onboarding = start(world)
    survey = fill_survey(world, onboarding)  # courts A and B
    ssvc.survey_submit(survey=survey, actor=world.users["lasa"])
    _complete(world, event(world, "court_staff"), [court_staff(world, world.court_a)], who="aoc")
    assert onboarding.steps.get(step__number=6).status == StepStatus.OPEN
    _complete(world, event(world, "court_staff"), [court_staff(world, world.court_b)], who="aoc")
    assert onboarding.steps.get(step__number=6).status == StepStatus.DONE


def test_aoc_can_mark_step_6_not_necessary_with_a_reason(world):
    from sector.onboarding.checklist import services as onb

    onboarding = start(world)
    reason = "Not necessary: court staff already trained for another agency's e-tickets"
    step = onb.step_complete(onboarding=onboarding, number=6, actor=world.users["aoc"], note=reason)
    assert step.status == StepStatus.DONE and "Not necessary" in step.note


def test_an_officer_account_is_activated_only_once_trained(world):
    lasa_user = world.users["lasa"]
    new = lasa.agency_user_invite(agency=world.agency_a, actor=lasa_user, first_name="Kim", last_name="Lee",
                                  email="kim.lee@example.test", role="officer",
                                  personnel_number="OPD-2001")  # fmt: skip
    person = Person.objects.get(user=new)  # the invitation tied the account to the agency's person record
    with pytest.raises(OnboardingError, match="No completed sanctioned officer training"):
        lasa.agency_user_activate(agency=world.agency_a, actor=lasa_user, target_id=new.pk)
    users_url = reverse("onboarding:users", args=[world.agency_a.ori])
    row = next(r for r in world.client_for("lasa").get(users_url).context["rows"] if r["user"] == new)
    assert row["trained"] is False
    _complete(world, event(world), [person])
    row = next(r for r in world.client_for("lasa").get(users_url).context["rows"] if r["user"] == new)
    assert row["trained"] is True  # the LASA sees who is trained
    lasa.agency_user_activate(agency=world.agency_a, actor=lasa_user, target_id=new.pk)
    assert User.objects.get(pk=new.pk).is_active


def test_training_history_follows_the_person_to_another_agency(world):
    person = officer(world)
    _complete(world, event(world), [person])
    person.agency = world.agency_b
    person.save()
    record = TrainingRecord.objects.get(person=person)
    assert record.agency_at_time == world.agency_a
    page = world.client_for("lasa2").get(reverse("training:person", args=[person.pk]))
    assert page.status_code == 200 and "sanctioned training" in page.content.decode()
    assert world.client_for("lasa").get(reverse("training:person", args=[person.pk])).status_code == 404


def test_an_agencys_own_session_is_seen_only_by_that_agency(world):
    ev = event(world, "ttt", days=5, host=world.agency_a)
    assert world.client_for("lasa").get(ev.get_absolute_url()).status_code == 200
    assert world.client_for("lasa2").get(ev.get_absolute_url()).status_code == 404
    assert world.client_for("waspc").get(ev.get_absolute_url()).status_code == 200


def test_pages_register_and_mark_attendance(world):
    ev = event(world)
    person = officer(world)
    lasa_client = world.client_for("lasa")
    lasa_client.post(reverse("training:register", args=[ev.pk]), {"person": person.pk})
    reg = ev.registrations.get()
    page = world.client_for("waspc").get(ev.get_absolute_url()).content.decode()
    assert "Save attendance" in page and person.full_name in page
    world.client_for("waspc").post(reverse("training:attendance", args=[ev.pk]), {"attended": [reg.pk]})
    world.client_for("waspc").post(reverse("training:complete", args=[ev.pk]))
    assert TrainingRecord.objects.filter(person=person).exists()
    # lasa2 sees the program event but not agency A's people on its roster.
    other_view = world.client_for("lasa2").get(ev.get_absolute_url())
    assert "WASPC, Lacey" in other_view.content.decode() and other_view.context["registrations"] == []


def test_event_list_costs_the_same_queries_at_two_sizes(world, django_assert_max_num_queries):
    client = world.client_for("waspc")
    url = reverse("training:events")
    for _ in range(2):
        event(world, days=4)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for _ in range(20):
        ev = event(world, days=6)
        services.registration_add(event=ev, person=officer(world), actor=world.users["lasa"])
    with django_assert_max_num_queries(12) as large:
        response = client.get(url)
    assert len(response.context["rows"]) == 22
    assert len(small.captured_queries) == len(large.captured_queries)
