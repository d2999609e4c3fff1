from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from .forms import QueuedPasswordResetForm, SignInForm
from .middleware import session_limits
from .roles import ROLES
from .selectors import organisations_for


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


class ResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    success_url = reverse_lazy("password_reset_done")


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
