"""Forms of the agency contact's invitation, the LASA proposal and decision, and the LASA's user management."""

from django import forms


class ContactInviteForm(forms.Form):
    overview_on = forms.DateField(
        label="Overview given on",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date as YYYY-MM-DD."},
    )
    note = forms.CharField(label="Note (optional)", max_length=1000, required=False)
    first_name = forms.CharField(label="Contact's first name", max_length=100)
    last_name = forms.CharField(label="Contact's last name", max_length=100)
    email = forms.EmailField(label="Contact's email", help_text="The survey invitation and set-password link go here.")


class LasaProposalForm(forms.Form):
    primary_user = forms.ModelChoiceField(
        label="LASA: an existing user of the agency", queryset=None, required=False, empty_label="— a new person —"
    )
    primary_first_name = forms.CharField(label="or a new person: first name", max_length=100, required=False)
    primary_last_name = forms.CharField(label="last name", max_length=100, required=False)
    primary_email = forms.EmailField(label="email", required=False)
    backup_user = forms.ModelChoiceField(
        label="Backup LASA (optional): an existing user", queryset=None, required=False, empty_label="— none or new —"
    )
    backup_first_name = forms.CharField(label="or a new person: first name", max_length=100, required=False)
    backup_last_name = forms.CharField(label="last name", max_length=100, required=False)
    backup_email = forms.EmailField(label="email", required=False)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("primary_user", "backup_user"):
            self.fields[name].queryset = users
            self.fields[name].error_messages["invalid_choice"] = "Choose a user of your agency from the list."


class LasaDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision", choices=[("approve", "Approve"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when declining: say why.",
    )  # fmt: skip


class AgencyUserInviteForm(forms.Form):
    from ..choices import LASA_MANAGED_ROLES

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email")
    role = forms.ChoiceField(label="Role", choices=list(LASA_MANAGED_ROLES.items()))
    personnel_number = forms.CharField(
        label="Badge or personnel number",
        max_length=30,
        required=False,
        help_text="As on the officer's tickets and collision reports (e.g. OPD-1142). Required for an officer.",
    )

    def clean(self):
        data = super().clean()
        if data.get("role") == "officer" and not (data.get("personnel_number") or "").strip():
            self.add_error(
                "personnel_number",
                "Give the officer's badge or personnel number: tickets and collision reports are matched by it.",
            )
        return data


class AgencyUserRoleForm(forms.Form):
    from ..choices import LASA_MANAGED_ROLES

    role = forms.ChoiceField(label="Role", choices=list(LASA_MANAGED_ROLES.items()))
