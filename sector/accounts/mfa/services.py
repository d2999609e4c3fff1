"""Second-factor writes: enrollment, use, failure and reset. Every one is audit-logged and emailed to the user.

Codes are checked by django-otp's devices, which throttle themselves: after each wrong code the next try must
wait 1, 2, 4 ... seconds (OTP_TOTP_THROTTLE_FACTOR), and a right code resets the count.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from sector.core.audit import log_action
from sector.core.errors import DomainError
from sector.core.mail import send_templated_mail

from ..models import User
from .policy import may_reset_factors

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

FACTOR_LABELS = {"totp": "authenticator app", "static": "recovery code", "webauthn": "passkey or security key"}

# What each event tells the user by email: (subject, sentence).
_MAIL = {
    "enrolled": ("A second sign-in factor was added to your account", "A {factor} was added to your account."),
    "verified": ("Your account was signed in with a second factor", "Your account was signed in with a {factor}."),
    "failed": (
        "A wrong second-factor code was entered for your account",
        "Someone who knew your password entered a wrong {factor} for your account.",
    ),
    "recovery_used": (
        "A recovery code was used to sign in to your account",
        "A recovery code was used to sign in to your account. {remaining} recovery codes are left.",
    ),
    "codes_regenerated": (
        "New recovery codes were made for your account",
        "New recovery codes were made for your account; the old ones no longer work.",
    ),
    "cleared": (
        "Your sign-in factors were reset",
        "{actor} reset the second sign-in factors of your account. At your next sign-in you will set up a new one.",
    ),
}


class MFAError(DomainError):
    """A second-factor step refused, with what to do next."""


class CodeThrottled(MFAError):
    """Too many wrong codes in a row: the next try must wait."""


@dataclass(frozen=True)
class Enrollment:
    device: Device
    recovery_codes: list[str]  # empty when the user already had recovery codes


def _notify(user: User, event: str, **values: object) -> None:
    if not user.email:
        return
    subject, sentence = _MAIL[event]
    send_templated_mail(
        to=[user.email],
        subject_template="accounts/email/mfa_subject.txt",
        body_template="accounts/email/mfa_body.txt",
        context={"user": user, "subject": subject, "sentence": sentence.format(**values), "event": event},
    )


def _factor_of(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, StaticDevice):
        return "static"
    return "webauthn"


# ---------------------------------------------------------------- enrollment


def new_totp_key() -> str:
    """A fresh 160-bit TOTP secret as hex (how django-otp stores it); nothing is saved until confirmed."""
    from django_otp.plugins.otp_totp.models import default_key

    return default_key()


def totp_key_base32(key: str) -> str:
    """The secret as authenticator apps take it when typed in (base32, no padding)."""
    return base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")


def totp_config_url(*, user: User, key: str) -> str:
    """The otpauth:// address the QR code carries."""
    return TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME).config_url


def _code_digits(token: str) -> str:
    return re.sub(r"\s+", "", token or "")


def totp_enroll(*, actor: User, key: str, token: str) -> Enrollment:
    """Confirm an authenticator app: the code it shows must match the secret it was given. The app replaces
    any earlier one; the first factor also gets a set of recovery codes."""
    digits = _code_digits(token)
    if not re.fullmatch(r"\d{6}", digits):
        raise MFAError("Enter the 6-digit code your authenticator app shows for the SECTOR Program Portal.")
    totp = TOTP(binascii.unhexlify(key))
    if not totp.verify(int(digits), tolerance=1):
        log_action("accounts.mfa.failed", obj=actor, actor=actor, data={"factor": "totp", "step": "enrollment"})
        raise MFAError(
            "That code does not match. Check that the app's time is set automatically, wait for the next code "
            "and enter it."
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        device = TOTPDevice.objects.create(
            user=actor, name=APP_DEVICE_NAME, key=key, confirmed=True, last_t=totp.t(), tolerance=1
        )
        codes = [] if StaticDevice.objects.filter(user=actor, confirmed=True).exists() else _new_codes(actor)
        log_action("accounts.mfa.enrolled", obj=actor, actor=actor, data={"factor": "totp"})
    _notify(actor, "enrolled", factor=FACTOR_LABELS["totp"])
    return Enrollment(device=device, recovery_codes=codes)


def passkey_enrolled(*, actor: User, device: Device) -> Enrollment:
    """Record a passkey django-otp-webauthn has just registered (and give a first factor its recovery codes)."""
    with transaction.atomic():
        codes = [] if StaticDevice.objects.filter(user=actor, confirmed=True).exists() else _new_codes(actor)
        log_action(
            "accounts.mfa.enrolled", obj=actor, actor=actor, data={"factor": "webauthn", "name": str(device.name)}
        )
    _notify(actor, "enrolled", factor=FACTOR_LABELS["webauthn"])
    return Enrollment(device=device, recovery_codes=codes)


def _new_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New one-time recovery codes; the old ones stop working."""
    with transaction.atomic():
        codes = _new_codes(actor)
        log_action("accounts.mfa.recovery_codes_regenerated", obj=actor, actor=actor, data={"count": len(codes)})
    _notify(actor, "codes_regenerated")
    return codes


def format_recovery_code(code: str) -> str:
    """ "abcd efgh" reads and types more easily than "abcdefgh"."""
    return f"{code[:4]} {code[4:]}" if len(code) == 8 else code


# ---------------------------------------------------------------- use and failure


def _throttle_check(device: Device) -> None:
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        until = (detail or {}).get("locked_until")
        wait = max(int((until - timezone.now()).total_seconds()) + 1, 1) if until else 1
        raise CodeThrottled(f"Too many wrong codes in a row. Wait {wait} seconds, then enter the newest code.")


def totp_verify(*, actor: User, token: str) -> Device:
    """The second factor from the authenticator app; raises MFAError (logged, emailed) when the code is wrong."""
    device = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        raise MFAError("This account has no authenticator app. Use a passkey or a recovery code.")
    _throttle_check(device)
    digits = _code_digits(token)
    if not re.fullmatch(r"\d{6}", digits) or not device.verify_token(digits):
        _failed(actor, "totp")
        raise MFAError("That code is not right. Enter the newest 6-digit code your authenticator app shows.")
    _used(actor, device)
    return device


def recovery_code_verify(*, actor: User, token: str) -> Device:
    """A one-time recovery code: it works once and is then gone."""
    device = StaticDevice.objects.filter(user=actor, confirmed=True).first()
    if device is None:
        raise MFAError(
            "This account has no recovery codes. Ask your LASA or the WSP Support Team to reset your factors."
        )
    _throttle_check(device)
    code = re.sub(r"[\s-]+", "", token or "").lower()
    if not code or len(code) > 16 or not device.verify_token(code):
        _failed(actor, "static")
        raise MFAError("That recovery code is not right or was already used. Check it and try again.")
    remaining = device.token_set.count()
    log_action("accounts.mfa.recovery_code_used", obj=actor, actor=actor, data={"remaining": remaining})
    _notify(actor, "recovery_used", remaining=remaining)
    return device


def passkey_verified(*, actor: User, device: Device) -> None:
    """A passkey django-otp-webauthn has just verified."""
    _used(actor, device)


def passkey_failed(*, actor: User, reason: str) -> None:
    _failed(actor, "webauthn", reason=reason)


def _used(user: User, device: Device) -> None:
    factor = _factor_of(device)
    log_action("accounts.mfa.verified", obj=user, actor=user, data={"factor": factor})
    _notify(user, "verified", factor=FACTOR_LABELS[factor])


def _failed(user: User, factor: str, reason: str = "") -> None:
    data = {"factor": factor, **({"reason": reason} if reason else {})}
    log_action("accounts.mfa.failed", obj=user, actor=user, data=data)
    _notify(user, "failed", factor="passkey attempt" if factor == "webauthn" else f"{FACTOR_LABELS[factor]}")


# ---------------------------------------------------------------- reset


def factors_reset(*, actor: User, user: User) -> int:
    """Remove every second factor of `user` (lost phone, lost key) and end their sessions; at the next sign-in
    they set up a new one. Returns how many factors were removed."""
    if not may_reset_factors(actor, user):
        raise MFAError("You cannot reset this user's sign-in factors.")
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
            count, _ = model.objects.filter(user=user).delete()
            removed += count
        ended = _end_sessions(user)
        log_action(
            "accounts.mfa.factors_cleared",
            obj=user,
            actor=actor,
            data={"user": user.username, "removed": removed, "sessions_ended": ended},
        )
    _notify(user, "cleared", actor=actor.get_full_name() or actor.username)
    return removed


def _end_sessions(user: User) -> int:
    """Sign the user out everywhere: a session that passed the old factor must not outlive the reset."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    ended = 0
    horizon = timezone.now() - timedelta(seconds=1)
    for session in Session.objects.filter(expire_date__gt=horizon).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


# ---------------------------------------------------------------- demo


def demo_totp_enroll(*, actor: User | None, user: User, secret_base32: str) -> bool:
    """seed_demo: enroll `user` with the published demo secret (idempotent; True when something changed)."""
    key = binascii.hexlify(base64.b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))).decode()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and device.key == key:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True, tolerance=1)
        log_action("accounts.mfa.enrolled", obj=user, actor=actor, data={"factor": "totp", "demo": True})
    return True
