import re

from django import forms

from sector.orgs.models import Agency

from .services import record_type_choices


class ScopeForm(forms.Form):
    """What a credential may send: record types and agencies (all, or the ORIs listed)."""

    record_types = forms.MultipleChoiceField(
        label="Record types it may send",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one record type the system may send."},
    )
    agency_scope = forms.ChoiceField(
        label="Agencies it may send for",
        widget=forms.RadioSelect,
        choices=[
            ("all", "All agencies (a statewide sender, such as the Back Office)"),
            ("listed", "Only these agencies"),
        ],
        initial="listed",
    )
    agencies = forms.CharField(
        label="Agency ORIs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The 9-character ORIs, separated by spaces, commas or new lines (e.g. WA0340100 WA0320400).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_types"].choices = record_type_choices()

    def clean(self):
        data = super().clean()
        data["agency_list"] = None
        if data.get("agency_scope") != "listed":
            return data
        oris = list(dict.fromkeys(o for o in re.split(r"[\s,;]+", (data.get("agencies") or "").upper()) if o))
        if not oris:
            self.add_error("agencies", "List at least one agency ORI, or choose all agencies.")
            return data
        found = {a.ori: a for a in Agency.objects.filter(ori__in=oris[:500])}
        missing = [o for o in oris if o not in found]
        if missing:
            shown = ", ".join(o[:20] for o in missing[:5])
            self.add_error("agencies", f"No agency with ORI {shown}. Check the ORIs (9 characters, e.g. WA0340100).")
            return data
        data["agency_list"] = [found[o] for o in oris]
        return data

    @classmethod
    def initial_for(cls, credential) -> dict:
        oris = credential.allowed_oris()
        return {
            "record_types": list(credential.record_types),
            "agency_scope": "all" if oris is None else "listed",
            "agencies": " ".join(sorted(oris or [])),
        }


class CredentialForm(ScopeForm):
    system = forms.RegexField(
        label="Sending system",
        max_length=64,
        regex=r"^[A-Za-z0-9._ -]+$",
        help_text="e.g. WSP-BACKOFFICE or TRACS. Letters, digits, spaces, dots, dashes and underscores.",
        error_messages={"invalid": "Use letters, digits, spaces, dots, dashes or underscores only."},
    )

    field_order = ["system", "record_types", "agency_scope", "agencies"]


class ExceptionFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open"), ("resolved", "Re-processed"), ("dismissed", "Dismissed"), ("all", "All")],
        initial="open",
    )
    code = forms.CharField(required=False, max_length=40, label="Error code")
    q = forms.CharField(required=False, max_length=40, label="Number or ORI")


class DismissForm(forms.Form):
    note = forms.CharField(label="Why dismiss it", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
