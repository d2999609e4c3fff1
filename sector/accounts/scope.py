"""What a user may reach: the roles they hold statewide and at each agency and court (cached per request).

A statewide role (WSP, WASPC, AOC) is one of the user's groups. Every agency or court role is held on a
membership, so it grants its permissions at that organization only: a LASA of agency A who is an officer at
agency B manages A's users, and at B sees what an officer sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .roles import OWN_RECORDS_ROLES, ROLE_PERMISSIONS, STATEWIDE_ROLES

_NO_ROLES: Mapping[int, frozenset[str]] = MappingProxyType({})


@dataclass(frozen=True)
class Scope:
    active: bool
    superuser: bool = False
    statewide_roles: frozenset[str] = frozenset()
    agency_roles: Mapping[int, frozenset[str]] = field(default_factory=lambda: _NO_ROLES)
    court_roles: Mapping[int, frozenset[str]] = field(default_factory=lambda: _NO_ROLES)

    @property
    def roles(self) -> frozenset[str]:
        """Every role the user holds anywhere (for navigation and greetings, never for a record's access)."""
        out = set(self.statewide_roles)
        for roles in (*self.agency_roles.values(), *self.court_roles.values()):
            out |= roles
        return frozenset(out)

    @property
    def agency_ids(self) -> frozenset[int]:
        return frozenset(self.agency_roles)

    @property
    def court_ids(self) -> frozenset[int]:
        return frozenset(self.court_roles)

    @property
    def statewide(self) -> bool:
        return self.superuser or bool(self.statewide_roles)

    def roles_at(self, *, agency: Any = None, court: Any = None) -> frozenset[str]:
        """The roles held at one agency or court (an instance or its id)."""
        if agency is not None:
            return self.agency_roles.get(getattr(agency, "pk", agency), frozenset())
        if court is not None:
            return self.court_roles.get(getattr(court, "pk", court), frozenset())
        return frozenset()

    def has_role(self, role: str, *, agency: Any = None, court: Any = None) -> bool:
        """Whether the user holds `role` statewide or, for an agency or court role, at that organization."""
        if role in STATEWIDE_ROLES:
            return role in self.statewide_roles
        return role in self.roles_at(agency=agency, court=court)

    def statewide_has(self, perm: str) -> bool:
        return self.superuser or any(perm in ROLE_PERMISSIONS.get(r, ()) for r in self.statewide_roles)

    def reach(self, perm: str, kind: str) -> tuple[frozenset[int], frozenset[int]]:
        """For `kind` ("agency" or "court"): the ids where a role grants `perm` for every record, and the ids
        where only an own-records role (the officer's) grants it."""
        table = self.agency_roles if kind == "agency" else self.court_roles
        whole, own = set(), set()
        for org_id, roles in table.items():
            granting = {r for r in roles if perm in ROLE_PERMISSIONS.get(r, ())}
            if granting - OWN_RECORDS_ROLES:
                whole.add(org_id)
            elif granting:
                own.add(org_id)
        return frozenset(whole), frozenset(own)

    def perms(self) -> frozenset[str]:
        """Every permission some role of the user grants somewhere."""
        out: set[str] = set()
        for role in self.roles:
            out |= ROLE_PERMISSIONS.get(role, frozenset())
        return frozenset(out)


_EMPTY = Scope(active=False)


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_sector_scope", None)
    if cached is not None:
        return cached
    scope = held_roles(user)
    user._sector_scope = scope
    return scope


def held_roles(user: Any) -> Scope:
    """The roles the account holds, whether or not it is active (scope_for answers "nothing" for a deactivated
    account; a reset of its factors or a review of its grants still needs to know what it holds)."""
    from .models import Membership

    statewide = frozenset(user.groups.filter(name__in=STATEWIDE_ROLES).values_list("name", flat=True))
    agency_roles: dict[int, set[str]] = {}
    court_roles: dict[int, set[str]] = {}
    rows = Membership.objects.filter(user=user).values_list("agency_id", "court_id", "roles__name")
    for agency_id, court_id, role in rows:
        target = agency_roles.setdefault(agency_id, set()) if agency_id else court_roles.setdefault(court_id, set())
        if role:
            target.add(role)
    return Scope(
        True,
        user.is_superuser,
        statewide,
        MappingProxyType({k: frozenset(v) for k, v in agency_roles.items()}),
        MappingProxyType({k: frozenset(v) for k, v in court_roles.items()}),
    )


def forget_scope(user: Any) -> None:
    if hasattr(user, "_sector_scope"):
        del user._sector_scope
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        if hasattr(user, cache):
            delattr(user, cache)
