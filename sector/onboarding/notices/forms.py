"""Forms of the court readiness decision, its filter, and the prosecutor's acknowledgment."""

from django import forms


class ReadinessForm(forms.Form):
    from ..choices import Readiness

    decision = forms.ChoiceField(
        label="The court",
        choices=[
            (Readiness.WILL_ACCEPT.value, "Will accept the agency's e-tickets"),
            (Readiness.NOT_YET.value, "Not yet"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the court will accept the agency's e-tickets."},
    )
    accept_from = forms.DateField(
        label="From (if it will accept)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    reason = forms.CharField(
        label="Why not yet (if not yet)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decider_name = forms.CharField(
        label="Decided for the court by",
        max_length=120,
        help_text="The name of the person who decided (you, or e.g. the presiding judge or court administrator).",
        error_messages={"required": "Give the name of the person who decided for the court."},
    )
    decider_title = forms.CharField(
        label="Their title",
        max_length=120,
        help_text="e.g. Court Administrator, Presiding Judge.",
        error_messages={"required": "Give the title of the person who decided (e.g. Court Administrator)."},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "will_accept" and not data.get("accept_from"):
            self.add_error("accept_from", "Give the date from which the court will accept e-tickets.")
        if data.get("decision") == "not_yet" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the court is not ready yet, so the agency knows what to do.")
        return data


class ReadinessFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All notices"), ("pending", "Awaiting decision"), ("decided", "Decided")],
    )


class AcknowledgeForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=120, required=False)
