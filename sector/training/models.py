"""Training events, registrations, attendance and the training records they create."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sector.core.formatting import pacific
from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import EventKind, EventStatus


class TrainingEventQuerySet(ScopedQuerySet):
    """Program events (no host agency) are open to every role that may view events; an agency's own
    train-the-trainer sessions only to that agency and the statewide roles."""

    policy = Policy(
        view=Rule("training.view_trainingevent", agency=("host_agency",), public=Q(host_agency__isnull=True)),
        run=Rule("training.add_registration", agency=("host_agency",), public=Q(host_agency__isnull=True)),
        register=Rule("training.add_registration", agency=("host_agency",), public=Q(host_agency__isnull=True)),
        attendance=Rule("training.change_registration", agency=("host_agency",), public=Q(host_agency__isnull=True)),
    )


class TrainingEvent(models.Model):
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(500)])
    trainer = models.CharField(max_length=200)
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    host_agency = models.ForeignKey(
        "orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="training_events",
        help_text="For an agency's own train-the-trainer session.",
    )  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingEventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at", "id"], name="training_event_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="ttt", host_agency__isnull=False) | (~Q(kind="ttt") & Q(host_agency__isnull=True)),
                name="training_event_host_only_for_ttt",
                violation_error_message="Only a train-the-trainer session belongs to one agency.",
            )
        ]

    def __str__(self):
        return f"{self.title} ({pacific(self.starts_at)})"

    def get_absolute_url(self):
        return reverse("training:event", kwargs={"pk": self.pk})


class Registration(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="training_registrations")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(null=True, help_text="Empty until the coordinator marks attendance.")

    class Meta:
        ordering = ["event_id", "person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                name="registration_unique",
                violation_error_message="This person is already registered for this event.",
            )
        ]

    def __str__(self):
        return f"{self.person} at {self.event}"


class TrainingRecordQuerySet(ScopedQuerySet):
    policy = Policy(view=Rule("training.view_trainingrecord", agency=("person__agency",), court=("person__court",)))


class TrainingRecord(models.Model):
    """A completed training. Belongs to the person, so it follows them if they move to another agency; the
    organization they trained for is kept as it was."""

    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="training_records")
    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="records")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    completed_on = models.DateField()
    agency_at_time = models.ForeignKey("orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    court_at_time = models.ForeignKey("orgs.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "event"], name="training_record_unique")]

    def __str__(self):
        return f"{self.person}: {self.event.title}"

    @property
    def certificate_number(self) -> str:
        return f"SECTOR-TR-{self.completed_on:%Y}-{self.pk:06d}"
