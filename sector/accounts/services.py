"""Writes to users, roles and memberships. The audit entries come from signals (accounts/signals.py), so the
admin, the shell and these services are all logged the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from sector.core.errors import DomainError
from sector.core.registry import ExtensionPoint
from sector.orgs.models import Agency, Court

from .models import Membership, User
from .roles import AGENCY_ROLES, COURT_ROLES, ROLES, STATEWIDE_ROLES, sync_roles


class RoleError(DomainError, ValueError):
    """A grant that cannot be made, with a reason a person can act on."""


role_gates: ExtensionPoint[Callable[[User, str], str]] = ExtensionPoint("accounts.role_gates")
"""Checks an active account must pass before it is given a role: `check(user, role) -> reason or ""`. The
platform knows no program rule; onboarding registers the training gate here (an active account becomes an
officer only with a completed sanctioned training on record), so every door that grants a role — the admin,
`grant_role`, invitations, the LASA's user management — asks the same question."""


def role_gate_refusals(user: User, roles: Iterable[str]) -> list[str]:
    """Why `user`, if active, may not be given `roles` now: the reasons of the registered gates (none: it may)."""
    if not user.is_active:
        return []  # an inactive account waits; activating it asks again (`activation_refusals`)
    return [reason for role in sorted(set(roles)) for gate in role_gates if (reason := gate(user, role))]


def activation_refusals(user: User) -> list[str]:
    """Why `user`'s account may not be activated with the agency and court roles it holds now."""
    held = set(Membership.objects.filter(user=user).exclude(roles=None).values_list("roles__name", flat=True))
    return [reason for role in sorted(held) for gate in role_gates if (reason := gate(user, role))]


def _check_gates(user: User, roles: Iterable[str]) -> None:
    reasons = role_gate_refusals(user, roles)
    if reasons:
        raise RoleError(" ".join(reasons))


@dataclass
class GrantResult:
    user: User
    changes: list[str] = field(default_factory=list)


def role_grant(
    *,
    username: str,
    role: str,
    agency_ori: str | None = None,
    court_code: str | None = None,
    password: str | None = None,
    email: str = "",
    inactive: bool = False,
) -> GrantResult:
    """Give `username` the role (creating the account if needed, inactive when asked) and the membership the
    role's scope needs. An active account passes the role gates first (an officer's training)."""
    if role not in ROLES:
        raise RoleError(f"unknown role {role!r}; roles are: {', '.join(sorted(ROLES))}")
    if role in COURT_ROLES and not court_code:
        raise RoleError(f"role {role} works for a court: give --court CODE")
    if role in AGENCY_ROLES and not agency_ori:
        raise RoleError(f"role {role} works for an agency: give --agency ORI")
    agency = court = None
    if agency_ori:
        agency = Agency.objects.filter(ori=agency_ori.strip().upper()).first()
        if agency is None:
            raise RoleError(f"no agency with ORI {agency_ori!r}")
    if court_code:
        court = Court.objects.filter(code=court_code.strip().upper()).first()
        if court is None:
            raise RoleError(f"no court with code {court_code!r}")

    with transaction.atomic():
        result = GrantResult(user=None)  # type: ignore[arg-type]
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            if not password:
                raise RoleError("a new account needs a password (set SECTOR_PASSWORD or answer the prompt)")
            try:  # the same validators as every other door that sets a password
                validate_password(password, User(username=username, email=email))
            except ValidationError as exc:
                raise RoleError("that password is not accepted: " + " ".join(exc.messages)) from None
            user = User.objects.create_user(username=username, password=password, email=email, is_active=not inactive)
            result.changes.append(f"created {'inactive ' if inactive else ''}user {username}")
        result.user = user
        if not Group.objects.filter(name=role).exists():
            sync_roles()
        if role in STATEWIDE_ROLES:
            if grant_statewide_role(user, role):
                result.changes.append(f"granted role {role}")
        else:
            org = agency or court
            created = not Membership.objects.filter(user=user, agency=agency, court=court).exists()
            granted = grant_role_at(user, role, agency=agency, court=court)
            if created:
                result.changes.append(f"added membership of {'agency' if agency else 'court'} {org}")
            if granted:
                result.changes.append(f"granted role {role} at {org}")
    return result


def _group(role: str) -> Group:
    if role not in ROLES:
        raise RoleError(f"unknown role {role!r}; roles are: {', '.join(sorted(ROLES))}")
    group = Group.objects.filter(name=role).first()
    if group is None:
        sync_roles()
        group = Group.objects.get(name=role)
    return group


def grant_statewide_role(user: User, role: str) -> bool:
    """Give `user` a statewide role (WSP, WASPC, AOC). Returns whether anything changed."""
    if role not in STATEWIDE_ROLES:
        raise RoleError(f"{role} is held at an agency or court, not statewide")
    group = _group(role)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    return True


def grant_role_at(user: User, role: str, *, agency: Agency | None = None, court: Court | None = None) -> bool:
    """Give `user` an agency or court role at that organization only, adding the membership if needed.
    Returns whether the role was new there. The audit entry comes from the signal on Membership.roles."""
    if role in STATEWIDE_ROLES:
        raise RoleError(f"{role} is a statewide role; it is not held at one organization")
    if (agency is None) == (court is None):
        raise RoleError("a role is granted at one agency or one court")
    if role in COURT_ROLES and court is None:
        raise RoleError(f"role {role} works for a court")
    if role in AGENCY_ROLES and agency is None:
        raise RoleError(f"role {role} works for an agency")
    group = _group(role)
    membership = Membership.objects.filter(user=user, agency=agency, court=court).first()
    if membership is not None and membership.roles.filter(pk=group.pk).exists():
        return False
    _check_gates(user, [role])  # before anything is written: a refused grant leaves no membership behind
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency, court=court)
    membership.roles.add(group)
    return True


def set_roles_at(
    user: User, roles: set[str], *, agency: Agency | None = None, court: Court | None = None, among: set[str]
) -> tuple[set[str], set[str]]:
    """Make the user's roles at the organization that are in `among` exactly `roles` (others untouched).
    Returns (granted, revoked)."""
    if not roles <= among:
        raise RoleError(f"only {', '.join(sorted(among))} can be set here")
    membership = Membership.objects.filter(user=user, agency=agency, court=court).first()
    current = set(membership.roles.filter(name__in=among).values_list("name", flat=True)) if membership else set()
    granted, revoked = roles - current, current - roles
    _check_gates(user, granted)
    if membership is None:
        membership = Membership.objects.create(user=user, agency=agency, court=court)
    if revoked:
        membership.roles.remove(*Group.objects.filter(name__in=revoked))
    if granted:
        membership.roles.add(*[_group(r) for r in sorted(granted)])
    return granted, revoked


def revoke_role_at(user: User, role: str, *, agency: Agency | None = None, court: Court | None = None) -> bool:
    membership = Membership.objects.filter(user=user, agency=agency, court=court).first()
    if membership is None or not membership.roles.filter(name=role).exists():
        return False
    membership.roles.remove(_group(role))
    return True
