from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from sector.core.responses import throttled_response
from sector.core.throttle import client_address, throttle_check, throttle_hit

from .forms import QueuedPasswordResetForm, SignInForm
from .middleware import session_limits
from .roles import ROLES
from .selectors import organisations_for


class SignInView(auth_views.LoginView):
    """Django's sign-in with two limits: django-axes locks a user name after 5 failures (AXES_* settings), and
    failures from one client address are counted across user names (`signin.address`), so one address
    cannot try a password against many accounts. Past the address limit the password is not even checked."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        verdict = throttle_check(scope="signin.address", value=client_address(request))
        if not verdict.allowed:
            return throttled_response(request, verdict, what="sign-in attempts")
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if self.request.method == "POST":
            throttle_hit(scope="signin.address", value=client_address(self.request))
        return super().form_invalid(form)


class ResetView(auth_views.PasswordResetView):
    """Reset requests are limited per client address (429) and per address typed in: past that one the page
    says the same as ever and no mail goes out, so the answer never tells whether an account exists."""

    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        verdict = throttle_hit(scope="reset.address", value=client_address(request))
        if not verdict.allowed:
            return throttled_response(request, verdict, what="password reset requests")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if not throttle_hit(scope="reset.account", value=form.cleaned_data["email"]).allowed:
            return super(auth_views.PasswordResetView, self).form_valid(form)  # the redirect, without the mail
        return super().form_valid(form)


@require_GET
def profile(request):
    roles = [ROLES[name] for name in sorted(request.user.role_names) if name in ROLES]
    return render(request, "accounts/profile.html", {"roles": roles, "organisations": organisations_for(request.user)})


@require_POST
def session_keep_alive(request):
    """ "Stay signed in": the request itself is the activity (the timeout middleware has just counted it); the
    answer tells the page when the session now ends. Signed-in users only, like every page."""
    response = JsonResponse(session_limits(request))
    response["Cache-Control"] = "no-store"
    return response
