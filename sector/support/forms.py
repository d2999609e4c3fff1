from functools import partial

from django import forms
from django.core.exceptions import ValidationError

from sector.core.uploads import check_upload, check_uploads, extensions

from .choices import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TOO_LARGE,
    ATTACHMENT_TYPES,
    ATTACHMENTS_PER_POST,
    TRANSITION_LABELS,
    Status,
)
from .models import Category, Priority
from .selectors import support_agents

_ACCEPT = ",".join(extensions(ATTACHMENT_TYPES))
check_attachment = partial(
    check_upload, allowed=ATTACHMENT_TYPES, max_bytes=ATTACHMENT_MAX_BYTES, too_large_advice=ATTACHMENT_TOO_LARGE
)
ATTACHMENT_HELP = (
    f"Optional. Up to {ATTACHMENTS_PER_POST} files of at most {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB each: "
    "screenshots (PNG, JPEG, GIF), PDF documents or text logs (.txt, .log, .csv)."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked by content in `check_uploads`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", ATTACHMENT_HELP)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        single = super().clean
        files = [single(f, initial) for f in files]
        return check_uploads(
            files,
            allowed=ATTACHMENT_TYPES,
            max_bytes=ATTACHMENT_MAX_BYTES,
            max_count=ATTACHMENTS_PER_POST,
            too_large_advice=ATTACHMENT_TOO_LARGE,
        )


class RequestForm(forms.Form):
    organisation = forms.ChoiceField(label="For", help_text="The agency or court the request is about.")
    category = forms.ModelChoiceField(queryset=Category.objects.filter(active=True), empty_label="Choose a category")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.filter(active=True),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Urgent only when officers cannot issue tickets or transmit at all.",
    )
    subject = forms.CharField(
        max_length=200,
        help_text="One line, e.g. “Scanner does not read licenses in car 12”.",
        error_messages={"required": "Write a short subject."},
    )
    description = forms.CharField(
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What happened, since when, on which laptop or officer, and any error message word for word.",
        error_messages={"required": "Describe the problem."},
    )
    attachments = AttachmentsField()

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {key: org for key, org in organisations}
        self.fields["organisation"].choices = [(key, str(org)) for key, org in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0][0]
            self.fields["organisation"].widget = forms.HiddenInput()
        default = Priority.objects.filter(active=True, is_default=True).first()
        if default:
            self.fields["priority"].initial = default.pk
        self.fields["priority"].label_from_instance = lambda p: (
            f"{p.name} — first answer within {p.first_response_hours} business hours"
        )

    def clean_subject(self):
        value = self.cleaned_data["subject"].strip()
        if not value:
            raise ValidationError("Write a short subject.")
        return value

    def clean_description(self):
        value = self.cleaned_data["description"].strip()
        if not value:
            raise ValidationError("Describe the problem.")
        return value

    def organisation_object(self):
        return self.organisations[self.cleaned_data["organisation"]]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a message."},
    )
    attachments = AttachmentsField()
    status = forms.ChoiceField(label="Then set the status to", required=False)

    def __init__(self, *args, support_request, agent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if agent:
            choices = [(s, Status(s).label) for s in support_request.next_statuses()]
            self.fields["status"].choices = [("", "Keep (a first answer starts work on a new request)"), *choices]
        else:
            del self.fields["status"]

    def clean_body(self):
        value = self.cleaned_data["body"].strip()
        if not value:
            raise ValidationError("Write a message.")
        return value


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Internal note",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by WSP support only: never shown or emailed to the requester.",
        error_messages={"required": "Write the note."},
    )

    def clean_note(self):
        value = self.cleaned_data["note"].strip()
        if not value:
            raise ValidationError("Write the note.")
        return value


class TriageForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=support_agents(), required=False, empty_label="Unassigned")
    priority = forms.ModelChoiceField(queryset=Priority.objects.all(), empty_label=None)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), empty_label=None)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)

    def __init__(self, *args, support_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.support_request = support_request

    @staticmethod
    def label_for(status: str) -> str:
        return TRANSITION_LABELS.get(status, Status(status).label)
