from django import forms


class CredentialForm(forms.Form):
    system = forms.RegexField(
        label="Sending system",
        max_length=64,
        regex=r"^[A-Za-z0-9._ -]+$",
        help_text="e.g. WSP-BACKOFFICE or TRACS. Letters, digits, spaces, dots, dashes and underscores.",
        error_messages={"invalid": "Use letters, digits, spaces, dots, dashes or underscores only."},
    )


class ExceptionFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("resolved", "Re-processed"), ("dismissed", "Dismissed"), ("all", "All")],
        initial="open",
    )
    code = forms.CharField(required=False, max_length=40, label="Error code")
    q = forms.CharField(required=False, max_length=40, label="Number or ORI")


class DismissForm(forms.Form):
    note = forms.CharField(label="Why dismiss it", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
