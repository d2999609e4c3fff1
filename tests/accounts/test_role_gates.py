"""The training gate on every door that gives an active account the officer role (issue 12): the LASA's role
change and invitation, `grant_role`, and the admin (membership roles on the user page, the membership page, a
role's holders, activating an account). The gate is `accounts.services.role_gates`; onboarding registers it."""

from datetime import date
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from sector.accounts.admin import MembershipForm, MembershipInline
from sector.accounts.models import Membership, User
from sector.accounts.services import RoleError, grant_role_at, role_gates, set_roles_at
from sector.onboarding.errors import OnboardingError
from sector.onboarding.lasa import services as lasa
from sector.orgs.models import Person
from sector.training.models import TrainingRecord
from tests.factories import PersonFactory, make_user
from tests.training.helpers import event

pytestmark = pytest.mark.django_db


def _train(world, user):
    person = Person.objects.filter(user=user).first() or PersonFactory(agency=world.agency_a, user=user, kind="officer")
    TrainingRecord.objects.create(person=person, event=event(world), kind="sanctioned", completed_on=date(2026, 3, 2))


def _officer_at_a(user) -> bool:
    return Membership.objects.filter(user=user, agency__ori="WA0340100", roles__name="officer").exists()


def test_onboarding_registers_the_training_gate_with_the_platform():
    assert lasa.officer_gate in list(role_gates)


def test_the_gate_refuses_an_untrained_active_account_and_lets_a_trained_or_inactive_one_through(world):
    reviewer = world.users["reviewer"]
    with pytest.raises(RoleError, match="cannot be an active officer yet"):
        grant_role_at(reviewer, "officer", agency=world.agency_a)
    with pytest.raises(RoleError, match="cannot be an active officer yet"):
        set_roles_at(reviewer, {"officer"}, agency=world.agency_a, among={"officer", "collision_reviewer"})
    assert not _officer_at_a(reviewer)
    newcomer = make_user("newcomer", is_active=False)
    assert grant_role_at(newcomer, "officer", agency=world.agency_a)  # inactive: activation asks again
    _train(world, reviewer)
    assert grant_role_at(reviewer, "officer", agency=world.agency_a)


def test_a_refused_grant_leaves_no_membership_behind(world):
    outsider = world.users["outsider"]
    with pytest.raises(RoleError):
        grant_role_at(outsider, "officer", agency=world.agency_b)
    assert not Membership.objects.filter(user=outsider).exists()


def _grant(*args):
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


def test_grant_role_refuses_to_make_an_active_account_an_untrained_officer(world, monkeypatch):
    with pytest.raises(CommandError, match="cannot be an active officer yet"):
        _grant("reviewer", "officer", "--agency", world.agency_a.ori)
    assert not _officer_at_a(world.users["reviewer"])
    monkeypatch.setenv("SECTOR_PASSWORD", "a-long-secret-1")
    with pytest.raises(CommandError, match="cannot be an active officer yet"):
        _grant("kim", "officer", "--agency", world.agency_a.ori)
    assert not User.objects.filter(username="kim").exists()  # nothing stored half
    out = _grant("kim", "officer", "--agency", world.agency_a.ori, "--inactive")
    assert "created inactive user kim" in out and "granted role officer" in out
    assert not User.objects.get(username="kim").is_active
    _train(world, world.users["reviewer"])
    assert "granted role officer" in _grant("reviewer", "officer", "--agency", world.agency_a.ori)


def test_inviting_an_active_account_as_officer_passes_the_gate(world):
    """The LASA "invites" the agency's active collision reviewer as an officer: the existing account would
    become an untrained active officer, so the invitation is refused (it used to go through)."""
    reviewer = world.users["reviewer"]
    with pytest.raises(OnboardingError, match="cannot be an active officer yet"):
        lasa.agency_user_invite(agency=world.agency_a, actor=world.users["lasa"], first_name="Rae", last_name="View",
                                email=reviewer.email, role="officer", personnel_number="OPD-9")  # fmt: skip
    assert not _officer_at_a(reviewer)


def _request(world):
    request = RequestFactory().post("/admin/")
    request.user = world.users["admin"]
    return request


def _inline_data(user, membership, roles, prefix="memberships"):
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": str(membership.pk),
        f"{prefix}-0-user": str(user.pk),
        f"{prefix}-0-agency": str(membership.agency_id),
        f"{prefix}-0-roles": [str(Group.objects.get(name=r).pk) for r in roles],
    }


def _inline_formset(world, user, data):
    inline = MembershipInline(User, admin.site)
    formset_class = inline.get_formset(_request(world), user)
    return formset_class(data, instance=user, prefix="memberships")


def test_admin_user_page_refuses_the_officer_role_for_an_untrained_active_account(world):
    reviewer = world.users["reviewer"]
    membership = Membership.objects.get(user=reviewer, agency=world.agency_a)
    formset = _inline_formset(world, reviewer, _inline_data(reviewer, membership, ["collision_reviewer", "officer"]))
    assert not formset.is_valid()
    assert "cannot be an active officer yet" in str(formset.errors)
    # Keeping the roles it has is fine; so is the officer role once the training is on record.
    assert _inline_formset(world, reviewer, _inline_data(reviewer, membership, ["collision_reviewer"])).is_valid()
    _train(world, reviewer)
    assert _inline_formset(world, reviewer, _inline_data(reviewer, membership, ["officer"])).is_valid()


def test_admin_user_page_refuses_to_activate_an_untrained_officer(world):
    officer = world.users["officer"]
    User.objects.filter(pk=officer.pk).update(is_active=False)
    officer.refresh_from_db()
    membership = Membership.objects.get(user=officer, agency=world.agency_a)
    officer.is_active = True  # what the posted user form sets on the instance the inlines are built for
    formset = _inline_formset(world, officer, _inline_data(officer, membership, ["officer"]))
    assert not formset.is_valid() and "cannot be an active officer yet" in str(formset.non_form_errors() or
                                                                               formset.errors)  # fmt: skip
    officer.is_active = False  # saving it inactive, with the role, is fine
    assert _inline_formset(world, officer, _inline_data(officer, membership, ["officer"])).is_valid()


def test_admin_membership_page_refuses_the_officer_role_for_an_untrained_active_account(world):
    outsider = world.users["outsider"]
    officer_group = Group.objects.get(name="officer")
    form = MembershipForm({"user": outsider.pk, "agency": world.agency_b.pk, "roles": [officer_group.pk]})
    assert not form.is_valid() and "cannot be an active officer yet" in str(form.errors["roles"])
    reviewer_group = Group.objects.get(name="collision_reviewer")
    assert MembershipForm({"user": outsider.pk, "agency": world.agency_b.pk, "roles": [reviewer_group.pk]}).is_valid()


def test_admin_role_holders_refuse_an_untrained_active_account(world):
    from sector.accounts.admin import MembershipRoleInline

    membership = Membership.objects.get(user=world.users["reviewer"], agency=world.agency_a)
    officer_group = Group.objects.get(name="officer")
    formset_class = MembershipRoleInline(Group, admin.site).get_formset(_request(world), officer_group)
    prefix = formset_class.get_default_prefix()
    held = list(Membership.roles.through.objects.filter(group=officer_group))
    data = {f"{prefix}-TOTAL_FORMS": str(len(held) + 1), f"{prefix}-INITIAL_FORMS": str(len(held))}
    for n, row in enumerate(held):
        data |= {f"{prefix}-{n}-id": str(row.pk), f"{prefix}-{n}-membership": str(row.membership_id),
                 f"{prefix}-{n}-group": str(officer_group.pk)}  # fmt: skip
    new = len(held)
    data |= {f"{prefix}-{new}-membership": str(membership.pk), f"{prefix}-{new}-group": str(officer_group.pk)}
    formset = formset_class(data, instance=officer_group, prefix=prefix)
    assert not formset.is_valid() and "cannot be an active officer yet" in str(formset.errors)
