from django.urls import include, path

from . import views

urlpatterns = [
    path("mfa/verify/", views.verify, name="mfa_verify"),
    path("mfa/recovery/", views.recovery, name="mfa_recovery"),
    path("mfa/setup/", views.setup, name="mfa_setup"),
    path("mfa/recovery-codes/", views.recovery_codes, name="mfa_recovery_codes"),
    path("security/", views.security, name="mfa_security"),
    path("security/resets/", views.resets, name="mfa_resets"),
    path("security/resets/<int:user_id>/", views.reset, name="mfa_reset"),
    path("webauthn/", include("sector.accounts.mfa.webauthn")),
]
