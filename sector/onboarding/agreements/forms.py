"""Forms of the agreements: preparing one, signing in the portal, uploading the signed copy."""

from django import forms

from sector.core.uploads import check_upload

from ..choices import MAX_UPLOAD_BYTES, SIGNED_COPY_TYPES, UPLOAD_TOO_LARGE


class PrepareAgreementForm(forms.Form):
    template = forms.ModelChoiceField(label="Agreement", queryset=None, empty_label="Choose an agreement")

    def __init__(self, *args, templates=(), **kwargs):
        from ..models import AgreementTemplate

        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = AgreementTemplate.objects.filter(pk__in=[t.pk for t in templates])
        self.fields["template"].label_from_instance = lambda t: f"{t.title} (version {t.version})"
        self.fields["template"].error_messages["invalid_choice"] = "Choose an agreement from the list."


class SignAgreementForm(forms.Form):
    signatory_name = forms.CharField(label="Signatory's full name", max_length=120)
    signatory_title = forms.CharField(label="Signatory's title", max_length=120, help_text="e.g. Chief of Police")
    authority = forms.CharField(
        label="Authority to sign",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="e.g. As Chief of Police, I am authorized by the City of Olympia to sign this agreement.",
    )
    confirm = forms.BooleanField(
        label="I sign this agreement for the agency; typing my name is my signature.",
        error_messages={"required": "Tick the box to confirm that typing your name is your signature."},
    )


class UploadSignedAgreementForm(forms.Form):
    signed_copy = forms.FileField(label="Signed copy (PDF, up to 5 MB)")
    resolution_number = forms.CharField(label="Resolution or approval number", max_length=60)
    resolution_date = forms.DateField(
        label="Date of the resolution",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    signatory_name = forms.CharField(label="Who signed (optional)", max_length=120, required=False)
    signatory_title = forms.CharField(label="Their title (optional)", max_length=120, required=False)

    def clean_signed_copy(self):
        upload = self.cleaned_data["signed_copy"]
        checked = check_upload(
            upload, allowed=SIGNED_COPY_TYPES, max_bytes=MAX_UPLOAD_BYTES, too_large_advice=UPLOAD_TOO_LARGE
        )
        self.sha256 = checked.sha256
        return upload
