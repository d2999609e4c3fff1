import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from sector.core.formatting import pacific
from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import OPEN_STATUSES, TRANSITIONS, Status


class Category(models.Model):
    """What a request is about (installation, credentials, ...): reference data WSP maintains."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Inactive categories stay on old requests but are not offered."
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Priority(models.Model):
    """How urgent a request is, with its service targets counted in WSP business hours."""

    name = models.CharField(max_length=40, unique=True)
    description = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower is more urgent.")
    first_response_hours = models.PositiveIntegerField(help_text="Target for WSP's first answer, in business hours.")
    resolution_hours = models.PositiveIntegerField(help_text="Target for resolving the request, in business hours.")
    is_default = models.BooleanField(default=False, help_text="Preselected on the request form.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "priorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_hours__gt=0) & Q(resolution_hours__gte=F("first_response_hours")),
                name="priority_targets_sensible",
                violation_error_message="Targets are positive and resolution is not sooner than first response.",
            ),
        ]

    def __str__(self):
        return self.name


class BusinessDay(models.Model):
    """WSP support's opening hours for one weekday (Pacific time). A weekday without a row is closed."""

    weekday = models.PositiveSmallIntegerField(
        unique=True,
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ],
    )
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="business_day_closes_after_opening",
                violation_error_message="Closing time must be after opening time.",
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="business_day_weekday_range"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A day WSP support is closed beyond Washington's state holidays (which come from the holidays library)."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{pacific(self.date)} {self.reason}"


class SupportRequestQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("support.view_supportrequest", agency=("agency",), court=("court",)),
        message=Rule("support.add_message", agency=("agency",), court=("court",)),
        handle=Rule("support.handle_supportrequest", agency=("agency",), court=("court",)),
    )

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def breached(self, now=None):
        """Requests that missed a target: answered or resolved late, or still waiting past the due time."""
        return self.filter(breach_condition(now or timezone.now()))


def breach_condition(now) -> Q:
    """A missed target as a condition (for the filter and the queue's order). While a request waits on the
    requester its resolution clock is paused: it is late only if it was already late when the wait began."""
    return (
        Q(first_response_at__isnull=True, first_response_due__lt=now)
        | Q(first_response_at__gt=F("first_response_due"))
        | Q(resolved_at__isnull=True, waiting_since__isnull=True, resolution_due__lt=now)
        | Q(resolved_at__isnull=True, waiting_since__isnull=False, resolution_due__lt=F("waiting_since"))
        | Q(resolved_at__gt=F("resolution_due"))
    )


class SupportRequest(models.Model):
    """One question from an agency or a court to WSP support, with its conversation and service targets."""

    agency = models.ForeignKey(
        "orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="support_requests"
    )
    court = models.ForeignKey(
        "orgs.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="support_requests"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="requests")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="requests")
    subject = models.CharField(max_length=200)
    description = models.TextField(max_length=10000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_requests")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_support_requests",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField()
    resolution_due = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(
        null=True, blank=True, help_text="Waiting on the requester since: the resolution clock is paused."
    )
    resolution_paused = models.DurationField(
        default=timedelta(0), help_text="Business time spent waiting on the requester in earlier waits."
    )

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("handle_supportrequest", "Can triage and answer support requests"),
            ("view_internal_note", "Can see internal notes on support requests"),
            ("export_supportrequest", "Can export support requests"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False, court__isnull=True) | Q(agency__isnull=True, court__isnull=False)),
                name="support_request_agency_xor_court",
                violation_error_message="A request is raised for one agency or one court.",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="support_request_status_valid"),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="support_created_id_idx"),
            models.Index(fields=["agency", "created_at", "id"], name="support_agency_created_idx"),
            models.Index(fields=["court", "created_at", "id"], name="support_court_created_idx"),
            models.Index(
                fields=["status", "created_at", "id"],
                name="support_open_idx",
                condition=Q(status__in=["new", "in_progress", "waiting"]),
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self):
        return reverse("support:request_detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"SR-{self.pk:06d}" if self.pk else "SR-new"

    @property
    def organisation(self):
        return self.agency or self.court

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # Guards: the template (which buttons show) and the service (what is allowed) ask the same questions.
    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, ())

    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS.get(self.status, ())

    def accepts_replies(self) -> bool:
        return self.status != Status.CLOSED

    def first_response_breached(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.first_response_at or now) > self.first_response_due

    def resolution_breached(self, now=None) -> bool:
        now = now or timezone.now()
        if self.resolved_at is None and self.waiting_since is not None:
            return self.waiting_since > self.resolution_due  # paused: only a target missed before the wait counts
        return (self.resolved_at or now) > self.resolution_due

    def breached(self, now=None) -> bool:
        return self.first_response_breached(now) or self.resolution_breached(now)


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Internal notes exist only for those who may see them."""
        if user.has_perm("support.view_internal_note"):
            return self
        return self.filter(internal=False)


class Message(models.Model):
    """One entry of a request's conversation: a reply (seen by both sides) or an internal note (WSP only)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_support = models.BooleanField(help_text="Written by WSP support (else by the requesting organization).")
    internal = models.BooleanField(default=False)
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at", "id"], name="support_msg_thread_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(internal=False) | Q(from_support=True),
                name="support_internal_note_from_support",
                violation_error_message="Only WSP support writes internal notes.",
            ),
        ]

    def __str__(self):
        return f"{'Note' if self.internal else 'Reply'} on {self.request.reference}"


def _attachment_path(instance, filename):
    # Never the uploaded name on disk: a random name under the month, the original kept in a field.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"support/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file sent with a request or a reply; type checked by its content, downloaded only through the portal."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
