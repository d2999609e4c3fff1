"""Collision reports, every version as sent (with units, persons and diagram), review notes, access and releases.

`CollisionReport` is the reviewer's work item: identity, review state, claim, and the typed fields of the
version under review (denormalized for the queue). `CollisionVersion` keeps each version exactly as received
(raw JSON, validation findings); nothing is ever replaced. Units, persons and the diagram belong to a version.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sector.core.formatting import money, pacific
from sector.core.models import AppendOnlyModel, AppendOnlyQuerySet
from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import (
    AWAITING,
    AccessKind,
    Injury,
    PartyRelation,
    PersonRole,
    ReportStatus,
    Section,
    Severity,
    UnitType,
    VersionKind,
    mmucc_label,
)

# WSP support sees every report (RCW 46.52.080: the agency, WSP and the deliveries).


class ReportQuerySet(ScopedQuerySet):
    policy = Policy(
        # An officer (an own-records role) sees the reports they wrote; the agency's other roles see all of its.
        view=Rule("collisions.view_collisionreport", agency=("agency",), owner="author"),
        review=Rule("collisions.review_collisionreport", agency=("agency",)),
        release=Rule("collisions.release_collisionreport", agency=("agency",)),
        view_access=Rule("collisions.view_access_collisionreport", agency=("agency",)),
    )


class CollisionReport(models.Model):
    agency = models.ForeignKey(
        "orgs.Agency", on_delete=models.PROTECT, related_name="collision_reports", db_index=False
    )
    report_number = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    latest_version = models.PositiveIntegerField()
    latest_hash = models.CharField(max_length=64)
    review_version = models.PositiveIntegerField(help_text="The version the reviewer works on (the latest).")
    version_kind = models.CharField(max_length=14, choices=VersionKind.choices, default=VersionKind.ORIGINAL)
    returned_version = models.PositiveIntegerField(null=True, blank=True, help_text="The version last returned.")
    approved_version = models.PositiveIntegerField(null=True, blank=True, help_text="The version last approved.")
    # Typed fields of the version under review (for the queue)
    occurred_at = models.DateTimeField()
    location_text = models.CharField(max_length=300)
    severity = models.CharField(max_length=1, choices=Severity.choices)
    error_count = models.PositiveSmallIntegerField(default=0)
    warning_count = models.PositiveSmallIntegerField(default=0)
    officer_name = models.CharField(max_length=200)
    officer_personnel_number = models.CharField(max_length=30)
    agency_case_number = models.CharField(max_length=200, blank=True)
    driver_names = models.CharField(
        max_length=2000, blank=True, help_text="The drivers as '|LAST FIRST|LAST FIRST|', for the queue's search."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The officer's account, when the personnel number names one.",
    )
    received_at = models.DateTimeField(help_text="When version 1 arrived.")
    source_system = models.CharField(
        max_length=64, blank=True, help_text="The sending system of version 1: only it may send later versions."
    )
    queued_at = models.DateTimeField(help_text="When the report last entered the review queue.")
    # Review
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    claim_expires = models.DateTimeField(null=True, blank=True)
    replaced_under_review = models.BooleanField(
        default=False, help_text="A newer version replaced the one under review; the reviewer has been told."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="First-level reviewer when the agency asks for two approvals.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "id"]
        permissions = [
            ("review_collisionreport", "Can review collision reports (claim, approve, return)"),
            ("release_collisionreport", "Can record releases to interested parties"),
            ("view_access_collisionreport", "Can see who viewed a collision report"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "report_number"], name="collision_unique_number_per_agency"),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(claim_expires__isnull=False), name="collision_claim_has_expiry"
            ),
        ]
        indexes = [
            models.Index(
                fields=["agency", "queued_at", "id"],
                name="collision_queue_idx",
                condition=Q(status__in=[s.value for s in AWAITING]),
            ),
            models.Index(fields=["agency", "status", "queued_at", "id"], name="collision_agency_status_idx"),
            models.Index(fields=["author", "status"], name="collision_author_idx"),
        ]

    def __str__(self):
        return f"Collision report {self.report_number}"

    def get_absolute_url(self):
        return reverse("collisions:report_detail", kwargs={"pk": self.pk})

    @property
    def awaiting_review(self) -> bool:
        return self.status in AWAITING

    def claim_active(self, now) -> bool:
        return self.claimed_by_id is not None and self.claim_expires is not None and self.claim_expires > now


class CollisionVersion(models.Model):
    report = models.ForeignKey(CollisionReport, on_delete=models.PROTECT, related_name="versions", db_index=False)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=14, choices=VersionKind.choices, default=VersionKind.ORIGINAL)
    batch = models.ForeignKey("feed.Batch", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    raw = models.JSONField(help_text="The record exactly as received.")
    changes = models.JSONField(default=dict, blank=True, help_text="Field -> [before, after] against the previous.")
    findings = models.JSONField(default=list, blank=True, help_text="Validation errors and warnings.")
    error_count = models.PositiveSmallIntegerField(default=0)
    warning_count = models.PositiveSmallIntegerField(default=0)
    # Typed fields
    occurred_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    agency_case_number = models.CharField(max_length=200, blank=True)
    officer_name = models.CharField(max_length=200)
    officer_personnel_number = models.CharField(max_length=30)
    location = models.JSONField()
    weather = models.CharField(max_length=200)
    light_condition = models.CharField(max_length=200)
    road_surface = models.CharField(max_length=200)
    manner_of_collision = models.CharField(max_length=200)
    first_harmful_event = models.CharField(max_length=200)
    narrative = models.TextField(blank=True)
    severity = models.CharField(max_length=1, choices=Severity.choices)

    class Meta:
        ordering = ["report", "version"]
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="collision_version_unique")]

    def __str__(self):
        return f"{self.report_id} v{self.version}"

    def conditions(self) -> list[tuple[str, str]]:
        """The MMUCC crash attributes as a reader sees them (label, value in words)."""
        return [
            ("Weather", mmucc_label("weather", self.weather)),
            ("Light", mmucc_label("light_condition", self.light_condition)),
            ("Road surface", mmucc_label("road_surface", self.road_surface)),
            ("Manner of collision", mmucc_label("manner_of_collision", self.manner_of_collision)),
            ("First harmful event", mmucc_label("first_harmful_event", self.first_harmful_event)),
        ]

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.findings if f.get("level") == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [f for f in self.findings if f.get("level") == "warning"]


class CollisionUnit(models.Model):
    version = models.ForeignKey(CollisionVersion, on_delete=models.PROTECT, related_name="units")
    unit_number = models.PositiveIntegerField()
    unit_type = models.CharField(max_length=16, choices=UnitType.choices)
    hit_and_run = models.BooleanField(default=False)
    vehicle = models.JSONField(null=True, blank=True)
    driver = models.JSONField(null=True, blank=True)
    damage_estimate = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    contributing_circumstances = models.JSONField(default=list, blank=True)
    distraction = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "unit_number", "id"]

    def __str__(self):
        return f"Unit {self.unit_number} ({self.get_unit_type_display()})"

    @property
    def circumstances_text(self) -> str:
        return ", ".join(mmucc_label("contributing_circumstances", c) for c in self.contributing_circumstances or [])

    @property
    def distraction_text(self) -> str:
        return mmucc_label("distraction", self.distraction) if self.distraction else ""


class CollisionPerson(models.Model):
    version = models.ForeignKey(CollisionVersion, on_delete=models.PROTECT, related_name="persons")
    position = models.PositiveIntegerField()
    unit_number = models.PositiveIntegerField()
    role = models.CharField(max_length=12, choices=PersonRole.choices)
    injury = models.CharField(max_length=1, choices=Injury.choices)
    person = models.JSONField()

    class Meta:
        ordering = ["version", "position"]

    def __str__(self):
        return f"{self.person.get('last_name', '')} (unit {self.unit_number}, {self.get_injury_display()})"


class CollisionDiagram(models.Model):
    version = models.OneToOneField(CollisionVersion, on_delete=models.PROTECT, related_name="diagram")
    media_type = models.CharField(max_length=20)
    data = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    def __str__(self):
        return f"Diagram of {self.version}"


class ReviewNote(models.Model):
    """A reviewer's note on one section of a returned version: the officer and LASA see it."""

    report = models.ForeignKey(CollisionReport, on_delete=models.PROTECT, related_name="notes")
    version = models.PositiveIntegerField()
    section = models.CharField(max_length=12, choices=Section.choices)
    note = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["report", "-version", "section", "id"]
        indexes = [models.Index(fields=["created_at", "section"], name="collision_note_day_idx")]

    def __str__(self):
        return f"{self.get_section_display()}: {self.note[:40]}"


class AccessLogQuerySet(AppendOnlyQuerySet, ScopedQuerySet):
    policy = Policy(view=Rule("collisions.view_access_collisionreport", agency=("report__agency",)))


class AccessLog(AppendOnlyModel):
    """Every view of a confidential report (RCW 46.52.080): who and when. Separate from the action log.

    Append-only like the action log: the ORM refuses changes and PostgreSQL refuses UPDATE, DELETE and
    TRUNCATE (triggers, migration 0003)."""

    report = models.ForeignKey(CollisionReport, on_delete=models.PROTECT, related_name="accesses", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=AccessKind.choices, default=AccessKind.VIEW)
    at = models.DateTimeField()

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access entry"
        verbose_name_plural = "access entries"
        indexes = [models.Index(fields=["report", "-at", "-id"], name="collision_access_idx")]

    def __str__(self):
        return f"{self.user_name} {self.get_kind_display()} {pacific(self.at)}"


class Release(models.Model):
    """A copy released to an interested party: who, their relation, what, when."""

    report = models.ForeignKey(CollisionReport, on_delete=models.PROTECT, related_name="releases")
    version = models.PositiveIntegerField()
    party_name = models.CharField(max_length=200)
    relation = models.CharField(max_length=16, choices=PartyRelation.choices)
    person_position = models.PositiveIntegerField(
        null=True, blank=True, help_text="The report's person the party is (or represents); their details stay."
    )
    what = models.CharField(max_length=300, help_text="What was released, e.g. 'redacted report, diagram'.")
    narrative = models.TextField(
        blank=True,
        help_text="The narrative as released, redacted by the reviewer; empty: the copy leaves the narrative out.",
    )
    released_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-released_on", "-id"]

    def __str__(self):
        return f"Release to {self.party_name} ({self.get_relation_display()})"


class ReportingThreshold(models.Model):
    """Reference data: property-damage-only reports under this total estimate (RCW 46.52.030) get a warning."""

    amount = models.DecimalField(max_digits=11, decimal_places=2, default=Decimal("1000.00"))
    effective_from = models.DateField(unique=True)
    source = models.CharField(max_length=200, default="RCW 46.52.030")

    class Meta:
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{money(self.amount)} from {pacific(self.effective_from)}"


class AgencyReviewSettingQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("collisions.view_agencyreviewsetting", agency=("agency",)),
        change=Rule("collisions.change_agencyreviewsetting", agency=("agency",)),
    )


class AgencyReviewSetting(models.Model):
    """Per-agency review options. WSP support edits them on the review settings page (issue 16), with their
    history; the admin keeps its audited form."""

    agency = models.OneToOneField("orgs.Agency", on_delete=models.CASCADE, related_name="collision_settings")
    second_level_approval = models.BooleanField(
        default=False, help_text="Reviewed by one reviewer, then accepted by a different reviewer."
    )

    objects = AgencyReviewSettingQuerySet.as_manager()

    def __str__(self):
        return f"Review settings of {self.agency}"


class OverdueReminderSent(models.Model):
    """What the daily overdue reminder already sent: one row per agency and Pacific day, written in the same
    transaction as the reminder's mail, so a second run that day (a second beat, a redelivered task, a manual
    run) tells nobody twice."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    report_count = models.PositiveIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "sent_on"], name="overdue_reminder_once_a_day")]

    def __str__(self):
        return f"{self.agency_id} on {self.sent_on}"
