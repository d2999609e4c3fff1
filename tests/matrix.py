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
EXTRA_PERSONAS = ("officer", "officer2", "twoorg")


def add_own_record_personas(world) -> None:
    """Link the officer persona to their person record, add officer2 and the two-organization user."""
    from sector.accounts.services import grant_role_at
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
    grant_role_at(twoorg, "officer", agency=world.agency_b)
    Person.objects.create(
        first_name="Sam", last_name="Both", personnel_number=TWOORG_NUMBER, agency=world.agency_b, user=twoorg
    )
    world.users.update(officer2=officer2, twoorg=twoorg)
