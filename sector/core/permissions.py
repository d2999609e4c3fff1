"""The one restriction chokepoint every view goes through.

Two questions, asked in this order:
1. Scope — is the record inside the user's organizations? `Model.objects.restrict(user)` answers it for lists
   and `get_in_scope_or_404` for a single record. Outside the scope the record does not exist for the user: 404.
2. Permission — may the user's role do this action? `require_perm` answers it: 403.
Writes re-check scope inside their transaction (services call `restrict` on the locked queryset).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404


def user_scope(user):
    from sector.accounts.scope import scope_for

    return scope_for(user)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which organization owns each row.

    Subclasses name the lookup path from the row to its agency and/or court, and the roles that see every
    row statewide. A row is in scope when any path leads to one of the user's organizations.
    """

    scope_agency_path: str | None = None
    scope_court_path: str | None = None
    statewide_roles: frozenset[str] = frozenset()

    def restrict(self, user, action: str = "view"):
        scope = user_scope(user)
        if not scope.active:
            return self.none()
        if scope.superuser or (scope.roles & self.statewide_roles):
            return self
        condition = Q(pk__in=[])
        if self.scope_agency_path and scope.agency_ids:
            condition |= Q(**{f"{self.scope_agency_path}__in": sorted(scope.agency_ids)})
        if self.scope_court_path and scope.court_ids:
            condition |= Q(**{f"{self.scope_court_path}__in": sorted(scope.court_ids)})
        return self.filter(condition)


def require_perm(user, perm: str) -> None:
    """403 unless the user's role grants `perm` ("app_label.codename")."""
    if not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied


def get_in_scope_or_404(user, queryset, perm: str, action: str = "view", **lookup):
    """The record named by `lookup` if it is in the user's scope (else 404) and the user has `perm` (else 403)."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        obj = queryset.restrict(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None
    require_perm(user, perm)
    return obj
