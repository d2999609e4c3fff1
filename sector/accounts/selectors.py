from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse

from .models import Membership, User
from .roles import STATEWIDE_ROLES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sector.orgs.models import Agency, Court


@dataclass(frozen=True)
class OrgLink:
    kind: str  # "agency" or "court"
    name: str
    code: str
    url: str
    detail: str


def organisations_for(user: User | AnonymousUser) -> list[OrgLink]:
    """The agencies and courts the user acts for, from their memberships (one query)."""
    if not user.is_authenticated:
        return []
    out: list[OrgLink] = []
    for m in user.memberships.select_related("agency", "court").order_by("id"):
        if (a := m.agency) is not None:
            out.append(
                OrgLink(
                    "agency",
                    a.name,
                    a.ori,
                    reverse("orgs:agency_detail", args=[a.ori]),
                    f"{a.get_kind_display()}, {a.county} County · {a.records_system}",
                )
            )
        elif (c := m.court) is not None:
            out.append(
                OrgLink(
                    "court",
                    c.name,
                    c.code,
                    reverse("orgs:court_detail", args=[c.code]),
                    f"{c.get_kind_display()}, {c.county} County",
                )
            )
    return out


def users_with_role(
    *,
    role: str | Iterable[str],
    agency: Agency | int | None = None,
    court: Court | int | None = None,
    active_only: bool = True,
) -> QuerySet[User]:
    """The users holding `role` (a role name, or any of several) at `agency` or `court` (an instance or its
    id; neither: everyone holding the role anywhere). An agency or court role counts only where it is held —
    on the membership of that organization; a statewide role counts for a member of the organization.
    Inactive accounts are left out unless asked for."""
    roles = [role] if isinstance(role, str) else list(role)
    statewide = sorted(set(roles) & STATEWIDE_ROLES)
    held = sorted(set(roles) - STATEWIDE_ROLES)
    memberships = Membership.objects.all()
    if agency is not None:
        memberships = memberships.filter(agency=agency)
    if court is not None:
        memberships = memberships.filter(court=court)
    condition = Q(pk__in=[])
    if held:
        condition |= Q(pk__in=memberships.filter(roles__name__in=held).values("user_id"))
    if statewide:
        found = Q(groups__name__in=statewide)
        if agency is not None or court is not None:
            found &= Q(pk__in=memberships.values("user_id"))
        condition |= found
    users = User.objects.filter(condition)
    if active_only:
        users = users.filter(is_active=True)
    return users.distinct()


def emails_of_role(
    *, role: str | Iterable[str], agency: Agency | int | None = None, court: Court | int | None = None
) -> list[str]:
    """The addresses of the active users `users_with_role` finds, sorted, each once, blanks left out."""
    users = users_with_role(role=role, agency=agency, court=court).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))
