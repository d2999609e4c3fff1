"""Forms of the checklist pages: the pipeline filter, starting an agency, completing a step."""

from django import forms

from sector.core.uploads import check_upload
from sector.orgs.models import Agency

from ..choices import EVIDENCE_TYPES, MAX_UPLOAD_BYTES, UPLOAD_TOO_LARGE, Stage


class PipelineFilterForm(forms.Form):
    q = forms.CharField(label="Agency name or ORI", required=False, max_length=100)
    stage = forms.ChoiceField(label="Stage", required=False, choices=[("", "Any stage"), *Stage.choices])
    overdue = forms.BooleanField(label="Only with overdue steps", required=False)


class StartOnboardingForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), to_field_name="ori", empty_label="Choose an agency"
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["agency"].queryset = queryset
        self.fields["agency"].error_messages["invalid_choice"] = (
            "That agency is not in the registry or is already in onboarding. Choose one from the list."
        )


class StepCompleteForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: overview given by phone on 3 March; survey link sent to the chief's assistant.",
        error_messages={"required": "Write a note saying what was done."},
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A PDF, PNG or JPEG up to 5 MB, e.g. the email you sent or a signed form.",
    )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        self.evidence_sha256 = ""
        if upload:
            checked = check_upload(
                upload, allowed=EVIDENCE_TYPES, max_bytes=MAX_UPLOAD_BYTES, too_large_advice=UPLOAD_TOO_LARGE
            )
            self.evidence_sha256 = checked.sha256
        return upload
