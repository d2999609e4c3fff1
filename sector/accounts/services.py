"""Writes to users, roles and memberships. The audit entries come from signals (accounts/signals.py), so the
admin, the shell and these services are all logged the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from sector.core.errors import DomainError
from sector.orgs.models import Agency, Court

from .models import Membership, User
from .roles import AGENCY_ROLES, COURT_ROLES, ROLES, sync_roles


class RoleError(DomainError, ValueError):
    """A grant that cannot be made, with a reason a person can act on."""


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
) -> GrantResult:
    """Give `username` the role (creating the account if needed) and the membership the role's scope needs."""
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
            user = User.objects.create_user(username=username, password=password, email=email)
            result.changes.append(f"created user {username}")
        result.user = user
        group = Group.objects.filter(name=role).first()
        if group is None:
            sync_roles()
            group = Group.objects.get(name=role)
        if not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)
            result.changes.append(f"granted role {role}")
        if agency is not None:
            _, created = Membership.objects.get_or_create(user=user, agency=agency)
            if created:
                result.changes.append(f"added membership of agency {agency}")
        if court is not None:
            _, created = Membership.objects.get_or_create(user=user, court=court)
            if created:
                result.changes.append(f"added membership of court {court}")
    return result
