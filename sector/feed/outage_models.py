"""Outages (issue 16 item 4): a destination that was paused because it was down, or a gap in the feed's
arrivals. Stored when a destination pauses (a signal on the pause) and reconciled by `outages_sync` (the beat
and the burn-down page), which closes an outage once the destination reopens and notes when its backlog cleared.
Feed gaps are stored when the batch that ends them arrives."""

from django.db import models
from django.db.models import Q

from sector.core.formatting import pacific
from sector.core.permissions import Policy, Rule, ScopedQuerySet


class OutageKind(models.TextChoices):
    DESTINATION = "destination", "Destination down"
    FEED = "feed", "Feed gap"


class OutageQuerySet(ScopedQuerySet):
    policy = Policy(view=Rule("feed.view_outage"))


class Outage(models.Model):
    kind = models.CharField(max_length=12, choices=OutageKind.choices)
    destination = models.ForeignKey(
        "feed.Destination", null=True, blank=True, on_delete=models.PROTECT, related_name="outages"
    )
    system = models.CharField(max_length=64, blank=True, help_text="The sending system, for a feed gap.")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When it came back (empty: still down).")
    cleared_at = models.DateTimeField(null=True, blank=True, help_text="When the backlog it left had drained.")
    peak_backlog = models.PositiveIntegerField(default=0, help_text="The most records waiting while it lasted.")

    objects = OutageQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["-started_at", "-id"], name="outage_started_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["destination"], condition=Q(ended_at__isnull=True), name="outage_one_open_per_destination"
            )
        ]

    def __str__(self):
        what = str(self.destination) if self.destination_id else f"feed from {self.system}"
        return f"{self.get_kind_display()}: {what} from {pacific(self.started_at)}"

    @property
    def subject(self) -> str:
        return self.destination.name if self.destination_id else self.system

    @property
    def duration_seconds(self) -> float | None:
        return (self.ended_at - self.started_at).total_seconds() if self.ended_at else None

    @property
    def clear_seconds(self) -> float | None:
        return (self.cleared_at - self.started_at).total_seconds() if self.cleared_at else None
