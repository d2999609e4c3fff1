"""What a user may reach: their roles and the agencies and courts they belong to (cached per request)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    active: bool
    superuser: bool = False
    roles: frozenset[str] = frozenset()
    agency_ids: frozenset[int] = field(default_factory=frozenset)
    court_ids: frozenset[int] = field(default_factory=frozenset)


_EMPTY = Scope(active=False)


def scope_for(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_sector_scope", None)
    if cached is not None:
        return cached
    roles = frozenset(user.groups.values_list("name", flat=True))
    agency_ids, court_ids = set(), set()
    for agency_id, court_id in user.memberships.values_list("agency_id", "court_id"):
        if agency_id:
            agency_ids.add(agency_id)
        if court_id:
            court_ids.add(court_id)
    scope = Scope(True, user.is_superuser, roles, frozenset(agency_ids), frozenset(court_ids))
    user._sector_scope = scope
    return scope


def forget_scope(user) -> None:
    if hasattr(user, "_sector_scope"):
        del user._sector_scope
