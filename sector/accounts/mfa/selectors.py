"""Reads for the factor pages and the reset page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from ..models import User
from ..roles import LASA, WSP
from ..scope import scope_for
from .policy import MANAGE_AGENCY_USERS, may_reset_factors


@dataclass(frozen=True)
class Factors:
    app: TOTPDevice | None
    passkeys: list[WebAuthnCredential]
    recovery_codes_left: int | None  # None: no recovery codes set up

    @property
    def any(self) -> bool:
        return self.app is not None or bool(self.passkeys)

    @property
    def summary(self) -> str:
        parts = []
        if self.app is not None:
            parts.append("authenticator app")
        if self.passkeys:
            parts.append(f"{len(self.passkeys)} passkey{'s' if len(self.passkeys) != 1 else ''}")
        if self.recovery_codes_left is not None:
            parts.append(f"{self.recovery_codes_left} recovery codes left")
        return ", ".join(parts) or "none set up"


def factors_for(*, user: User) -> Factors:
    codes = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return Factors(
        app=TOTPDevice.objects.filter(user=user, confirmed=True).first(),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
        recovery_codes_left=StaticToken.objects.filter(device=codes).count() if codes is not None else None,
    )


def may_reset_anyone(*, actor: User) -> bool:
    """Whether the reset page is for this user at all (LASAs, WSP support, superusers)."""
    scope = scope_for(actor)
    return actor.is_superuser or scope.has_role(WSP) or (LASA in scope.roles and actor.has_perm(MANAGE_AGENCY_USERS))


def resettable_users(*, actor: User) -> list[tuple[User, Factors]]:
    """The users whose factors `actor` may reset, with their factors, by name."""
    scope = scope_for(actor)
    if actor.is_superuser:
        candidates = User.objects.all()
    else:
        condition = Q(pk__in=[])
        if scope.has_role(WSP):
            condition |= Q(memberships__roles__name=LASA)
        lasa_of = sorted(agency for agency, roles in scope.agency_roles.items() if LASA in roles)
        if lasa_of:
            condition |= Q(memberships__agency_id__in=lasa_of)
        candidates = User.objects.filter(condition)
    users = candidates.exclude(pk=actor.pk).distinct().order_by("last_name", "first_name", "username")
    users = users.prefetch_related("groups", "memberships__roles")[:500]
    allowed = [user for user in users if may_reset_factors(actor, user)]
    ids = [user.pk for user in allowed]
    apps = {d.user_id: d for d in TOTPDevice.objects.filter(user_id__in=ids, confirmed=True)}
    passkeys: dict[int, list[WebAuthnCredential]] = {}
    for credential in WebAuthnCredential.objects.filter(user_id__in=ids, confirmed=True).order_by("created_at"):
        passkeys.setdefault(credential.user_id, []).append(credential)
    codes = {d.user_id: d.token_set.count() for d in StaticDevice.objects.filter(user_id__in=ids, confirmed=True)}
    return [(user, Factors(apps.get(user.pk), passkeys.get(user.pk, []), codes.get(user.pk))) for user in allowed]


def resettable_user(*, actor: User, user_id: int) -> User | None:
    user = User.objects.filter(pk=user_id).first()
    return user if user is not None and may_reset_factors(actor, user) else None
