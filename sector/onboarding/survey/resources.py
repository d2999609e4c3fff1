"""Spreadsheet import of a survey's computer inventory (django-import-export)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from import_export import fields, resources, widgets

from sector.orgs.resources import StrippedWidget, YesNoWidget

from ..models import InventoryLine

REQUIRED_COLUMNS = ("model", "os", "cpu_ghz", "ram_gb", "disk_free_gb")
OPTIONAL_COLUMNS = ("barcode_scanner", "printer", "quantity")
MAX_ROWS = 2000


class NumberWidget(widgets.Widget):
    """A number as people type it ("2.4", "2,4 GHz" is refused with a plain message)."""

    def __init__(self, label: str, integer: bool = False, **kwargs):
        self.label = label
        self.integer = integer
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.integer:
                return 1
            raise ValueError(f"{self.label} is empty; give a number.")
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{self.label} “{text}” is not a number (write it like 2.4).") from None
        if not number.is_finite():
            raise ValueError(f"{self.label} “{text}” is not a number.")
        if self.integer:
            if number != number.to_integral_value():
                raise ValueError(f"{self.label} “{text}” must be a whole number.")
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class InventoryLineResource(resources.ModelResource):
    model = fields.Field(attribute="model", column_name="model", widget=StrippedWidget())
    os = fields.Field(attribute="os", column_name="os", widget=StrippedWidget())
    cpu_ghz = fields.Field(attribute="cpu_ghz", column_name="cpu_ghz", widget=NumberWidget("Processor GHz"))
    ram_gb = fields.Field(attribute="ram_gb", column_name="ram_gb", widget=NumberWidget("RAM GB"))
    disk_free_gb = fields.Field(
        attribute="disk_free_gb", column_name="disk_free_gb", widget=NumberWidget("Free disk GB")
    )
    barcode_scanner = fields.Field(
        attribute="barcode_scanner", column_name="barcode_scanner", widget=YesNoWidget(default=False)
    )
    printer = fields.Field(attribute="printer", column_name="printer", widget=YesNoWidget(default=False))
    quantity = fields.Field(attribute="quantity", column_name="quantity", widget=NumberWidget("Quantity", integer=True))

    def __init__(self, survey=None, **kwargs):
        super().__init__(**kwargs)
        self.survey = survey

    def init_instance(self, row=None):
        return InventoryLine(survey=self.survey)

    class Meta:
        model = InventoryLine
        fields = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
        export_order = fields
        force_init_instance = True
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = False
