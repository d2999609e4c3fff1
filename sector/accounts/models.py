from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A person who signs in. Statewide roles (WSP, WASPC, AOC) are the user's groups; every agency or court
    role belongs to one membership, so a LASA of agency A who is an officer at agency B is a LASA at A only.

    Users are deactivated, never deleted, so they stay the officer or clerk of record on what they touched.
    """

    title = models.CharField(max_length=120, blank=True, help_text="Job title, e.g. Court Clerk II.")
    phone = models.CharField(max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def role_names(self) -> frozenset[str]:
        from .scope import scope_for

        return scope_for(self).roles


class Membership(models.Model):
    """Ties a user to one agency or one court, with the roles the user holds there (and only there)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(
        "orgs.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    court = models.ForeignKey("orgs.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    roles = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="memberships",
        help_text="The agency or court roles the user holds at this organization only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False, court__isnull=True) | Q(agency__isnull=True, court__isnull=False)),
                name="membership_agency_xor_court",
                violation_error_message="A membership is for one agency or one court, not both or neither.",
            ),
            models.UniqueConstraint(
                fields=["user", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_agency",
                violation_error_message="This user is already a member of that agency.",
            ),
            models.UniqueConstraint(
                fields=["user", "court"],
                condition=Q(court__isnull=False),
                name="membership_unique_court",
                violation_error_message="This user is already a member of that court.",
            ),
        ]

    def __str__(self):
        return f"{self.user.username} @ {self.organisation}"

    @property
    def organisation(self):
        return self.agency or self.court
