"""Who must pass a second factor, whether this session has, and who may reset whose factors.

Kept apart from the views so the gate (middleware.py), the pages and the services ask the same questions.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY, user_has_device

from ..models import User
from ..roles import LASA, WSP
from ..scope import held_roles, scope_for

# The onboarding app's "manage the agency's users" right (the LASA's); named here as a string only, so the
# platform imports nothing from the program apps.
MANAGE_AGENCY_USERS = "onboarding.manage_agency_users"


def has_factor(user: User) -> bool:
    """A confirmed authenticator app, passkey or recovery-code set."""
    return user_has_device(user, confirmed=True)


def mfa_required(user: User | AnonymousUser) -> bool:
    """Holders of a role in MFA_REQUIRED_ROLES (default: every role) must pass a second factor; so must staff,
    superusers (the admin), accounts with no role at all, and anyone who has enrolled a factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    roles = scope_for(user).roles
    if not roles or roles & set(settings.MFA_REQUIRED_ROLES):
        return True
    return has_factor(user)  # type: ignore[arg-type]


def session_passed(request: HttpRequest) -> bool:
    """This session has passed a second factor. The session store is server-side, so its word is trusted on
    every request without a query; resetting a user's factors ends their sessions (services.factors_reset)."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def may_reset_factors(actor: User, target: User) -> bool:
    """A LASA resets the factors of the other users of their agency (officers, reviewers, the agency contact);
    WSP support resets a LASA's; a superuser anyone's. Nobody resets their own (they sign in with a recovery
    code instead) and only a superuser resets staff's."""
    if not actor.is_active or actor.pk == target.pk:
        return False
    if actor.is_superuser:
        return True
    if target.is_superuser or target.is_staff:
        return False
    mine = scope_for(actor)
    theirs = held_roles(target)
    if mine.has_role(WSP) and LASA in theirs.roles:
        return True
    # A LASA resets the users of the agencies where they are the LASA (a role held at one agency only), and only
    # users who belong to no other organization and hold no LASA or statewide role.
    lasa_of = {agency for agency, roles in mine.agency_roles.items() if LASA in roles}
    if lasa_of and actor.has_perm(MANAGE_AGENCY_USERS):
        return (
            LASA not in theirs.roles
            and not theirs.statewide_roles
            and not theirs.court_ids
            and bool(theirs.agency_ids)
            and theirs.agency_ids <= lasa_of
        )
    return False
