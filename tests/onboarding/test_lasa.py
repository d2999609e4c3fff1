from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sector.accounts.models import User
from sector.core.models import AuditEntry
from sector.onboarding.choices import ProposalStatus, StepStatus
from sector.onboarding.errors import OnboardingError
from sector.onboarding.lasa import services as svc
from sector.onboarding.survey.services import edit_refusal, survey_for
from tests.factories import make_user
from tests.onboarding.helpers import start

pytestmark = pytest.mark.django_db


def _invite_contact(world, onboarding, email="chief.ruiz@example.test"):
    return svc.contact_invite(
        onboarding=onboarding, actor=world.users["waspc"], overview_on=timezone.localdate(), note="By phone",
        first_name="Ana", last_name="Ruiz", email=email,
    )  # fmt: skip


def test_waspc_invites_the_contact_with_a_set_password_link_and_step_1_completes(
    world, django_capture_on_commit_callbacks
):
    onboarding = start(world, world.agency_b)
    with django_capture_on_commit_callbacks(execute=True):
        contact = _invite_contact(world, onboarding)
    assert contact.username == "chief.ruiz@example.test" and not contact.has_usable_password()
    assert contact.role_names == frozenset({"agency_contact"})
    message = mail.outbox[-1]
    assert message.to == ["chief.ruiz@example.test"] and "/accounts/password/reset/" in message.body
    link = message.body.split("http://localhost:8000", 1)[1].split()[0]
    assert world.client_for("anonymous").get(link, follow=True).status_code == 200
    step = onboarding.steps.get(step__number=1)
    assert step.status == StepStatus.DONE and "chief.ruiz@example.test" in step.evidence_text


def test_the_contact_does_onboarding_work_and_nothing_else(world):
    onboarding = start(world, world.agency_b)
    contact = _invite_contact(world, onboarding)
    assert edit_refusal(contact, survey_for(onboarding)) == ""
    client = world.client_for("anonymous")
    client.force_login(contact)
    assert client.get(reverse("onboarding:agency", args=[world.agency_b.ori])).status_code == 200
    assert client.get(reverse("onboarding:agency", args=[world.agency_a.ori])).status_code == 404
    assert client.get(reverse("onboarding:users", args=[world.agency_b.ori])).status_code == 403
    assert client.get(reverse("orgs:court_list")).status_code == 403


def test_only_waspc_invites_the_contact_and_not_an_address_of_another_agency(world):
    onboarding = start(world, world.agency_b)
    with pytest.raises(OnboardingError, match="Only the WASPC"):
        svc.contact_invite(onboarding=onboarding, actor=world.users["wsp"], overview_on=timezone.localdate(), note="",
                           first_name="A", last_name="B", email="x@example.test")  # fmt: skip
    with pytest.raises(OnboardingError, match="outside"):
        _invite_contact(world, onboarding, email="lasa@example.test")  # lasa of agency A
    with pytest.raises(OnboardingError, match="future"):
        svc.contact_invite(onboarding=onboarding, actor=world.users["waspc"], note="", first_name="A", last_name="B",
                           overview_on=timezone.localdate() + timedelta(days=2), email="y@example.test")  # fmt: skip


def test_proposal_and_approval_grant_lasa_and_complete_step_4(world, django_capture_on_commit_callbacks):
    onboarding = start(world, world.agency_b)
    contact = _invite_contact(world, onboarding)
    proposal = svc.lasa_propose(
        onboarding=onboarding, actor=contact, primary_user=contact,
        backup_first_name="Ben", backup_last_name="Backup", backup_email="ben.backup@example.test",
    )  # fmt: skip
    with pytest.raises(OnboardingError, match="already awaiting"):
        svc.lasa_propose(onboarding=onboarding, actor=contact, primary_user=contact)
    with django_capture_on_commit_callbacks(execute=True):
        svc.lasa_decide(proposal=proposal, actor=world.users["wsp"], approve=True, note="Welcome")
    contact.refresh_from_db()
    from sector.accounts.scope import forget_scope

    forget_scope(contact)
    assert "lasa" in contact.role_names and "agency_contact" not in contact.role_names
    backup = User.objects.get(email="ben.backup@example.test")
    assert backup.role_names == frozenset({"lasa"})
    assert backup.memberships.get().agency == world.agency_b
    assert onboarding.steps.get(step__number=4).status == StepStatus.DONE
    assert any(m.subject == "SECTOR: LASA approved for Spokane Police Department" for m in mail.outbox)
    with pytest.raises(OnboardingError, match="already approved"):
        svc.lasa_decide(proposal=proposal, actor=world.users["wsp"], approve=False, note="x")


def test_decline_needs_a_note_and_only_wsp_decides(world):
    onboarding = start(world)
    proposal = svc.lasa_propose(onboarding=onboarding, actor=world.users["lasa"], primary_user=world.users["reviewer"])
    with pytest.raises(OnboardingError, match="Only WSP"):
        svc.lasa_decide(proposal=proposal, actor=world.users["waspc"], approve=True)
    with pytest.raises(OnboardingError, match="why"):
        svc.lasa_decide(proposal=proposal, actor=world.users["wsp"], approve=False)
    declined = svc.lasa_decide(proposal=proposal, actor=world.users["wsp"], approve=False, note="Needs IT experience")
    assert declined.status == ProposalStatus.DECLINED
    assert onboarding.steps.get(step__number=4).status == StepStatus.OPEN
    assert AuditEntry.objects.filter(action="onboarding.lasa.decide_refused").count() == 2


def test_a_proposal_names_only_people_of_the_agency(world):
    onboarding = start(world)
    with pytest.raises(OnboardingError, match="active user of"):
        svc.lasa_propose(onboarding=onboarding, actor=world.users["lasa"], primary_user=world.users["lasa2"])
    with pytest.raises(OnboardingError, match="own agency"):
        svc.lasa_propose(onboarding=onboarding, actor=world.users["lasa2"], primary_user=world.users["reviewer"])
    with pytest.raises(OnboardingError, match="first name"):
        svc.lasa_propose(onboarding=onboarding, actor=world.users["lasa"], primary_first_name="Only")


def test_the_lasa_pages(world):
    onboarding = start(world)
    lasa = world.client_for("lasa")
    url = reverse("onboarding:lasa", args=[world.agency_a.ori])
    assert "Propose the agency" in lasa.get(url).content.decode()
    bad = lasa.post(reverse("onboarding:lasa_propose", args=[world.agency_a.ori]), {"primary_email": "nope"})
    assert bad.status_code == 400 and "valid email" in bad.content.decode()
    ok = lasa.post(reverse("onboarding:lasa_propose", args=[world.agency_a.ori]),
                   {"primary_user": world.users["reviewer"].pk})  # fmt: skip
    assert ok.status_code == 302
    proposal = onboarding.lasa_proposals.get()
    wsp = world.client_for("wsp")
    assert "Record the decision" in wsp.get(url).content.decode()
    wsp.post(reverse("onboarding:lasa_decide", args=[proposal.pk]), {"decision": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED


# --- the LASA manages the agency's users ---------------------------------------------------------------


def test_lasa_invites_an_officer_who_waits_for_training(world):
    officer = svc.agency_user_invite(agency=world.agency_a, actor=world.users["lasa"], first_name="Kim",
                                     last_name="Lee", email="kim.lee@example.test", role="officer",
                                     personnel_number="OPD-2001")  # fmt: skip
    assert not officer.is_active
    assert not officer.groups.exists()  # agency roles are held on the membership, not by the user
    assert officer.memberships.get().agency == world.agency_a
    assert set(officer.memberships.get().roles.values_list("name", flat=True)) == {"officer"}
    with pytest.raises(OnboardingError, match="cannot be activated yet"):
        svc.agency_user_activate(agency=world.agency_a, actor=world.users["lasa"], target_id=officer.pk)
    officer.refresh_from_db()
    assert not officer.is_active
    assert AuditEntry.objects.filter(action="onboarding.user.activate_refused").exists()


def test_lasa_changes_roles_and_deactivates_within_the_agency_only(world):
    reviewer = world.users["reviewer"]
    # An active reviewer is not turned into an untrained active officer: the training gate holds on this path.
    with pytest.raises(OnboardingError, match="cannot be an active officer yet"):
        svc.agency_user_set_role(agency=world.agency_a, actor=world.users["lasa"], target_id=reviewer.pk,
                                 role="officer")  # fmt: skip
    assert svc.roles_at(reviewer, world.agency_a) == {"collision_reviewer"}
    svc.agency_user_deactivate(agency=world.agency_a, actor=world.users["lasa"], target_id=reviewer.pk)
    svc.agency_user_set_role(agency=world.agency_a, actor=world.users["lasa"], target_id=reviewer.pk, role="officer")
    assert svc.roles_at(reviewer, world.agency_a) == {"officer"}  # inactive: activation will check the training
    svc.agency_user_deactivate(agency=world.agency_a, actor=world.users["lasa"], target_id=world.users["officer"].pk)
    assert not User.objects.get(pk=world.users["officer"].pk).is_active
    outsider_officer = make_user("b_officer", "officer", agency=world.agency_b)
    with pytest.raises(OnboardingError, match="not an officer or collision reviewer of your agency"):
        svc.agency_user_deactivate(agency=world.agency_a, actor=world.users["lasa"], target_id=outsider_officer.pk)
    with pytest.raises(OnboardingError, match="own agency"):
        svc.agency_user_deactivate(agency=world.agency_b, actor=world.users["lasa"], target_id=outsider_officer.pk)
    with pytest.raises(OnboardingError, match="not an officer"):
        svc.agency_user_deactivate(agency=world.agency_a, actor=world.users["lasa"], target_id=world.users["lasa"].pk)
    with pytest.raises(OnboardingError, match="Only the agency's LASA"):
        svc.agency_user_deactivate(agency=world.agency_a, actor=world.users["waspc"], target_id=world.users["lasa"].pk)
    assert User.objects.get(pk=outsider_officer.pk).is_active


def test_the_users_page(world):
    client = world.client_for("lasa")
    page = client.get(reverse("onboarding:users", args=[world.agency_a.ori]))
    listed = {row["user"].username for row in page.context["rows"]}
    assert listed == {"officer", "reviewer"}  # not the LASA, not another agency's people
    response = client.post(reverse("onboarding:user_invite", args=[world.agency_a.ori]),
                           {"first_name": "Kim", "last_name": "Lee", "email": "bad", "role": "officer"})  # fmt: skip
    assert response.status_code == 302 and not User.objects.filter(last_name="Lee").exists()
    kim = {"first_name": "Kim", "last_name": "Lee", "email": "kim@example.test", "role": "collision_reviewer"}
    client.post(reverse("onboarding:user_invite", args=[world.agency_a.ori]), kim)
    assert User.objects.get(email="kim@example.test").is_active
