from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from sector.core.mail import send_templated_mail


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
    """Django's reset form, with the mail sent by a Celery task after commit instead of inside the request."""

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
