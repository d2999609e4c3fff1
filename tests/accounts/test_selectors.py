"""users_with_role: the one lookup of "users with role R at organization O" that every email and page uses."""

import pytest
from django.contrib.auth.models import Group

from sector.accounts.roles import AOC, CLERK, LASA, OFFICER, REVIEWER
from sector.accounts.selectors import emails_of_role, users_with_role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_role_and_the_organization_both_count(world):
    assert set(users_with_role(role=LASA, agency=world.agency_a)) == {world.users["lasa"]}
    assert set(users_with_role(role=LASA, agency=world.agency_b.pk)) == {world.users["lasa2"]}
    assert set(users_with_role(role=CLERK, court=world.court_a)) == {world.users["clerk"]}
    assert not users_with_role(role=CLERK, agency=world.agency_a).exists()


def test_a_member_without_the_role_is_not_found(world):
    officer_b = make_user("officer_b", OFFICER, agency=world.agency_b)
    assert officer_b not in users_with_role(role=LASA, agency=world.agency_b)


def test_several_roles_and_no_organization(world):
    found = set(users_with_role(role=[LASA, REVIEWER], agency=world.agency_a))
    assert {world.users["lasa"], world.users["reviewer"]} <= found
    assert world.users["officer"] not in found
    assert set(users_with_role(role=AOC)) == {world.users["aoc"]}


def test_inactive_accounts_are_left_out_unless_asked_for(world):
    gone = make_user("gone", LASA, agency=world.agency_a, is_active=False)
    assert gone not in users_with_role(role=LASA, agency=world.agency_a)
    assert gone in users_with_role(role=LASA, agency=world.agency_a, active_only=False)


def test_each_user_once_even_with_two_matching_roles(world):
    user = world.users["lasa"]
    user.memberships.get(agency=world.agency_a).roles.add(Group.objects.get(name=REVIEWER))
    assert list(users_with_role(role=[LASA, REVIEWER], agency=world.agency_a)).count(user) == 1


def test_emails_are_sorted_distinct_and_never_blank(world):
    make_user("noaddress", LASA, agency=world.agency_a, email="")
    make_user("twin", LASA, agency=world.agency_a, email=world.users["lasa"].email)
    make_user("another", LASA, agency=world.agency_a, email="a.lasa@example.wa.gov")
    assert emails_of_role(role=LASA, agency=world.agency_a) == sorted(
        {"a.lasa@example.wa.gov", world.users["lasa"].email}
    )
