from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .errors import DomainError
from .formatting import pacific


class AppendOnlyError(DomainError):
    """Raised when code tries to change or remove an entry of an append-only log (audit log, access log)."""


class AppendOnlyQuerySet(models.QuerySet):
    """A log's queryset: no bulk update or delete. PostgreSQL refuses UPDATE, DELETE and TRUNCATE too (a
    trigger per table), so nothing that bypasses the ORM can rewrite the log either."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural.capitalize()} cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural.capitalize()} cannot be deleted.")


class AppendOnlyModel(models.Model):
    """A log entry: written once, never saved again, never deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural.capitalize()} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural.capitalize()} cannot be deleted.")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
        )


class AuditEntry(models.Model):
    """One action in the append-only log: who did what to which record, with the fields it changed.

    PostgreSQL also refuses UPDATE and DELETE on this table (a trigger, see migration 0002), so nothing
    that bypasses the ORM can rewrite history either.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=200, help_text="Copied at the time, so the entry reads true later.")
    action = models.CharField(max_length=100, db_index=True, help_text="Dotted name, e.g. accounts.role.granted")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="Field name to [before, after].")
    data = models.JSONField(default=dict, blank=True, help_text="Other facts about the action.")
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object_idx")]

    def __str__(self):
        return f"{pacific(self.at)} {self.actor_name}: {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @property
    def verb(self) -> str:
        """The last part of the dotted action, readable: 'accounts.role.granted' -> 'role granted'."""
        parts = self.action.split(".")
        return " ".join(parts[1:]).replace("_", " ") if len(parts) > 1 else self.action


class RateCounter(models.Model):
    """One fixed-window counter of sector.core.throttle (the database backend: shared by every process, so it
    holds under gunicorn workers and on the SQLite demo alike). `key` is a hash: no address or user name is
    stored in the clear. Rows are reused when their window has ended and swept by `throttle_sweep_task`."""

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "rate counter"

    def __str__(self):
        return f"{self.key[:12]}… {self.count} until {pacific(self.window_ends_at)}"


class Heartbeat(models.Model):
    """The last time a periodic process proved it runs (the beat writes `beat` every minute), so the
    readiness check and /metrics can tell a beat that stopped."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {pacific(self.beat_at)}"


class PeriodicRun(models.Model):
    """The last schedule slot a periodic task ran for (sector.core.periodic): one row per task, claimed with one
    conditional UPDATE, so two beat processes that both fire a task make it run once per slot."""

    name = models.CharField(max_length=200, unique=True)
    slot = models.DateTimeField(help_text="The start of the last schedule slot claimed.")
    claimed_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} for {pacific(self.slot)}"


class OutgoingMail(models.Model):
    """The durable mail outbox (issue 14 item 3): every email is a row written in the same transaction as the
    change that causes it, then sent by `send_outgoing_mail_task` after commit. If the broker is down the row
    waits and `mail_sweep_task` (beat, every minute) publishes it again: no notice or reset link is lost."""

    subject = models.CharField(max_length=998)
    body = models.TextField()
    html = models.TextField(blank=True)
    to = models.JSONField()
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    lease_expires = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at", "id"], name="mail_unsent_idx", condition=Q(sent_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.subject[:60]} ({'sent' if self.sent_at else 'waiting'})"


class HoldKind(models.TextChoices):
    LEGAL = "legal", "Legal hold (litigation or investigation)"
    PUBLIC_RECORDS = "public_records", "Public records request (RCW 42.56)"


class RetentionPeriod(models.Model):
    """Reference data (issue 16 item 5): how long one class of records is kept before its disposition. The
    portal ships none as fact: WSP's records officer and AOC set each one, naming the schedule that authorizes
    it; demo figures are marked `demo` and shown as such."""

    record_class = models.CharField(
        max_length=60, unique=True, help_text="The record class's key, e.g. citations.ticket."
    )
    years = models.PositiveSmallIntegerField(help_text="Whole years kept after the record's closing date.")
    authority = models.CharField(
        max_length=300,
        help_text="The retention schedule and item that authorize it, e.g. the disposition authority number.",
    )
    demo = models.BooleanField(default=False, help_text="A demo figure for trying the portal, not a retention fact.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["record_class"]
        permissions = [("dispose_records", "Can run a records disposition")]
        constraints = [models.CheckConstraint(condition=Q(years__gte=1), name="retention_at_least_one_year")]

    def __str__(self):
        return f"{self.record_class}: {self.years} years"


class RecordHold(models.Model):
    """A legal or public-records hold on one record (or one year of a log): while it is active the record's
    disposition is refused."""

    record_class = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, help_text="The record's id (for a log, the year).")
    label = models.CharField(max_length=200, help_text="What is held, as people name it (no personal details).")
    kind = models.CharField(max_length=20, choices=HoldKind.choices)
    reference = models.CharField(max_length=200, help_text="Case or request number the hold answers.")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    release_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [
            models.Index(
                fields=["record_class", "object_id"], name="hold_active_idx", condition=Q(released_at__isnull=True)
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def active(self) -> bool:
        return self.released_at is None


class DispositionRun(models.Model):
    """One confirmed disposition: what was removed or anonymized, under which retention period. Its certificate
    of destruction is the audit entry `core.disposition.completed` (the run's id, the records' ids and labels)."""

    record_class = models.CharField(max_length=60)
    years = models.PositiveSmallIntegerField()
    authority = models.CharField(max_length=300)
    cutoff = models.DateTimeField(help_text="Records closed before this were due.")
    method = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0, help_text="Due records kept because a hold is active.")
    items = models.JSONField(default=list, help_text="The records disposed of: id and label (no personal details).")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField()

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self):
        return f"Disposition {self.pk}: {self.count} {self.record_class}"


class RenderedDocument(models.Model):
    """A generated PDF kept in the default storage (issue 15, item 4), so a document already rendered for the
    same record version is served from storage instead of being laid out again. `key` is the SHA-256 of
    (template, record, record version and status, template revision): a new version, status or template
    revision is a new key, and the row for the old one is pruned when the new one is stored. The row is
    written only after the file is completely stored, and the bytes are served only while their SHA-256 is
    `sha256`, so a partial or altered file is never served (it is rendered again). See sector.core.documents."""

    key = models.CharField(max_length=64, unique=True)
    template = models.CharField(max_length=200)
    record = models.CharField(max_length=120, help_text="app_label.model:pk of the record printed.")
    version = models.CharField(max_length=400, help_text="What the key was made of besides template and record.")
    name = models.CharField(max_length=300, help_text="The file's name in the default storage.")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["template", "record"], name="rendered_doc_record_idx")]

    def __str__(self):
        return f"{self.template} for {self.record} ({self.size:,} bytes, {pacific(self.created_at)})"
