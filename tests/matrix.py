"""The permission matrix: every named URL × every persona gets its designed answer.

Each test package may hold a `urls_matrix.py` with `EXPECTATIONS = {url_name: Case(...)}`; the matrix test
collects them all and fails when a URL in the URLconf has no expectation, so a new view cannot escape it.

Answers: 200, 403, 404, 405, LOGIN (302 to the sign-in page), or a path string (302 to that path).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

LOGIN = "login"

STATEWIDE = ("waspc", "wsp", "aoc")
AGENCY_A = ("lasa", "reviewer", "officer")
ALL_SIGNED_IN = ("admin", "waspc", "wsp", "aoc", "clerk", "clerk2", "lasa", "lasa2", "reviewer", "officer", "outsider")

# The two-organization user (issue 12): LASA of agency B who is also an officer of agency A. Roles are held per
# membership, so on agency A's records this user is an officer, not a LASA: A's users page, A's agreement,
# A's survey edits answer as they answer the officer. Opt-in: the matrix asks this persona only on the rows
# that name it (`officer_answers_for_two_org` names it on every row of a file with the officer's answer).
TWO_ORG = "lasa_b_officer_a"


def make_two_org_user(world: Any) -> Any:
    from django.contrib.auth.models import Group

    from sector.accounts.models import Membership
    from tests.factories import make_user

    if TWO_ORG not in world.users:
        user = make_user(TWO_ORG, "lasa", agency=world.agency_b)
        Membership.objects.create(user=user, agency=world.agency_a).roles.add(Group.objects.get(name="officer"))
        world.users[TWO_ORG] = user
    return world.users[TWO_ORG]


EXTRA_PERSONAS: dict[str, Callable[[Any], Any]] = {TWO_ORG: make_two_org_user}


@dataclass
class Case:
    """How one URL answers each persona. `kwargs(world)` builds the URL arguments (it may create records);
    `default` is the answer for personas not named in `expect`; anonymous defaults to LOGIN."""

    expect: dict[str, Any] = field(default_factory=dict)
    default: Any = 403
    kwargs: Callable[[Any], dict] | dict = field(default_factory=dict)
    method: str = "get"
    data: Callable[[Any], dict] | dict | None = None
    anonymous: Any = LOGIN

    def answer_for(self, persona: str):
        if persona in self.expect:
            return self.expect[persona]
        if persona == "anonymous":
            return self.anonymous
        return self.default


def allow(*personas: str, code: Any = 200) -> dict[str, Any]:
    return {p: code for p in personas}


class Prefix(str):
    """A redirect target known only up to a record id: equal to any path that starts with it. (Python asks the
    subclass's __eq__/__ne__ first, so `location != Prefix(...)` in the matrix test uses these.)"""

    def __eq__(self, other):
        return isinstance(other, str) and other.startswith(str(self))

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = str.__hash__


# Extra personas for the domain apps' own-records and two-organization rows (tests/<app>/test_*matrix*.py):
# "officer" is linked to a person record of agency A with personnel number OFFICER_NUMBER (so the factories'
# records are theirs), "officer2" is another officer of agency A, and "twoorg" is LASA of agency A and an officer at
# agency B (personnel number TWOORG_NUMBER there).
OFFICER_NUMBER = "1123"  # the factories' tickets and collision reports name this officer
TWOORG_NUMBER = "7700"
OWN_RECORD_PERSONAS = ("officer", "officer2", "twoorg")


def add_own_record_personas(world) -> None:
    """Link the officer persona to their person record, add officer2 and the two-organization user."""
    from django.contrib.auth.models import Group

    from sector.accounts.models import Membership
    from sector.orgs.models import Person
    from tests.factories import make_user

    Person.objects.create(
        first_name="Jamie", last_name="Park", personnel_number=OFFICER_NUMBER, agency=world.agency_a,
        user=world.users["officer"],
    )  # fmt: skip
    officer2 = make_user("officer2", "officer", agency=world.agency_a)
    Person.objects.create(
        first_name="Lee", last_name="Other", personnel_number="2200", agency=world.agency_a, user=officer2
    )
    twoorg = make_user("twoorg", "lasa", agency=world.agency_a)
    # Set as the factories do (the training gate, tested on its own, would refuse an untrained active officer).
    Membership.objects.create(user=twoorg, agency=world.agency_b).roles.add(Group.objects.get(name="officer"))
    Person.objects.create(
        first_name="Sam", last_name="Both", personnel_number=TWOORG_NUMBER, agency=world.agency_b, user=twoorg
    )
    world.users.update(officer2=officer2, twoorg=twoorg)


def officer_answers_for_two_org(expectations: dict[str, Case], **overrides: Any) -> None:
    """Name the two-organization user on every row: answered as the officer of agency A is (the rows' records
    are agency A's), unless `overrides` (url name -> answer) says otherwise."""
    for name, case in expectations.items():
        if TWO_ORG not in case.expect:  # a new dict: rows may share one `expect` mapping
            case.expect = {**case.expect, TWO_ORG: overrides.get(name, case.answer_for("officer"))}
