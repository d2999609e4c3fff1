"""The factor pages: set up, verify (app, passkey, recovery code), recovery codes, security overview, resets."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sector.core.confirm import confirmation_required

from . import selectors, services
from .forms import CodeForm, RecoveryCodeForm
from .policy import has_factor, session_passed
from .session import PENDING_TOTP_KEY, RECOVERY_CODES_SESSION_KEY, second_factor_passed


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _after_passing(request, enrollment: services.Enrollment | None = None):
    if enrollment is not None and enrollment.recovery_codes:
        request.session[RECOVERY_CODES_SESSION_KEY] = enrollment.recovery_codes
        return redirect(f"{reverse('mfa_recovery_codes')}?next={_next(request)}")
    return redirect(_next(request))


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: the authenticator app's code, a passkey, or a recovery code."""
    if session_passed(request):
        return redirect(_next(request))
    if not has_factor(request.user):
        return redirect(f"{reverse('mfa_setup')}?next={_next(request)}")
    factors = selectors.factors_for(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_verify(actor=request.user, token=form.cleaned_data["code"])
        except services.MFAError as exc:
            form.add_error("code", str(exc))
        else:
            second_factor_passed(request, device)
            return redirect(_next(request))
    return render(
        request,
        "accounts/mfa/verify.html",
        {"form": form, "factors": factors, "next": _next(request), "demo": settings.DEBUG},
    )


@require_http_methods(["GET", "POST"])
def recovery(request):
    if session_passed(request):
        return redirect(_next(request))
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.recovery_code_verify(actor=request.user, token=form.cleaned_data["code"])
        except services.MFAError as exc:
            form.add_error("code", str(exc))
        else:
            second_factor_passed(request, device)
            left = device.token_set.count()
            messages.warning(
                request,
                f"You signed in with a recovery code; {left} left. If you lost your authenticator app or passkey, "
                "set up a new one and make new recovery codes on the Sign-in security page.",
            )
            return redirect(_next(request))
    return render(request, "accounts/mfa/recovery.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up an authenticator app: forced at the first sign-in, or from the security page to replace one."""
    passed = session_passed(request)
    if not passed and has_factor(request.user):
        return redirect(f"{reverse('mfa_verify')}?next={_next(request)}")
    key = request.session.get(PENDING_TOTP_KEY)
    if not key:
        key = request.session[PENDING_TOTP_KEY] = services.new_totp_key()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.totp_enroll(actor=request.user, key=key, token=form.cleaned_data["code"])
        except services.MFAError as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[PENDING_TOTP_KEY]
            if passed:
                request.session.cycle_key()
                messages.success(request, "Your authenticator app is set up.")
                return _after_passing(request, enrollment) if enrollment.recovery_codes else redirect("mfa_security")
            second_factor_passed(request, enrollment.device)
            return _after_passing(request, enrollment)
    secret = services.totp_key_base32(key)
    qr = segno.make(services.totp_config_url(user=request.user, key=key), error="m")
    return render(
        request,
        "accounts/mfa/setup.html",
        {
            "form": form,
            "forced": not passed,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "qr_data_uri": qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
            "next": _next(request),
        },
    )


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """The new recovery codes, shown once (GET after enrollment); a POST makes new ones (the old stop working)."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if request.method == "POST":
        if not session_passed(request):
            raise PermissionDenied
        codes = services.recovery_codes_regenerate(actor=request.user)
    if not codes:
        return redirect(_next(request) if session_passed(request) else "mfa_verify")
    return render(
        request,
        "accounts/mfa/recovery_codes.html",
        {"codes": [services.format_recovery_code(c) for c in codes], "next": _next(request)},
    )


def security(request):
    """Sign-in security: the user's factors; add a passkey, replace the app, make new recovery codes."""
    return render(
        request,
        "accounts/mfa/security.html",
        {
            "factors": selectors.factors_for(user=request.user),
            "may_reset": selectors.may_reset_anyone(actor=request.user),
        },
    )


def resets(request):
    """The users whose factors this LASA (their agency's users) or WSP support (LASAs) may reset."""
    if not selectors.may_reset_anyone(actor=request.user):
        raise PermissionDenied
    return render(request, "accounts/mfa/resets.html", {"rows": selectors.resettable_users(actor=request.user)})


@require_POST
def reset(request, user_id: int):
    if not selectors.may_reset_anyone(actor=request.user):
        raise PermissionDenied
    user = selectors.resettable_user(actor=request.user, user_id=user_id)
    if user is None:
        raise Http404("No such user among those whose factors you may reset.")
    factors = selectors.factors_for(user=user)
    asking = confirmation_required(
        request,
        title=f"Reset the sign-in factors of {user.get_full_name() or user.username}?",
        consequences=[
            f"Their second factors are removed ({factors.summary}), and they are signed out everywhere.",
            "At their next sign-in they set up a new authenticator app or passkey. They are emailed now.",
        ],
        confirm_label="Reset sign-in factors",
        cancel_url=reverse("mfa_resets"),
        breadcrumbs=[("Sign-in security", reverse("mfa_security")), ("Reset sign-in factors", reverse("mfa_resets"))],
    )
    if asking is not None:
        return asking
    try:
        services.factors_reset(actor=request.user, user=user)
    except services.MFAError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"The sign-in factors of {user.get_full_name() or user.username} were reset; they were emailed."
        )
    return redirect("mfa_resets")
