"""Forms of the Technical Assessment Survey: the draft, an inventory line, the spreadsheet import."""

from django import forms


class SurveyForm(forms.ModelForm):
    """The draft: every field may be left empty until submitting."""

    it_confirm = forms.BooleanField(
        label="Agency IT confirms the answers above and the inventory below are accurate",
        required=False,
    )

    class Meta:
        from ..models import Survey

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
        from ..models import InventoryLine

        model = InventoryLine
        fields = ["model", "os", "cpu_ghz", "ram_gb", "disk_free_gb", "quantity", "barcode_scanner", "printer"]
        help_texts = {"os": "As the computer reports it, e.g. Windows 10 Pro."}


class InventoryImportForm(forms.Form):
    file = forms.FileField(
        label="Inventory spreadsheet (CSV or XLSX)",
        help_text="Columns: model, os, cpu_ghz, ram_gb, disk_free_gb; optional barcode_scanner, printer, quantity. "
        "Up to 1 MB and 2,000 rows.",
    )
