"""Feed credentials, batches as received, and the records the feed rejected (feed exceptions)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import ExceptionStatus


def hash_token(token: str) -> str:
    """Tokens are 256 random bits, so one SHA-256 is enough (no salt or stretching needed to resist guessing)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class FeedCredentialQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("feed.view_feedcredential"),
        change=Rule("feed.change_feedcredential"),
    )


class BatchQuerySet(ScopedQuerySet):
    policy = Policy(view=Rule("feed.view_batch"))


class FeedExceptionQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("feed.view_feedexception"),
        reprocess=Rule("feed.reprocess_feedexception"),
    )


class FeedCredential(models.Model):
    """A sending system's bearer token. Only its hash is stored; the token is shown once when issued.

    Its scope says what the system may send: the record types (the contract's type names) and the agencies
    (every agency, for a statewide sender such as the Back Office, or the ones listed). A record outside
    the scope is rejected on its own with a contract code (FEED.md, "Credentials and scope").
    """

    system = models.CharField(max_length=64, help_text="Sending system, e.g. WSP-BACKOFFICE or TRACS.")
    record_types = models.JSONField(
        default=list, blank=True, help_text='The record types this system may send, e.g. ["ticket", "collision"].'
    )
    all_agencies = models.BooleanField(default=False, help_text="May send for every agency (a statewide sender).")
    agencies = models.ManyToManyField(
        "orgs.Agency", blank=True, related_name="+", help_text="The agencies it may send for, unless all agencies."
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_hint = models.CharField(max_length=12, editable=False, help_text="The token's first characters.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_name = models.CharField(max_length=200, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_name = models.CharField(max_length=200, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = FeedCredentialQuerySet.as_manager()

    class Meta:
        ordering = ["system", "-created_at", "id"]

    def __str__(self):
        return f"{self.system} ({self.token_hint}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def allowed_oris(self) -> frozenset[str] | None:
        """The ORIs this credential may send for, or None for every agency (one query)."""
        if self.all_agencies:
            return None
        return frozenset(self.agencies.values_list("ori", flat=True))


class Batch(models.Model):
    """One batch as received: identity, the hash of its records (to tell a re-send from a conflict), results."""

    system = models.CharField(max_length=64)
    batch_id = models.CharField(max_length=64)
    credential = models.ForeignKey(FeedCredential, on_delete=models.PROTECT, related_name="batches")
    records_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    record_count = models.PositiveIntegerField()
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)
    replays = models.PositiveIntegerField(default=0, help_text="How many times the same batch was sent again.")

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "batches"
        constraints = [models.UniqueConstraint(fields=["system", "batch_id"], name="feed_batch_unique_per_system")]
        indexes = [models.Index(fields=["-received_at", "-id"], name="feed_batch_received_idx")]

    def __str__(self):
        return f"{self.system}/{self.batch_id}"

    def get_absolute_url(self):
        return reverse("feed:batch_detail", kwargs={"pk": self.pk})


class FeedException(models.Model):
    """A record the feed rejected, kept raw with its errors until WSP support re-processes or dismisses it."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="exceptions")
    index = models.PositiveIntegerField()
    record_type = models.CharField(max_length=40, blank=True)
    number = models.CharField(max_length=40, blank=True, help_text="Ticket or report number, as sent.")
    agency_ori = models.CharField(max_length=20, blank=True)
    version = models.BigIntegerField(null=True, blank=True)
    raw = models.TextField(help_text="The record as sent, canonical JSON text (any JSON value is kept).")
    errors = models.JSONField(default=list)
    codes = models.CharField(max_length=200, blank=True, help_text="The error codes, for filtering.")
    status = models.CharField(max_length=12, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN)
    created_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.JSONField(null=True, blank=True, help_text="The result when re-processed.")

    objects = FeedExceptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("reprocess_feedexception", "Can re-process feed exceptions")]
        indexes = [
            models.Index(
                fields=["-created_at", "-id"], name="feed_exc_open_idx", condition=Q(status=ExceptionStatus.OPEN)
            )
        ]

    def __str__(self):
        return f"{self.record_type or 'record'} {self.number or '?'} (batch {self.batch_id}, #{self.index})"

    def get_absolute_url(self):
        return reverse("feed:exception_detail", kwargs={"pk": self.pk})


class SenderCutoverQuerySet(ScopedQuerySet):
    policy = Policy(view=Rule("feed.view_feedcredential"))


class SenderCutover(models.Model):
    """An agency's switch of sending system (SECTOR -> TraCS): after `cutover_on` (a Pacific date) the feed
    refuses that agency's records from `system` with `sender_retired` (FEED.md, "Credentials and scope").

    Data of the feed, written by the TraCS migration through `sender_cutover_set`; the feed reads it once per
    batch and knows nothing of migrations."""

    system = models.CharField(max_length=64, help_text="The retiring sender, e.g. WSP-BACKOFFICE.")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    cutover_on = models.DateField("cut-over date", help_text="Records received after this Pacific day are refused.")
    new_system = models.CharField(max_length=64, blank=True, help_text="The sender to use instead, for the message.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    set_by_name = models.CharField(max_length=200, blank=True)

    objects = SenderCutoverQuerySet.as_manager()

    class Meta:
        ordering = ["system", "agency_id"]
        constraints = [models.UniqueConstraint(fields=["system", "agency"], name="feed_cutover_one_per_sender")]

    def __str__(self):
        return f"{self.system} for agency {self.agency_id} until {self.cutover_on}"


from .outage_models import Outage, OutageKind  # noqa: E402, F401 - outages (issue 16 item 4)
from .outbox_models import Delivery, DeliveryStatus, Destination, DestinationKind  # noqa: E402, F401 - the outbox's models
