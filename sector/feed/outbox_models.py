"""The outbox: outbound destinations (data, not code) and one delivery row per record per destination.

A delivery holds the payload bytes fixed when it was created, its idempotency key, the attempt count, when
it is next due, a lease (who is sending it until when), the last answer and the acknowledgment. It is
written in the same transaction as the change that causes it (e.g. a collision report's approval).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sector.core.crypto import EncryptedTextField
from sector.core.permissions import Policy, Rule, ScopedQuerySet


class DestinationQuerySet(ScopedQuerySet):
    policy = Policy(view=Rule("feed.view_destination"), change=Rule("feed.change_destination"))


class DeliveryQuerySet(ScopedQuerySet):
    policy = Policy(view=Rule("feed.view_delivery"), retry=Rule("feed.retry_delivery"))


class DestinationKind(models.TextChoices):
    HTTP = "http", "HTTP POST to a URL"
    FOLDER = "folder", "Folder (one JSON file per delivery)"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


def https_required() -> bool:
    return bool(getattr(settings, "OUTBOX_REQUIRE_HTTPS", True))


def url_problem(url: str) -> str:
    """Why an HTTP destination cannot be sent to at `url`, or "" when it can. Production takes https:// only:
    the auth header goes with every delivery and must not cross the network in the clear."""
    lowered = (url or "").lower()
    if https_required():
        if not lowered.startswith("https://"):
            return "An HTTP destination needs its https:// URL (plain http:// would send the secret in the clear)."
    elif not lowered.startswith(("http://", "https://")):
        return "An HTTP destination needs its http:// or https:// URL."
    if len(url) > 500:
        return "The URL is at most 500 characters."
    return ""


class Destination(models.Model):
    code = models.SlugField(max_length=20, unique=True, help_text="Short name used in idempotency keys, e.g. DOT.")
    name = models.CharField(max_length=120)
    record_type = models.CharField(max_length=20, default="collision", help_text="What this destination receives.")
    format = models.CharField(max_length=20, default="json", choices=[("json", "JSON (contracts/FEED.md)")])
    kind = models.CharField(max_length=10, choices=DestinationKind.choices, default=DestinationKind.HTTP)
    url = models.URLField(blank=True, max_length=500)
    auth_header = models.CharField(max_length=60, blank=True, default="Authorization")
    auth_secret = EncryptedTextField(
        blank=True,
        help_text="The header's value (e.g. 'Bearer …'); stored encrypted, never shown after saving.",
    )
    folder = models.CharField(max_length=500, blank=True, help_text="Absolute path of the exchange folder.")
    active = models.BooleanField(default=True)
    timeout_seconds = models.PositiveSmallIntegerField(default=10)
    max_attempts = models.PositiveSmallIntegerField(default=8, help_text="Tries before a delivery is listed as failed.")
    # A destination known to be down is paused (issue 14 item 4): its deliveries wait without burning attempts;
    # once paused_until passes the sweep sends one probe, whose success reopens it.
    consecutive_failures = models.PositiveIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)

    objects = DestinationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("outbox:destination_edit", kwargs={"code": self.code})

    def clean(self):
        if self.kind == DestinationKind.HTTP:
            problem = url_problem(self.url)
            if problem:
                raise ValidationError({"url": problem})
        if self.kind == DestinationKind.FOLDER and not self.folder.startswith("/"):
            raise ValidationError({"folder": "A folder destination needs an absolute folder path."})


class Delivery(models.Model):
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="deliveries", db_index=False)
    record_type = models.CharField(max_length=20)
    record_id = models.BigIntegerField(help_text="The primary key of the delivered record (e.g. the report).")
    label = models.CharField(max_length=120, help_text="What it is, for people: e.g. 'WA0340100 E2026-0001 v2'.")
    idempotency_key = models.CharField(max_length=200, unique=True)
    payload = models.BinaryField(help_text="The exact bytes every attempt sends.")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    ack = models.TextField(blank=True, help_text="The destination's acknowledgment (response body or file name).")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        permissions = [("retry_delivery", "Can retry failed deliveries")]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], name="delivery_due_idx", condition=Q(status=DeliveryStatus.PENDING)
            ),
            models.Index(fields=["destination", "status", "created_at", "id"], name="delivery_dest_idx"),
            models.Index(fields=["record_type", "record_id"], name="delivery_record_idx"),
            models.Index(
                fields=["-failed_at", "-id"], name="delivery_failed_idx", condition=Q(status=DeliveryStatus.FAILED)
            ),
        ]

    def __str__(self):
        return f"{self.label} → {self.destination_id}"

    def get_absolute_url(self):
        return reverse("outbox:delivery_detail", kwargs={"pk": self.pk})
