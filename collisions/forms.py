from django import forms
from django.utils import timezone

from sector.orgs.models import Agency

from .choices import PartyRelation, ReportStatus, Section, Severity


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Report number, agency case number, officer or driver (LAST, FIRST or First Last).",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False, empty_label=None)
    severity = forms.ChoiceField(
        choices=[("", "Any severity"), *Severity.choices], required=False, label="Severity (KABCO)"
    )
    status = forms.ChoiceField(
        choices=[
            ("awaiting", "Awaiting review"),
            *[(s.value, s.label) for s in ReportStatus if s.value not in ("pending", "reviewed")],
            ("all", "Any status"),
        ],
        required=False,
    )
    size = forms.TypedChoiceField(
        choices=[(25, "25"), (50, "50"), (100, "100")], coerce=int, required=False, label="Per page"
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class ReturnForm(forms.Form):
    """One optional note per section; at least one is required (checked by the service)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section in Section:
            self.fields[f"note_{section.value}"] = forms.CharField(
                label=section.label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def notes(self) -> dict[str, str]:
        return {s.value: self.cleaned_data.get(f"note_{s.value}", "") for s in Section}


class ReleaseForm(forms.Form):
    party_name = forms.CharField(max_length=200, label="Released to (name)")
    relation = forms.ChoiceField(choices=PartyRelation.choices, label="Their relation to the collision")
    person_position = forms.TypedChoiceField(
        coerce=int,
        required=False,
        empty_value=None,
        label="The report's person they are (or represent)",
        help_text="That person's details stay in the redacted copy; every other party's are removed.",
    )
    what = forms.CharField(max_length=300, initial="Redacted report with diagram", label="What was released")
    released_on = forms.DateField(
        initial=timezone.localdate, label="Released on", widget=forms.DateInput(attrs={"type": "date"})
    )
    narrative = forms.CharField(
        required=False,
        max_length=20000,
        strip=True,
        label="Narrative as released (redacted)",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "The officer's narrative is not copied into a release. Type it here with every other party's details "
            "removed, or leave it empty to leave the narrative out. Any other party's name, address, license or "
            "plate still in it is masked in the PDF as well."
        ),
    )

    def __init__(self, *args, persons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_position"].choices = [("", "None of them (an insurer or other party)")] + [
            (
                p.position,
                f"{p.person.get('last_name', '')}, {p.person.get('first_name', '')}"
                f" — unit {p.unit_number}, {p.get_role_display()}",
            )
            for p in persons
        ]

    def clean_released_on(self):
        day = self.cleaned_data["released_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("A release date cannot be in the future.")
        return day
