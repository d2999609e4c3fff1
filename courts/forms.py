from django import forms

from citations.choices import CorrectionReason, ReferralDecision, TicketKind, TicketStatus
from sector.orgs.models import Agency, Court

PAGE_SIZES = (25, 50, 100)


class IntakeFilterForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=60,
        label="Search",
        help_text=(
            "Ticket, case or agency case number, plate, license number or its last four, or a name "
            "(LAST, FIRST or First Last). A search looks through every status unless you pick one."
        ),
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Queue order"),
            ("received", "Received, oldest first"),
            ("-received", "Received, newest first"),
            ("appearance", "Appearance date, soonest first (tickets with one)"),
            ("defendant", "Defendant, A to Z"),
        ],
        label="Order",
    )
    # Plain choices from one query each: rendering and validating a select cost no second query.
    court = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    agency = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *TicketKind.choices], required=False)
    status = forms.ChoiceField(
        choices=[("", "Needs action"), *TicketStatus.choices, ("all", "All statuses")], required=False
    )
    late = forms.ChoiceField(
        choices=[("", "Late or on time"), ("yes", "Late"), ("no", "On time")], required=False, label="Filing"
    )
    amendment = forms.BooleanField(required=False, label="Has an amendment or void request")
    appearance = forms.BooleanField(required=False, label="Appearance date to check")
    issued_from = forms.DateField(required=False, label="Issued from", widget=forms.DateInput(attrs={"type": "date"}))
    issued_to = forms.DateField(required=False, label="Issued to", widget=forms.DateInput(attrs={"type": "date"}))
    size = forms.TypedChoiceField(
        choices=[(s, s) for s in PAGE_SIZES], coerce=int, required=False, empty_value=25, label="Per page"
    )

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        court_rows = list(courts.values_list("id", "name", "code")) if courts is not None else []
        self.fields["court"].choices = [("", "All my courts")] + [(i, f"{n} ({c})") for i, n, c in court_rows]
        agencies = Agency.objects.order_by("name", "id").values_list("id", "name", "ori")
        self.fields["agency"].choices = [("", "Any agency")] + [(i, f"{n} ({o})") for i, n, o in agencies]


class AcceptForm(forms.Form):
    case_number = forms.CharField(
        required=False,
        max_length=40,
        label="Case number",
        help_text="From the court's case system; leave empty to generate one from the court's pattern.",
    )

    def __init__(self, *args, expected_form: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if expected_form:
            self.fields[
                "case_number"
            ].help_text = (
                f"From the court's case system, in the form {expected_form}; leave empty to generate the next one."
            )


class CaseNumberCorrectionForm(forms.Form):
    case_number = forms.CharField(max_length=40, label="Correct case number")
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason for the correction",
        help_text="Kept in the ticket's history with the number before and after.",
    )


class TransferForm(forms.Form):
    court = forms.ModelChoiceField(queryset=Court.objects.none(), label="Transfer to")
    note = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ticket=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Never the ticket's own court: a transfer moves it somewhere else.
        courts = Court.objects.filter(accepts_etickets=True).order_by("name", "id")
        courts = courts.exclude(pk=ticket.court_id) if ticket is not None else courts
        field = self.fields["court"]
        field.queryset = courts  # what a posted choice is checked against
        # The options from one plain query (labels as Court.__str__ writes them): rendering them costs no model
        # instances, and the rendered form can be kept (sector/core/form_render.py).
        rows = courts.values_list("id", "name", "code")
        field.choices = [("", field.empty_label), *((pk, f"{name} ({code})") for pk, name, code in rows)]


class DuplicateForm(forms.Form):
    original = forms.CharField(
        max_length=20, label="Original ticket number", help_text="The copy is closed; the original is kept."
    )


class CorrectionForm(forms.Form):
    reason = forms.ChoiceField(choices=CorrectionReason.choices)
    note = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="What the agency should correct."
    )


class ReferForm(forms.Form):
    question = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Question for the judge"
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ReferralDecision.choices)
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ClosureForm(forms.Form):
    court = forms.ModelChoiceField(queryset=Court.objects.none(), required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=200, help_text="e.g. Inclement weather, staff training day")

    def __init__(self, *args, courts=None, statewide=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.statewide = statewide
        self.fields["court"].queryset = courts if courts is not None else Court.objects.none()
        self.fields["court"].empty_label = "All courts (statewide)" if statewide else None
        self.fields["court"].required = not statewide
