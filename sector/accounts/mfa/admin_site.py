"""The admin behind the second factor: django-otp's OTPAdminSite (has_permission also asks is_verified()),
signing in through the portal's own sign-in, so there is one sign-in path with its lockout, audit and factors."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.admin import OTPAdminSite

from .policy import session_passed


class PortalOTPAdminSite(OTPAdminSite):
    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("login"))
        if not session_passed(request):
            return redirect(f"{reverse('mfa_verify')}?{urlencode({'next': next_url})}")
        raise PermissionDenied  # signed in and through the second factor, but not an administrator
