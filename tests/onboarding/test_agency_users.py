"""The LASA's user list and invitation carry the badge or personnel number and the last sign-in; deactivating an
account asks for confirmation first and says when the account cannot come back (issue 11, items 6 and 7)."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sector.accounts.models import User
from sector.core.models import AuditEntry
from sector.onboarding.errors import OnboardingError
from sector.onboarding.lasa import services as svc
from sector.orgs.models import Person
from tests.factories import run_seed_demo

pytestmark = pytest.mark.django_db


def _invite(world, **fields):
    data = {"first_name": "Kim", "last_name": "Lee", "email": "kim.lee@example.test", "role": "officer",
            "personnel_number": "OPD-2001", **fields}  # fmt: skip
    return svc.agency_user_invite(agency=world.agency_a, actor=world.users["lasa"], **data)


def test_an_invited_officer_gets_a_person_record_with_the_personnel_number(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        officer = _invite(world)
    person = Person.objects.get(user=officer)
    assert (person.agency, person.personnel_number, person.full_name) == (world.agency_a, "OPD-2001", "Kim Lee")
    assert "OPD-2001" in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="onboarding.person.linked")
    assert entry.data["personnel_number"] == "OPD-2001" and entry.data["new_person"] is True


def test_an_officer_on_a_roster_is_tied_to_the_record_the_agency_already_has(world):
    roster = Person.objects.create(agency=world.agency_a, first_name="Kevin", last_name="Oduya",
                                   personnel_number="OPD-1203", kind="officer")  # fmt: skip
    officer = _invite(world, first_name="Kevin", last_name="Oduya", email="k.oduya@example.test",
                      personnel_number="opd-1203")  # fmt: skip
    roster.refresh_from_db()
    assert roster.user == officer and roster.personnel_number == "OPD-1203"
    assert Person.objects.filter(agency=world.agency_a, personnel_number__iexact="OPD-1203").count() == 1


def test_an_officer_needs_a_personnel_number_and_a_number_cannot_be_someone_elses(world):
    with pytest.raises(OnboardingError, match="badge or personnel number"):
        _invite(world, personnel_number=" ")
    Person.objects.create(agency=world.agency_a, first_name="Kevin", last_name="Oduya",
                          personnel_number="OPD-1203", kind="officer")  # fmt: skip
    with pytest.raises(OnboardingError, match="is Kevin Oduya's in the agency's records"):
        _invite(world, personnel_number="OPD-1203")
    Person.objects.create(agency=world.agency_a, first_name="Maria", last_name="Delgado",
                          personnel_number="OPD-1142", kind="officer", user=world.users["officer"])  # fmt: skip
    with pytest.raises(OnboardingError, match="already has an account"):
        _invite(world, last_name="Delgado", personnel_number="OPD-1142")
    assert not User.objects.filter(email="kim.lee@example.test").exists()
    assert AuditEntry.objects.filter(action="onboarding.user.invite_refused").count() == 3


def test_a_reviewer_may_be_invited_without_a_number(world):
    reviewer = _invite(world, role="collision_reviewer", personnel_number="")
    assert reviewer.is_active and Person.objects.get(user=reviewer).personnel_number == ""


def test_the_invitation_form_asks_for_the_number_and_the_list_shows_it_with_the_last_sign_in(world):
    client = world.client_for("lasa")
    url = reverse("onboarding:users", args=[world.agency_a.ori])
    page = client.get(url).content.decode()
    assert "Badge or personnel number" in page and 'name="personnel_number"' in page
    refused = client.post(reverse("onboarding:user_invite", args=[world.agency_a.ori]),
                          {"first_name": "Kim", "last_name": "Lee", "email": "kim@example.test", "role": "officer"},
                          follow=True)  # fmt: skip
    assert "Not invited. Badge or personnel number: Give the officer" in refused.content.decode()
    client.post(reverse("onboarding:user_invite", args=[world.agency_a.ori]),
                {"first_name": "Kim", "last_name": "Lee", "email": "kim@example.test", "role": "officer",
                 "personnel_number": "OPD-2001"})  # fmt: skip
    officer = world.users["officer"]
    User.objects.filter(pk=officer.pk).update(last_login=datetime(2026, 1, 15, 17, 5, tzinfo=UTC))
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert "OPD-2001" in page
    assert "Jan 15, 2026, 9:05 AM PST" in page  # Pacific time, with the zone
    assert "Never" in page  # Kim has not signed in yet
    for n in range(3):
        _invite(world, email=f"extra{n}@example.test", last_name=f"Extra{n}", personnel_number=f"OPD-30{n}")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)  # the list costs the same number of queries however many users it shows


def test_deactivating_asks_first_then_deactivates(world):
    client = world.client_for("lasa")
    officer = world.users["officer"]
    url = reverse("onboarding:user_deactivate", args=[world.agency_a.ori, officer.pk])
    asked = client.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Please confirm" in page
    assert "can no longer sign in" in page and "officer of record" in page
    assert User.objects.get(pk=officer.pk).is_active
    done = client.post(url, {"confirmed": "1"})
    assert done.status_code == 302 and not User.objects.get(pk=officer.pk).is_active
    assert AuditEntry.objects.filter(action="accounts.user.deactivated", actor=world.users["lasa"]).exists()


def test_deactivating_an_untrained_officer_says_the_account_cannot_come_back_until_training(world):
    officer = world.users["officer"]
    _target, consequences = svc.deactivation_consequences(
        agency=world.agency_a, actor=world.users["lasa"], target_id=officer.pk
    )
    text = " ".join(consequences)
    assert "cannot be activated again until a completed sanctioned officer training is recorded" in text
    page = world.client_for("lasa").post(reverse("onboarding:user_deactivate", args=[world.agency_a.ori, officer.pk]))
    assert "cannot be activated again" in page.content.decode()


def test_deactivating_a_reviewer_says_it_can_be_activated_again(world):
    reviewer = world.users["reviewer"]
    _target, consequences = svc.deactivation_consequences(
        agency=world.agency_a, actor=world.users["lasa"], target_id=reviewer.pk
    )
    assert "You can activate the account again from this page." in consequences
    assert not any("cannot be activated again" in c for c in consequences)


def test_nobody_is_asked_to_confirm_what_would_be_refused(world):
    client = world.client_for("lasa")
    officer = world.users["officer"]
    User.objects.filter(pk=officer.pk).update(is_active=False)
    response = client.post(reverse("onboarding:user_deactivate", args=[world.agency_a.ori, officer.pk]), follow=True)
    page = response.content.decode()
    assert "Please confirm" not in page and "already deactivated" in page


def test_no_demo_officer_is_active_without_a_completed_sanctioned_training():

    from sector.training.models import TrainingRecord

    run_seed_demo()
    active_officers = list(User.objects.filter(memberships__roles__name="officer", is_active=True).distinct())
    assert [u.username for u in active_officers] == ["officer"]  # the demo's officer persona can sign in
    for user in active_officers:
        assert TrainingRecord.objects.filter(person__user=user, kind="sanctioned").exists(), user
    assert AuditEntry.objects.filter(action="accounts.user.changed", changes__is_active=[False, True]).count() == 1
