"""The one authorization policy: roles held per membership, scope (404) before right (403), one answer for
lists, single records, services and templates."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory

from citations.models import Ticket
from collisions.models import CollisionReport
from sector.accounts.models import Membership, User
from sector.accounts.scope import forget_scope, scope_for
from sector.accounts.selectors import users_with_role
from sector.core.permissions import authorize, can, get_in_scope_or_404
from sector.onboarding.errors import OnboardingError
from sector.onboarding.lasa import services as lasa
from sector.orgs.models import Agency
from tests.factories import make_user
from tests.feed.factories import make_ticket

pytestmark = pytest.mark.django_db


def _officer_at(user, agency):
    """The officer role on the user's membership of `agency`, as the factories give roles (no training gate)."""
    from django.contrib.auth.models import Group

    from sector.accounts.models import Membership

    Membership.objects.get_or_create(user=user, agency=agency)[0].roles.add(Group.objects.get(name="officer"))


@pytest.fixture
def two_hats(world):
    """LASA of agency A and an officer at agency B: one person, two organizations, two different roles."""
    user = make_user("twohats", "lasa", agency=world.agency_a)
    _officer_at(user, world.agency_b)  # the training gate is not this test's subject (tests/accounts/test_role_gates)
    forget_scope(user)
    return user


def test_a_role_is_held_at_its_organization_only(world, two_hats):
    scope = scope_for(two_hats)
    assert scope.roles_at(agency=world.agency_a) == {"lasa"}
    assert scope.roles_at(agency=world.agency_b) == {"officer"}
    assert list(Agency.objects.restrict(two_hats, "manage_users")) == [world.agency_a]
    assert can(two_hats, "manage_users", world.agency_a)
    assert not can(two_hats, "manage_users", world.agency_b)
    assert two_hats in users_with_role(role="lasa", agency=world.agency_a)
    assert two_hats not in users_with_role(role="lasa", agency=world.agency_b)
    assert two_hats in users_with_role(role="officer", agency=world.agency_b)


def test_the_lasa_of_a_cannot_manage_the_users_of_b_where_they_are_an_officer(world, two_hats):
    b_officer = make_user("b_officer", "officer", agency=world.agency_b)
    with pytest.raises(OnboardingError, match="own agency"):
        lasa.agency_user_deactivate(agency=world.agency_b, actor=two_hats, target_id=b_officer.pk)
    assert User.objects.get(pk=b_officer.pk).is_active
    lasa.agency_user_deactivate(agency=world.agency_a, actor=two_hats, target_id=world.users["officer"].pk)
    assert not User.objects.get(pk=world.users["officer"].pk).is_active


def test_the_review_right_does_not_travel_to_another_agency(world, two_hats):
    reviewer = make_user("revA", "collision_reviewer", agency=world.agency_a)
    _officer_at(reviewer, world.agency_b)
    forget_scope(reviewer)
    reviewable = CollisionReport.objects.restrict(reviewer, "review")
    assert str(reviewable.query).count("agency_id") >= 1
    assert set(reviewable.values_list("agency_id", flat=True).distinct()) <= {world.agency_a.pk}


def test_scope_first_then_right(world):
    ticket = make_ticket(world)
    # In scope (the reviewer's agency wrote it), no right to view tickets: 403.
    with pytest.raises(PermissionDenied):
        get_in_scope_or_404(world.users["reviewer"], Ticket, pk=ticket.pk)
    # Out of scope (another agency and court): the record does not exist for them.
    with pytest.raises(Http404):
        get_in_scope_or_404(world.users["lasa2"], Ticket, pk=ticket.pk)
    with pytest.raises(Http404):
        authorize(world.users["outsider"], "view", ticket)
    # The clerk of the court may process it; the LASA of the agency sees it and may not.
    authorize(world.users["clerk"], "process", ticket)
    authorize(world.users["lasa"], "view", ticket)
    with pytest.raises(PermissionDenied):
        authorize(world.users["lasa"], "process", ticket)


def test_statewide_reach_comes_from_the_roles_table(world):
    # WSP's role grants the view of collision reports; WASPC's and AOC's do not, so they see none.
    assert CollisionReport.objects.restrict(world.users["waspc"]).query.where is not None
    assert not CollisionReport.objects.restrict(world.users["aoc"]).exists()
    assert CollisionReport.objects.restrict(world.users["wsp"]).count() == CollisionReport.objects.count()


def test_the_template_tag_gives_the_same_answer(world):
    request = RequestFactory().get("/")
    template = Template('{% can "manage_users" agency as may %}{{ may|yesno:"yes,no" }}')
    for persona, expected in (("lasa", "yes"), ("lasa2", "no"), ("officer", "no")):
        request.user = world.users[persona]
        assert template.render(Context({"request": request, "agency": world.agency_a})) == expected


def test_the_migration_carries_global_roles_to_memberships(world):
    from importlib import import_module

    migration = import_module("sector.accounts.migrations.0005_roles_on_memberships")
    user = make_user("legacy")
    membership = Membership.objects.create(user=user, agency=world.agency_a)
    court_membership = Membership.objects.create(user=user, court=world.court_a)
    lasa_group = Group.objects.get(name="lasa")
    # A grant as the old code made it (a global group), written without the signals that now refuse it.
    User.groups.through.objects.create(user=user, group=lasa_group)
    User.groups.through.objects.create(user=user, group=Group.objects.get(name="wsp_support"))
    migration.forward(apps, None)
    assert set(membership.roles.values_list("name", flat=True)) == {"lasa"}
    assert not court_membership.roles.exists()  # an agency role does not reach the user's court
    assert set(user.groups.values_list("name", flat=True)) == {"wsp_support"}  # statewide roles stay
