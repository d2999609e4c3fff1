from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse

from .models import User

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
    """The users holding `role` (a role name, or any of several) who are members of `agency` or `court`
    (an instance or its id; neither: everyone with the role). Inactive accounts are left out unless asked for."""
    roles = [role] if isinstance(role, str) else list(role)
    users = User.objects.filter(groups__name__in=roles)
    if active_only:
        users = users.filter(is_active=True)
    if agency is not None:
        users = users.filter(memberships__agency=agency)
    if court is not None:
        users = users.filter(memberships__court=court)
    return users.distinct()


def emails_of_role(
    *, role: str | Iterable[str], agency: Agency | int | None = None, court: Court | int | None = None
) -> list[str]:
    """The addresses of the active users `users_with_role` finds, sorted, each once, blanks left out."""
    users = users_with_role(role=role, agency=agency, court=court).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))
