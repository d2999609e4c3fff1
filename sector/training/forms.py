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
