from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from sector.core.mail import send_templated_mail

from .models import User


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label="User name", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    error_messages = {
        "invalid_login": (
            "That user name and password do not match an account. Check both (the password is case-sensitive) "
            "and try again. After 5 failed attempts the account is locked for 15 minutes."
        ),
        "inactive": "This account has been deactivated. Ask your LASA or the WSP Support Team to reactivate it.",
    }


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail sent by a Celery task after commit instead of inside the request.

    Unlike Django's it also reaches an invited user who has not chosen a password yet (an unusable password):
    invitation links expire after 24 hours (PASSWORD_RESET_TIMEOUT), and "Forgot your password?" is how an
    invitee whose link ran out gets a new one."""

    def get_users(self, email):
        field = User.get_email_field_name()
        for user in User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True}):
            if getattr(user, field).casefold() == email.casefold():
                yield user

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        send_templated_mail(
            to=[to_email],
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=context,
            html_template=html_email_template_name,
        )
