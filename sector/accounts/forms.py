from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from sector.core.jobs import enqueue
from sector.core.tasks import send_email_task


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
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        enqueue(send_email_task, subject=subject, body=body, to=[to_email], html=html)
