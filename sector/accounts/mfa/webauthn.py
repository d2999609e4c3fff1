"""Passkeys and security keys through django-otp-webauthn, wired into the portal's sign-in.

The library's four JSON endpoints are subclassed only to add what the portal needs around them: the audit
entry and email of every enrollment, use and failure, the recovery codes a first factor comes with, and a new
session key when the second factor is passed. The ceremonies themselves (challenges, signatures, counters)
are the library's (py_webauthn underneath).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path, reverse
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.helpers import WebAuthnHelper

from . import services
from .policy import session_passed
from .session import RECOVERY_CODES_SESSION_KEY, second_factor_passed


def relying_party_id(request: HttpRequest) -> str:
    """OTP_WEBAUTHN_RP_ID (PORTAL_URL's host); in dev and test the host this request came to."""
    if settings.MFA_WEBAUTHN_TRUST_REQUEST_HOST:
        return request.get_host().rsplit(":", 1)[0].strip("[]")
    return settings.OTP_WEBAUTHN_RP_ID


class PortalWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        """OTP_WEBAUTHN_ALLOWED_ORIGINS (PORTAL_URL's origin); in dev and test also this request's own origin."""
        origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
        if settings.MFA_WEBAUTHN_TRUST_REQUEST_HOST:
            origins.append(f"{self.request.scheme}://{self.request.get_host()}")
        return origins

    def get_credential_display_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class _AuditedFailures:
    def handle_exception(self, exc):
        user = getattr(self.request, "user", None)
        counted = isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(
            exc, exceptions.InvalidState | exceptions.NotVerified
        )
        if counted and user is not None and user.is_authenticated:
            services.passkey_failed(actor=user, reason=exc.code)
        return super().handle_exception(exc)


class RegistrationBegin(views.BeginCredentialRegistrationView):
    pass


class RegistrationComplete(_AuditedFailures, views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        was_passed = session_passed(self.request)
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            device = views.WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
            if not was_passed:
                second_factor_passed(self.request, device)
            enrollment = services.passkey_enrolled(actor=self.request.user, device=device)
            if enrollment.recovery_codes:
                self.request.session[RECOVERY_CODES_SESSION_KEY] = enrollment.recovery_codes
            return JsonResponse(
                {
                    "id": device.pk,
                    "redirect_url": reverse("mfa_recovery_codes")
                    if enrollment.recovery_codes
                    else reverse("mfa_security"),
                }
            )
        return response


class AuthenticationBegin(views.BeginCredentialAuthenticationView):
    pass


class AuthenticationComplete(_AuditedFailures, views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        if not self.request.user.is_authenticated:  # passwordless sign-in is off: the password comes first
            raise exceptions.PasswordlessLoginDisabled()
        if device.user_id != self.request.user.pk:
            raise exceptions.CredentialUserMismatch()
        second_factor_passed(self.request, device)
        services.passkey_verified(actor=self.request.user, device=device)


app_name = "otp_webauthn"
urlpatterns = [
    path("registration/begin/", RegistrationBegin.as_view(), name="credential-registration-begin"),
    path("registration/complete/", RegistrationComplete.as_view(), name="credential-registration-complete"),
    path("authentication/begin/", AuthenticationBegin.as_view(), name="credential-authentication-begin"),
    path("authentication/complete/", AuthenticationComplete.as_view(), name="credential-authentication-complete"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="js-i18n-catalog"),
]
