from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import COUNTY_CHOICES, COURT_CODE_PATTERN, ORI_PATTERN, AgencyKind, CourtKind, PersonKind, RecordsSystem

ori_validator = RegexValidator(
    ORI_PATTERN, "An ORI is 9 characters: two letters for the state, then 7 letters or digits (e.g. WA0340100)."
)
court_code_validator = RegexValidator(
    COURT_CODE_PATTERN, "A court code is 2 to 8 capital letters or digits, as AOC assigns it (e.g. D34)."
)


class AgencyQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("orgs.view_agency", agency=("pk",)),
        change=Rule("orgs.change_agency", agency=("pk",)),
        manage_users=Rule("onboarding.manage_agency_users", agency=("pk",)),
        start_onboarding=Rule("onboarding.add_agencyonboarding", agency=("pk",)),
    )


class Agency(models.Model):
    """A law-enforcement agency (LLEA), identified by its ORI."""

    ori = models.CharField("ORI", max_length=9, unique=True, validators=[ori_validator])
    name = models.CharField(max_length=200)
    county = models.CharField(max_length=40, choices=COUNTY_CHOICES)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    records_system = models.CharField(max_length=10, choices=RecordsSystem.choices, default=RecordsSystem.SECTOR)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "agencies"
        permissions = [("import_agency", "Can import agencies"), ("export_agency", "Can export agencies")]
        indexes = [models.Index(fields=["name", "id"], name="agency_name_id_idx")]

    def __str__(self):
        return f"{self.name} ({self.ori})"

    def save(self, *args, **kwargs):
        self.ori = (self.ori or "").strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:agency_detail", kwargs={"ori": self.ori})


class CourtQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("orgs.view_court", court=("pk",)),
        change=Rule("orgs.change_court", court=("pk",)),
    )


class Court(models.Model):
    """A court of limited jurisdiction (or superior court) that may receive e-tickets."""

    code = models.CharField(max_length=8, unique=True, validators=[court_code_validator])
    name = models.CharField(max_length=200)
    county = models.CharField(max_length=40, choices=COUNTY_CHOICES)
    kind = models.CharField(max_length=20, choices=CourtKind.choices)
    accepts_etickets = models.BooleanField("accepts e-tickets", default=True)
    # As the court's notices print them (the ticket notice's letterhead).
    address = models.TextField(blank=True, help_text="Street address, city, state and ZIP code, one per line.")
    phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourtQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        permissions = [("import_court", "Can import courts"), ("export_court", "Can export courts")]
        indexes = [models.Index(fields=["name", "id"], name="court_name_id_idx")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.code = (self.code or "").strip().upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("orgs:court_detail", kwargs={"code": self.code})


class PersonQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("orgs.view_person", agency=("agency",), court=("court",)),
        change=Rule("orgs.change_person", agency=("agency",), court=("court",)),
        export=Rule("orgs.export_person", agency=("agency",), court=("court",)),
    )


class Person(models.Model):
    """An officer or a member of court or agency staff, with or without a portal account."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    personnel_number = models.CharField(max_length=30, blank=True, help_text="Badge or personnel number.")
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=20, choices=PersonKind.choices, default=PersonKind.OFFICER)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    court = models.ForeignKey(Court, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "people"
        permissions = [("import_person", "Can import people"), ("export_person", "Can export people")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False, court__isnull=True) | Q(agency__isnull=True, court__isnull=False)),
                name="person_agency_xor_court",
                violation_error_message="A person belongs to one agency or one court.",
            ),
            models.UniqueConstraint(
                fields=["agency", "personnel_number"],
                condition=Q(agency__isnull=False) & ~Q(personnel_number=""),
                name="person_unique_number_per_agency",
                violation_error_message="Another person of this agency has that personnel number.",
            ),
        ]

    def __str__(self):
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def organisation(self):
        return self.agency or self.court


class ProgramContact(models.Model):
    """The program's published contacts (the overview names three); shown on the contacts page."""

    role = models.CharField(max_length=120, help_text="e.g. WASPC Program and Training Coordinator")
    name = models.CharField(max_length=120)
    organisation = models.CharField("organization", max_length=120)
    phone = models.CharField(max_length=40)
    email = models.EmailField()
    helps_with = models.CharField(max_length=300, blank=True, help_text="What to contact them about.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.role}: {self.name}"

    @property
    def phone_uri(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        return f"tel:+1{digits}" if len(digits) == 10 else f"tel:{digits}"
