"""Permissions from the roles table: a user's statewide roles and the roles on their memberships.

`user.has_perm(perm)` answers "does some role of this user grant `perm` somewhere" — right for navigation and
for list pages that are then narrowed by the policy. Whether the user may act on one record is the policy's
question (sector/core/permissions.py: `authorize`, `can`, `Model.objects.restrict(user, action)`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .scope import scope_for


class RoleBackend(ModelBackend):
    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return set(scope_for(user_obj).perms())
