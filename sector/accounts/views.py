from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from .forms import QueuedPasswordResetForm, SignInForm
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
