"""The program office's records: each agency's SECTOR -> TraCS migration, and the overdue-step reminders sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import NEW_SENDER, OLD_SENDER, MigrationStatus


class TracsMigrationQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("program.view_tracsmigration", agency=("agency",)),
        change=Rule("program.change_tracsmigration", agency=("agency",)),
    )


class TracsMigration(models.Model):
    """One agency's move from SECTOR to TraCS. What is done is derived (agreements, training records, feed
    credentials); this row holds the plan: the cut-over date after which the old sender's records are refused."""

    agency = models.OneToOneField("orgs.Agency", on_delete=models.PROTECT, related_name="tracs_migration")
    status = models.CharField(max_length=12, choices=MigrationStatus.choices, default=MigrationStatus.OPEN)
    cutover_on = models.DateField("cut-over date", help_text="After this day the old sender's records are refused.")
    old_system = models.CharField("old sender", max_length=64, default=OLD_SENDER)
    new_system = models.CharField("new sender", max_length=64, default=NEW_SENDER)
    note = models.TextField(blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_by_name = models.CharField(max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by_name = models.CharField(max_length=200, blank=True)
    agency_name = models.CharField(max_length=200, editable=False, help_text="Copied for ordering the board.")

    objects = TracsMigrationQuerySet.as_manager()

    class Meta:
        ordering = ["agency_name", "id"]
        permissions = [("export_tracsmigration", "Can export the TraCS migration board")]

    def __str__(self):
        return f"TraCS migration of {self.agency_name}"

    def save(self, *args, **kwargs):
        if not self.agency_name and self.agency_id:
            self.agency_name = self.agency.name
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("program:migration", kwargs={"ori": self.agency.ori})

    @property
    def is_open(self) -> bool:
        return self.status == MigrationStatus.OPEN


class StepReminder(models.Model):
    """One overdue-step reminder to one agency on one Pacific day: written with its mail, so a second run the
    same day (a double click, two coordinators) tells nobody twice."""

    onboarding = models.ForeignKey("onboarding.AgencyOnboarding", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    steps = models.JSONField(default=list, help_text="The overdue step numbers the reminder named.")
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["onboarding", "sent_on"], name="step_reminder_once_a_day")]

    def __str__(self):
        return f"Reminder to onboarding {self.onboarding_id} on {self.sent_on}"
