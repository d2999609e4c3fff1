from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
        help_text="The code your authenticator app shows for the SECTOR Program Portal. It changes every 30 seconds.",
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label="Recovery code",
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "spellcheck": "false"}),
        help_text="One of the recovery codes you saved when you set up your second factor, e.g. “ab3d ef5h”. "
        "Each works once.",
        error_messages={"required": "Enter one of your recovery codes."},
    )
