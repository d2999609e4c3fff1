"""What passing the second factor does to the session."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device

RECOVERY_CODES_SESSION_KEY = "_sector_mfa_new_codes"
PENDING_TOTP_KEY = "_sector_mfa_pending_totp"


def second_factor_passed(request: HttpRequest, device: Device) -> None:
    """Mark the session as through its second factor, under a new session key (a key seen before the second
    factor, by whoever had the password, is worth nothing after it)."""
    otp_login(request, device)
    request.session.cycle_key()
