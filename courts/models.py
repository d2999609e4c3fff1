"""The filing calendar (court hours, closures, deadlines per ticket kind) and court case numbering."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sector.core.formatting import pacific
from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import DEFAULT_CASE_PATTERN, DEFAULT_CLOSES, DEFAULT_OPENS, DeadlineUnit


class CourtCalendar(models.Model):
    """A court's business hours and case-number pattern. Courts without one use the defaults."""

    court = models.OneToOneField("orgs.Court", on_delete=models.CASCADE, related_name="calendar")
    opens_at = models.TimeField(default=DEFAULT_OPENS)
    closes_at = models.TimeField(default=DEFAULT_CLOSES)
    case_number_pattern = models.CharField(
        max_length=60,
        default=DEFAULT_CASE_PATTERN,
        help_text="Generated case numbers: {court}, {yyyy}, {yy}, {seq:06d} (a per-court sequence).",
    )
    next_case_seq = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="calendar_opens_before_close")
        ]

    def __str__(self):
        return f"{self.court} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    def clean(self):
        from datetime import datetime

        from django.core.exceptions import ValidationError

        from .case_numbers import CaseNumberForm, PatternError

        try:
            form = CaseNumberForm(pattern=self.case_number_pattern, court_code=self.court.code if self.court_id else "")
            form.regex  # noqa: B018 - reading it checks every placeholder
            form.format(seq=1, when=datetime(2000, 1, 1))
        except (PatternError, ValueError, KeyError, IndexError) as exc:
            raise ValidationError({"case_number_pattern": str(exc)}) from None


class ClosureQuerySet(ScopedQuerySet):
    policy = Policy(
        # A closure of every court (no court) is everyone's to see who sees closures; only statewide roles
        # with the permission remove it (the delete rule has no public rows).
        view=Rule("courts.view_courtclosure", court=("court",), public=Q(court__isnull=True)),
        add=Rule("courts.add_courtclosure", court=("court",)),
        delete=Rule("courts.delete_courtclosure", court=("court",)),
    )


class CourtClosure(models.Model):
    """A day a court (or, with no court, every court) is closed besides weekends and state holidays."""

    court = models.ForeignKey("orgs.Court", null=True, blank=True, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_name = models.CharField(max_length=200, blank=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["court", "date"], condition=Q(court__isnull=False), name="closure_unique_day"
            ),
            models.UniqueConstraint(
                fields=["date"], condition=Q(court__isnull=True), name="closure_unique_statewide_day"
            ),
        ]

    def __str__(self):
        return f"{pacific(self.date)}: {self.reason}"


class FilingDeadline(models.Model):
    """How long an agency has to file a ticket of one kind (reference data, editable by administrators)."""

    kind = models.CharField(max_length=20, unique=True)
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=DeadlineUnit.choices)
    authority = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self):
        return f"{self.kind}: {self.amount} {self.get_unit_display().lower()}"


class ClerkPreference(models.Model):
    """How one clerk likes the intake queue laid out (compact rows), remembered across sessions and devices."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clerk_preference")
    compact = models.BooleanField(default=False, help_text="Denser queue rows, more of them on the screen.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user}: {'compact' if self.compact else 'comfortable'} queue"
