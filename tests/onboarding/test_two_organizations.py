"""The two-organization user (issue 12): LASA of agency B who is also an officer at agency A. A role belongs to
a membership, so at A this user is an officer — they cannot manage A's users, sign A's agreement, edit A's
survey, propose A's LASA, complete A's LASA step or run A's training — and at B they are the LASA."""

import pytest
from django.urls import reverse

from sector.core.permissions import can
from sector.onboarding.agreements import services as agreements
from sector.onboarding.checklist import services as checklist
from sector.onboarding.choices import Step
from sector.onboarding.errors import OnboardingError
from sector.onboarding.lasa import services as lasa
from sector.onboarding.survey import services as survey
from sector.training import services as training
from tests.matrix import make_two_org_user
from tests.onboarding.helpers import prepare_agreement, start
from tests.training.helpers import event, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_org(world):
    return make_two_org_user(world)


def test_at_agency_a_they_do_not_manage_users(world, two_org):
    assert not can(two_org, "manage_users", world.agency_a) and can(two_org, "manage_users", world.agency_b)
    with pytest.raises(OnboardingError, match="own agency's users"):
        lasa.agency_user_deactivate(agency=world.agency_a, actor=two_org, target_id=world.users["reviewer"].pk)
    client = world.client_for(two_org.username)
    assert client.get(reverse("onboarding:users", args=[world.agency_a.ori])).status_code == 403
    assert client.get(reverse("onboarding:users", args=[world.agency_b.ori])).status_code == 200


def test_at_agency_a_they_do_not_sign_the_agreement(world, two_org):
    agreement = prepare_agreement(world, start(world))
    assert agreements.sign_refusal(two_org, agreement) == "You can sign agreements only for your own agency."
    with pytest.raises(OnboardingError, match="own agency"):
        agreements.agreement_sign(agreement=agreement, actor=two_org, name="X", title="Y", authority="Z", ip=None)
    client = world.client_for(two_org.username)
    page = client.get(agreement.get_absolute_url())
    sign_url = reverse("onboarding:agreement_sign", args=[agreement.pk])
    assert page.status_code == 200 and sign_url not in page.content.decode()
    data = {"signatory_name": "X", "signatory_title": "Y", "authority": "Z", "confirm": "on"}
    assert client.post(reverse("onboarding:agreement_sign", args=[agreement.pk]), data).status_code == 403
    b_agreement = prepare_agreement(world, start(world, world.agency_b))
    assert agreements.sign_refusal(two_org, b_agreement) == ""


def test_at_agency_a_the_survey_is_read_only(world, two_org):
    onboarding = start(world)
    with pytest.raises(OnboardingError, match="own agency"):
        survey.survey_save(survey=onboarding.survey, actor=two_org, data={"contact_name": "x"})
    client = world.client_for(two_org.username)
    page = client.get(reverse("onboarding:survey", args=[world.agency_a.ori]))
    assert page.status_code == 200 and "Save draft" not in page.content.decode()
    assert client.post(reverse("onboarding:survey", args=[world.agency_a.ori]), {}).status_code == 403
    b = start(world, world.agency_b)
    assert survey.edit_refusal(two_org, b.survey) == ""


def test_at_agency_a_they_propose_no_lasa_and_complete_no_lasa_step(world, two_org):
    onboarding = start(world)
    with pytest.raises(OnboardingError, match="only for your own agency"):
        lasa.lasa_propose(onboarding=onboarding, actor=two_org, primary_user=world.users["reviewer"])
    step = onboarding.steps.select_related("step", "onboarding").get(step__number=Step.SURVEY_AND_NOTICES)
    allowed, reason = checklist.can_complete_step(two_org, step)
    assert not allowed and "Only" in reason
    b_step = (
        start(world, world.agency_b)
        .steps.select_related("step", "onboarding")
        .get(step__number=Step.SURVEY_AND_NOTICES)
    )
    assert checklist.can_complete_step(two_org, b_step) == (True, "")


def test_at_agency_a_they_run_no_training(world, two_org):
    a_session = event(world, "ttt", days=3, host=world.agency_a)
    assert training.can_run(two_org, "ttt", world.agency_a.pk)[0] is False
    allowed, _ = training.can_register(two_org, a_session, officer(world))
    assert not allowed
    assert training.can_run(two_org, "ttt", world.agency_b.pk) == (True, "")
    assert training.can_register(two_org, event(world, days=3), officer(world, world.agency_b))[0]


def test_at_agency_a_they_see_no_portal_users_of_the_agency(world, two_org):
    client = world.client_for(two_org.username)
    a_page = client.get(reverse("orgs:agency_detail", args=[world.agency_a.ori])).content.decode()
    b_page = client.get(reverse("orgs:agency_detail", args=[world.agency_b.ori])).content.decode()
    assert "Portal users" not in a_page and "Portal users" in b_page
