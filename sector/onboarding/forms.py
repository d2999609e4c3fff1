from django import forms

from sector.core.uploads import check_upload
from sector.orgs.models import Agency

from .choices import EVIDENCE_TYPES, MAX_UPLOAD_BYTES, SIGNED_COPY_TYPES, UPLOAD_TOO_LARGE, Stage


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


class SurveyForm(forms.ModelForm):
    """The draft: every field may be left empty until submitting."""

    it_confirm = forms.BooleanField(
        label="Agency IT confirms the answers above and the inventory below are accurate",
        required=False,
    )

    class Meta:
        from .models import Survey

        model = Survey
        fields = [
            "contact_name", "contact_title", "contact_email", "contact_phone", "sworn_officers",
            "vehicles_with_laptops", "in_car_wireless", "office_network", "records_system", "courts",
            "prosecutor_name", "prosecutor_office", "prosecutor_email", "it_signoff_name", "it_signoff_title",
        ]  # fmt: skip
        labels = {
            "sworn_officers": "Sworn officers",
            "vehicles_with_laptops": "Vehicles with in-car laptops",
            "in_car_wireless": "In-car wireless",
            "office_network": "Office network",
            "records_system": "Records system",
            "prosecutor_name": "Prosecutor's name",
            "prosecutor_office": "Prosecutor's office",
            "prosecutor_email": "Prosecutor's email",
        }
        help_texts = {
            "courts": "Hold Ctrl (Cmd on a Mac) to choose several. Each court is sent a notice when you submit.",
            "prosecutor_email": "The notice and its acknowledgment link go to this address.",
        }
        widgets = {"courts": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        from sector.orgs.models import Court

        super().__init__(*args, **kwargs)
        self.fields["courts"].queryset = Court.objects.order_by("name", "id")
        self.fields["courts"].error_messages["invalid_choice"] = "Choose courts from the list."
        if self.instance and self.instance.pk:
            self.fields["it_confirm"].initial = self.instance.it_signed_off_at is not None

    def clean(self):
        data = super().clean()
        if data.get("it_confirm") and not (data.get("it_signoff_name") and data.get("it_signoff_title")):
            self.add_error("it_signoff_name", "Give the name and title of the IT person who signs off.")
        return data


class InventoryLineForm(forms.ModelForm):
    class Meta:
        from .models import InventoryLine

        model = InventoryLine
        fields = ["model", "os", "cpu_ghz", "ram_gb", "disk_free_gb", "quantity", "barcode_scanner", "printer"]
        help_texts = {"os": "As the computer reports it, e.g. Windows 10 Pro."}


class InventoryImportForm(forms.Form):
    file = forms.FileField(
        label="Inventory spreadsheet (CSV or XLSX)",
        help_text="Columns: model, os, cpu_ghz, ram_gb, disk_free_gb; optional barcode_scanner, printer, quantity. "
        "Up to 1 MB and 2,000 rows.",
    )


class ReadinessForm(forms.Form):
    from .choices import Readiness

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


class PrepareAgreementForm(forms.Form):
    template = forms.ModelChoiceField(label="Agreement", queryset=None, empty_label="Choose an agreement")

    def __init__(self, *args, templates=(), **kwargs):
        from .models import AgreementTemplate

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
        help_text="e.g. As Chief of Police, I am authorised by the City of Olympia to sign this agreement.",
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
    from .choices import LASA_MANAGED_ROLES

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    email = forms.EmailField(label="Email")
    role = forms.ChoiceField(label="Role", choices=list(LASA_MANAGED_ROLES.items()))


class AgencyUserRoleForm(forms.Form):
    from .choices import LASA_MANAGED_ROLES

    role = forms.ChoiceField(label="Role", choices=list(LASA_MANAGED_ROLES.items()))
