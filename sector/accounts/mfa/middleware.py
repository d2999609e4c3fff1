"""The second-factor gate.

`SessionOTPMiddleware` is django-otp's OTPMiddleware with the device lookup deferred until something asks
`request.user.is_verified()` (the admin site, the passkey views): every other request is answered from the
session, without a query. `SecondFactorRequiredMiddleware` lets a signed-in session that has not passed its
second factor reach nothing but the factor pages and sign-out (static files are served before it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from .policy import has_factor, mfa_required, session_passed

# The views a session that has not passed its second factor may reach.
FACTOR_VIEWS = frozenset(
    {
        "mfa_verify",
        "mfa_recovery",
        "mfa_setup",
        "mfa_recovery_codes",
        "logout",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)


class SessionOTPMiddleware(OTPMiddleware):
    def _verify_user_sync(self, request, user):
        self._init_user_fields(user)
        if user.is_authenticated and request.session.get(DEVICE_ID_SESSION_KEY):
            loaded = False

            def is_verified() -> bool:
                nonlocal loaded
                if not loaded:
                    loaded = True
                    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
                    device = self._device_from_persistent_id(persistent_id) if persistent_id else None
                    user.otp_device = self._finalize_device(request, user, device)
                return user.otp_device is not None

            user.is_verified = is_verified
        return user


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or session_passed(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in FACTOR_VIEWS:
            return None
        if not mfa_required(user):
            return None
        return second_factor_redirect(request)


def second_factor_redirect(request) -> HttpResponse:
    page = "mfa_verify" if has_factor(request.user) else "mfa_setup"
    target = f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"detail": "Sign-in is not complete: pass the second factor first."}, status=403)
    return redirect(target)
