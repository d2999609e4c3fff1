from django import forms

from sector.orgs.models import Agency


class MigrationOpenForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), to_field_name="ori", empty_label="Choose an agency"
    )
    cutover_on = forms.DateField(
        label="Cut-over date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After this day (Pacific) the feed refuses the agency's records from the old sender.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000, widget=forms.TextInput)

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["agency"].queryset = queryset
        self.fields["agency"].error_messages["invalid_choice"] = (
            "That agency is not in the registry, already uses TraCS or already has a migration. "
            "Choose one from the list."
        )
        self.fields["cutover_on"].error_messages["invalid"] = "Enter the cut-over date as a date, e.g. 2027-03-31."


class RescheduleForm(forms.Form):
    cutover_on = forms.DateField(
        label="New cut-over date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the cut-over date as a date, e.g. 2027-03-31."},
    )


class BulkUploadForm(forms.Form):
    file = forms.FileField(label="Spreadsheet (CSV or XLSX)")
