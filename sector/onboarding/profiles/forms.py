from django import forms

from ..choices import PROFILE_FIGURES
from ..models import RequirementProfile
from .services import EDITABLE


class ProfileForm(forms.ModelForm):
    """The draft version's values, and which figures are doubtful (shown with the mark, never applied)."""

    doubtful = forms.MultipleChoiceField(
        label="Doubtful figures",
        required=False,
        choices=[(name, f"{label} figure is doubtful") for name, label, _unit in PROFILE_FIGURES],
        widget=forms.CheckboxSelectMultiple,
        help_text="A figure marked doubtful is shown with the mark and never used as a requirement.",
    )

    class Meta:
        model = RequirementProfile
        fields = list(EDITABLE)
        labels = {
            "name": "Name of the version",
            "effective_from": "Effective from",
            "compatible_os": "Compatible operating systems",
            "cpu_min_ghz": "Processor minimum (GHz)",
            "cpu_preferred_ghz": "Processor preferred (GHz)",
            "ram_min_gb": "RAM minimum (GB)",
            "ram_preferred_gb": "RAM preferred (GB)",
            "disk_min_gb": "Free disk minimum (GB)",
            "disk_preferred_gb": "Free disk preferred (GB)",
            "required_equipment": "Required equipment",
            "recommended_equipment": "Recommended equipment",
            "client_installs": "Installed by the SECTOR client if absent",
            "source": "Source of the figures",
        }
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "compatible_os": forms.Textarea(attrs={"rows": 4}),
            "required_equipment": forms.Textarea(attrs={"rows": 2}),
            "recommended_equipment": forms.Textarea(attrs={"rows": 3}),
            "client_installs": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["doubtful"] = list(self.instance.doubtful)
        for name, _label, _unit in PROFILE_FIGURES:
            self.fields[name].widget.attrs.update({"step": "0.01", "min": "0"})
            self.fields[name].error_messages["invalid"] = "Enter a number, such as 1.5."
        self.fields["effective_from"].error_messages["invalid"] = "Enter the date as YYYY-MM-DD."
