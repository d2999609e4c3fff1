"""Spreadsheet import/export of reference data (django-import-export). The admin and the shell command use
these same resources, so one set of rules decides what a good row is."""

from import_export import fields, resources, widgets

from .models import Agency, Court, Person


class YesNoWidget(widgets.BooleanWidget):
    """yes/no, y/n, true/false, 1/0 (any case); empty means the column's default."""

    TRUE_VALUES = ["1", 1, True, "true", "yes", "y", "t"]
    FALSE_VALUES = ["0", 0, False, "false", "no", "n", "f"]

    def __init__(self, default: bool = True, **kwargs):
        self.default = default
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and value.strip() == ""):
            return self.default
        normal = value.strip().lower() if isinstance(value, str) else value
        if normal in self.TRUE_VALUES:
            return True
        if normal in self.FALSE_VALUES:
            return False
        raise ValueError(f"{value!r} is not yes or no")

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class StrippedUpperWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return value.strip().upper() if isinstance(value, str) else value


class StrippedWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return value.strip() if isinstance(value, str) else value


class ChoiceWidget(StrippedWidget):
    """Accepts a choice's stored value or its label, any case ('Sheriff' or 'sheriff')."""

    def __init__(self, choices, **kwargs):
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if not value:
            return value
        return self.lookup.get(value.lower(), value)


class AgencyResource(resources.ModelResource):
    ori = fields.Field(attribute="ori", column_name="ori", widget=StrippedUpperWidget())
    name = fields.Field(attribute="name", column_name="name", widget=StrippedWidget())
    county = fields.Field(
        attribute="county", column_name="county", widget=ChoiceWidget(Agency._meta.get_field("county").choices)
    )
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Agency._meta.get_field("kind").choices)
    )
    records_system = fields.Field(
        attribute="records_system",
        column_name="records_system",
        widget=ChoiceWidget(Agency._meta.get_field("records_system").choices),
    )
    active = fields.Field(attribute="active", column_name="active", widget=YesNoWidget(default=True))

    class Meta:
        model = Agency
        fields = ("ori", "name", "county", "kind", "records_system", "active")
        import_id_fields = ("ori",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class CourtResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="code", widget=StrippedUpperWidget())
    name = fields.Field(attribute="name", column_name="name", widget=StrippedWidget())
    county = fields.Field(
        attribute="county", column_name="county", widget=ChoiceWidget(Court._meta.get_field("county").choices)
    )
    kind = fields.Field(
        attribute="kind", column_name="kind", widget=ChoiceWidget(Court._meta.get_field("kind").choices)
    )
    accepts_etickets = fields.Field(
        attribute="accepts_etickets", column_name="accepts_etickets", widget=YesNoWidget(default=True)
    )

    class Meta:
        model = Court
        fields = ("code", "name", "county", "kind", "accepts_etickets")
        import_id_fields = ("code",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


class PersonResource(resources.ModelResource):
    agency = fields.Field(
        attribute="agency", column_name="agency_ori", widget=widgets.ForeignKeyWidget(Agency, field="ori")
    )
    court = fields.Field(
        attribute="court", column_name="court_code", widget=widgets.ForeignKeyWidget(Court, field="code")
    )
    active = fields.Field(attribute="active", column_name="active", widget=YesNoWidget(default=True))

    class Meta:
        model = Person
        fields = ("id", "last_name", "first_name", "personnel_number", "email", "kind", "agency", "court", "active")
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
