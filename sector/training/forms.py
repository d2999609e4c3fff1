from django import forms

from .choices import EventKind


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    starts_at = forms.DateTimeField(
        label="Starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": "Enter the date and time, e.g. 2026-12-03 09:00."},
    )
    place = forms.CharField(label="Place", max_length=200)
    capacity = forms.IntegerField(label="Seats", min_value=1, max_value=500)
    trainer = forms.CharField(label="Trainer", max_length=200)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, EventKind(k).label) for k in kinds]


class RegisterForm(forms.Form):
    person = forms.ModelChoiceField(label="Person", queryset=None, empty_label="Choose a person")

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].error_messages["invalid_choice"] = "Choose a person from the list."


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label="Find a person",
        required=False,
        max_length=100,
        help_text="Name, agency or court, or personnel number. Every word must match.",
    )


class NewPersonForm(forms.Form):
    """Someone the registry does not have yet: an officer of an agency, or a member of a court's staff."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    personnel_number = forms.CharField(label="Personnel or badge number", max_length=30, required=False)
    email = forms.EmailField(label="Email", required=False, help_text="For the registration and the certificate.")
    agency = forms.ModelChoiceField(label="Agency", queryset=None, required=False, empty_label="Choose an agency")
    court = forms.ModelChoiceField(label="Court", queryset=None, required=False, empty_label="Choose a court")

    def __init__(self, *args, court_staff: bool, agencies=None, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if court_staff:
            del self.fields["agency"]
            del self.fields["personnel_number"]
            self.fields["court"].queryset = courts
            self.fields["court"].required = True
            self.fields["court"].error_messages["required"] = "Choose the court the person works at."
        else:
            del self.fields["court"]
            self.fields["agency"].queryset = agencies
            self.fields["agency"].required = True
            self.fields["agency"].error_messages["required"] = "Choose the officer's agency."
            self.fields["personnel_number"].required = True
            self.fields["personnel_number"].error_messages["required"] = (
                "Give the personnel or badge number: tickets and reports are matched to officers by it."
            )


class OfficerTargetForm(forms.Form):
    target = forms.IntegerField(
        label="Officers to train",
        required=False,
        min_value=1,
        max_value=5000,
        help_text="Leave empty to use the sworn officers the agency's survey reports.",
        error_messages={"min_value": "The target is at least 1 officer.", "invalid": "Enter a whole number."},
    )
