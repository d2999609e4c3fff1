"""The program's checklist per agency, the Technical Assessment Survey and the requirement profiles."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from sector.core.calendar import Due, state_business_days
from sector.core.permissions import Policy, Rule, ScopedQuerySet

from .choices import (
    NOTICE_REPLY_DAYS,
    PROFILE_FIGURES,
    STAGE_FOR_OPEN_STEP,
    AgreementKind,
    AgreementStatus,
    LineResult,
    ProposalStatus,
    Readiness,
    SignMethod,
    Stage,
    Step,
    StepStatus,
    SurveyStatus,
    Wireless,
)


class ChecklistStep(models.Model):
    """One of the program's seven steps, as the overview words it. Reference data (seeded by a migration)."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    responsible = models.CharField(max_length=120, help_text="The responsible organization, as the overview says.")
    completed_by_roles = models.JSONField(
        default=list, help_text="Role names (accounts.roles) allowed to mark this step complete."
    )
    target_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Days after onboarding starts by which the step should be done; empty: none."
    )
    done_when = models.TextField(blank=True, help_text="What completes the step.")
    required_for_go_live = models.BooleanField(default=True)

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class OnboardingQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_agencyonboarding", agency=("agency",)),
        prepare_agreement=Rule("onboarding.add_agreement", agency=("agency",)),
        propose_lasa=Rule("onboarding.add_lasaproposal", agency=("agency",)),
        decide_lasa=Rule("onboarding.change_lasaproposal", agency=("agency",)),
        invite_contact=Rule("onboarding.add_agencyonboarding", agency=("agency",)),
        go_live=Rule("onboarding.golive_agencyonboarding", agency=("agency",)),
    )


class AgencyOnboarding(models.Model):
    """An agency's way through the checklist. The stage is derived from the steps and stored for lists."""

    agency = models.OneToOneField("orgs.Agency", on_delete=models.PROTECT, related_name="onboarding")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    live_at = models.DateTimeField(null=True, blank=True)
    live_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    required_trained_officers = models.PositiveSmallIntegerField(
        "officers to train (WASPC target)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=f"Officers who must complete a sanctioned training before step {Step.OFFICER_TRAINING} is done, "
        "as WASPC sets it. Empty: the sworn officers the agency's survey reports.",
    )
    agency_name = models.CharField(max_length=200, editable=False, help_text="Copied for ordering the pipeline.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = OnboardingQuerySet.as_manager()

    class Meta:
        ordering = ["agency_name", "id"]
        permissions = [("golive_agencyonboarding", "Can take an agency live")]
        indexes = [models.Index(fields=["agency_name", "id"], name="onboarding_name_id_idx")]

    def __str__(self):
        return f"Onboarding of {self.agency_name}"

    def save(self, *args, **kwargs):
        if not self.agency_name and self.agency_id:
            self.agency_name = self.agency.name
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("onboarding:agency", kwargs={"ori": self.agency.ori})

    def officer_target(self) -> tuple[int | None, str]:
        """How many officers must complete a sanctioned training, and where the number comes from: the target
        WASPC set, else the sworn officers of the agency's survey (select_related("survey") for lists)."""
        if self.required_trained_officers:
            return self.required_trained_officers, "target set by WASPC"
        survey = getattr(self, "survey", None)
        if survey is not None and survey.sworn_officers:
            return survey.sworn_officers, "sworn officers in the survey"
        return None, "not known until the survey gives the number of sworn officers"

    def compute_stage(self, steps: list[OnboardingStep]) -> str:
        if self.live_at:
            return Stage.LIVE
        for s in sorted(steps, key=lambda s: s.step.number):
            if s.status == StepStatus.OPEN and s.step.number in STAGE_FOR_OPEN_STEP:
                return STAGE_FOR_OPEN_STEP[s.step.number]
        return Stage.READY


class OnboardingStepQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_agencyonboarding", agency=("onboarding__agency",)),
    )

    def overdue(self, today: date | None = None):
        return self.filter(status=StepStatus.OPEN, due_on__lt=today or timezone.localdate())


class OnboardingStep(models.Model):
    """One step of one agency's checklist: open, or done with who, when, a note and evidence."""

    onboarding = models.ForeignKey(AgencyOnboarding, on_delete=models.CASCADE, related_name="steps")
    step = models.ForeignKey(ChecklistStep, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN)
    due_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_by_name = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to="onboarding/evidence/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_text = models.CharField(
        max_length=300, blank=True, help_text="For a step its own workflow completed: what completed it."
    )
    automatic = models.BooleanField(default=False, help_text="Completed by its workflow, not by hand.")

    objects = OnboardingStepQuerySet.as_manager()

    class Meta:
        ordering = ["onboarding_id", "step__number"]
        constraints = [
            models.UniqueConstraint(fields=["onboarding", "step"], name="onboarding_step_unique"),
            models.CheckConstraint(
                condition=Q(status="open") | Q(completed_at__isnull=False),
                name="onboarding_step_done_has_time",
                violation_error_message="A completed step records when it was completed.",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="onboarding_step_due_idx")]

    def __str__(self):
        return f"{self.onboarding.agency_name}: step {self.step.number}"

    @property
    def is_done(self) -> bool:
        return self.status == StepStatus.DONE

    def is_overdue(self, today: date | None = None) -> bool:
        return (
            self.status == StepStatus.OPEN and self.due_on is not None and self.due_on < (today or timezone.localdate())
        )

    @staticmethod
    def due_for(started: date, target_days: int | None) -> Due | None:
        """A step's target on Washington state business days: `target_days` after the start, and when that
        is a weekend or a state holiday, the next business day (a program target, not a court deadline)."""
        if target_days is None:
            return None
        return state_business_days().last_day(started + timedelta(days=target_days))

    @property
    def due_note(self) -> str:
        """ "moved from Sat Nov 28 (weekend) to Mon Nov 30" when the target was moved off a closed day."""
        due = self.due_for(timezone.localdate(self.onboarding.started_at), self.step.target_days)
        return due.note if due is not None and due.day == self.due_on else ""


# --- Technical Assessment Survey -------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RequirementProfileQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def in_force(self, on: date | None = None):
        """The profile that applies on `on`: the highest published version already effective."""
        on = on or timezone.localdate()
        return self.published().filter(effective_from__lte=on).order_by("-version").first()

    def draft(self):
        """The version WSP is preparing (at most one: the services refuse a second)."""
        return self.filter(published_at__isnull=True).order_by("-version").first()


class RequirementProfile(models.Model):
    """What an officer computer needs, versioned. Version 1 is the overview's Technical Specifications.

    Evaluations copy the figures they used, so editing a profile never rewrites a past result; WSP publishes
    a change as a new version.
    """

    version = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    effective_from = models.DateField(default=timezone.localdate)
    compatible_os = models.TextField(help_text="One operating system per line, as the profile lists it.")
    cpu_min_ghz = models.DecimalField("processor minimum (GHz)", max_digits=5, decimal_places=2)
    cpu_preferred_ghz = models.DecimalField("processor preferred (GHz)", max_digits=5, decimal_places=2)
    ram_min_gb = models.DecimalField("RAM minimum (GB)", max_digits=6, decimal_places=2)
    ram_preferred_gb = models.DecimalField("RAM preferred (GB)", max_digits=6, decimal_places=2)
    disk_min_gb = models.DecimalField("free disk minimum (GB)", max_digits=7, decimal_places=2)
    disk_preferred_gb = models.DecimalField("free disk preferred (GB)", max_digits=7, decimal_places=2)
    required_equipment = models.TextField(blank=True, help_text="One item per line.")
    recommended_equipment = models.TextField(blank=True, help_text="One item per line.")
    client_installs = models.TextField(
        blank=True, help_text="Components the SECTOR client installs if absent; one per line."
    )
    source = models.TextField(blank=True, help_text="Where these figures come from.")
    doubtful = models.JSONField(
        default=list, blank=True,
        help_text="Figures (field names) marked doubtful: shown with the mark, never applied as a requirement.",
    )  # fmt: skip
    example = models.BooleanField(
        default=False, help_text="An example of current figures, for WSP to replace with its own published version."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while WSP prepares the version.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = RequirementProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        permissions = [("publish_requirementprofile", "Can publish a requirement profile version")]

    def __str__(self):
        return f"Requirement profile v{self.version}: {self.name}"

    def get_absolute_url(self):
        return reverse("onboarding:profile", kwargs={"version": self.version})

    @property
    def os_list(self) -> list[str]:
        return _lines(self.compatible_os)

    @property
    def required_equipment_list(self) -> list[str]:
        return _lines(self.required_equipment)

    @property
    def recommended_equipment_list(self) -> list[str]:
        return _lines(self.recommended_equipment)

    @property
    def client_installs_list(self) -> list[str]:
        return _lines(self.client_installs)

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def figures(self) -> list[dict]:
        """Each figure with its label, value, unit and whether it is marked doubtful (for the pages)."""
        return [
            {
                "field": name,
                "label": label,
                "unit": unit,
                "value": getattr(self, name),
                "doubtful": name in self.doubtful,
            }
            for name, label, unit in PROFILE_FIGURES
        ]

    def warnings(self) -> list[str]:
        """Figures that look wrong. Shown in the admin and the portal; never corrected silently."""
        out = []
        if self.cpu_preferred_ghz is not None and self.cpu_preferred_ghz > 10:
            if "cpu_preferred_ghz" in self.doubtful:
                out.append(
                    f"The preferred processor speed reads {self.cpu_preferred_ghz.normalize():f} GHz, kept as "
                    'published (the overview\'s "60 GHz" is evidently a typo). It is marked doubtful, so it is '
                    "never applied when a computer is evaluated."
                )
                return out
            out.append(
                f"The preferred processor speed reads {self.cpu_preferred_ghz.normalize():f} GHz. No laptop "
                'processor runs that fast: the overview\'s "60 GHz" is evidently a typo, kept as published. '
                "While it stands no computer can meet the preferred processor figure. Mark it doubtful (a "
                "doubtful figure is never applied) or publish a corrected figure once WSP confirms it."
            )
        for label, low, high in (
            ("processor", self.cpu_min_ghz, self.cpu_preferred_ghz),
            ("RAM", self.ram_min_gb, self.ram_preferred_gb),
            ("disk", self.disk_min_gb, self.disk_preferred_gb),
        ):
            if low is not None and high is not None and high < low:
                out.append(f"The preferred {label} figure is below the minimum.")
        return out

    def snapshot(self) -> dict:
        return {
            "version": self.version,
            "name": self.name,
            "compatible_os": self.os_list,
            "cpu_min_ghz": str(self.cpu_min_ghz),
            "cpu_preferred_ghz": str(self.cpu_preferred_ghz),
            "ram_min_gb": str(self.ram_min_gb),
            "ram_preferred_gb": str(self.ram_preferred_gb),
            "disk_min_gb": str(self.disk_min_gb),
            "disk_preferred_gb": str(self.disk_preferred_gb),
            "required_equipment": self.required_equipment_list,
            "recommended_equipment": self.recommended_equipment_list,
            "client_installs": self.client_installs_list,
            "doubtful": [name for name, _label, _unit in PROFILE_FIGURES if name in self.doubtful],
            "example": self.example,
        }


class SurveyQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_survey", agency=("onboarding__agency",)),
        change=Rule("onboarding.change_survey", agency=("onboarding__agency",)),
    )


class Survey(models.Model):
    """The agency's Technical Assessment Survey: a draft it can save and come back to, then submits once."""

    onboarding = models.OneToOneField(AgencyOnboarding, on_delete=models.PROTECT, related_name="survey")
    status = models.CharField(max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    contact_name = models.CharField("agency contact name", max_length=120, blank=True)
    contact_title = models.CharField("contact's title", max_length=120, blank=True)
    contact_email = models.EmailField("contact's email", blank=True)
    contact_phone = models.CharField("contact's phone", max_length=40, blank=True)
    sworn_officers = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(20000)])
    vehicles_with_laptops = models.PositiveIntegerField(null=True, blank=True, validators=[MaxValueValidator(20000)])
    in_car_wireless = models.CharField(max_length=10, choices=Wireless.choices, blank=True)
    office_network = models.CharField(max_length=300, blank=True, help_text="e.g. wired LAN to the county WAN")
    records_system = models.CharField(max_length=10, choices=[("SECTOR", "SECTOR"), ("TraCS", "TraCS")], blank=True)
    courts = models.ManyToManyField("orgs.Court", blank=True, related_name="+", verbose_name="courts of jurisdiction")
    prosecutor_name = models.CharField(max_length=120, blank=True)
    prosecutor_office = models.CharField(max_length=200, blank=True)
    prosecutor_email = models.EmailField(blank=True)
    it_signoff_name = models.CharField("IT sign-off: name", max_length=120, blank=True)
    it_signoff_title = models.CharField("IT sign-off: title", max_length=120, blank=True)
    it_signed_off_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="survey_submitted_has_time",
            )
        ]

    def __str__(self):
        return f"Technical Assessment Survey of {self.onboarding.agency_name}"

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT


class InventoryLine(models.Model):
    """One officer computer in the survey's inventory."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="lines")
    model = models.CharField("make and model", max_length=120)
    os = models.CharField("operating system", max_length=120)
    cpu_ghz = models.DecimalField(
        "processor (GHz)", max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    ram_gb = models.DecimalField(
        "RAM (GB)", max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(4096)]
    )
    disk_free_gb = models.DecimalField(
        "free disk (GB)", max_digits=8, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100000)]
    )
    barcode_scanner = models.BooleanField("2-D barcode scanner (USB-HID)", default=False)
    printer = models.BooleanField(default=False)
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(5000)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey_id", "id"]

    def __str__(self):
        return f"{self.model} ({self.os})"


class EvaluationQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_evaluation", agency=("survey__onboarding__agency",)),
    )


class Evaluation(models.Model):
    """The survey's inventory judged against one profile version; the figures used are copied in."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="evaluations")
    profile = models.ForeignKey(RequirementProfile, on_delete=models.PROTECT, related_name="evaluations")
    profile_version = models.PositiveIntegerField()
    profile_snapshot = models.JSONField(default=dict)
    overall = models.CharField(max_length=20, choices=LineResult.choices)
    lines = models.JSONField(default=list, help_text="Per line: model, os, figures, result, reasons.")
    blockers = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Evaluation of {self.survey.onboarding.agency_name} against profile v{self.profile_version}"

    @property
    def counts(self) -> dict[str, int]:
        out = {r.value: 0 for r in LineResult}
        for line in self.lines:
            out[line["result"]] = out.get(line["result"], 0) + int(line.get("quantity", 1))
        return out


# --- Notices to courts and the prosecutor ----------------------------------------------------------------


class CourtNoticeQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_courtnotice", agency=("survey__onboarding__agency",), court=("court",)),
        change=Rule("onboarding.change_courtnotice", court=("court",)),
        decide=Rule("onboarding.change_courtnotice", court=("court",)),
    )


class CourtNotice(models.Model):
    """The notice a court of jurisdiction gets when the agency submits its survey, and the court's readiness."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="court_notices")
    court = models.ForeignKey("orgs.Court", on_delete=models.PROTECT, related_name="+")
    recipients = models.JSONField(default=list, help_text="Addresses the notice was sent to.")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Readiness.choices, default=Readiness.PENDING)
    accept_from = models.DateField("accepts e-tickets from", null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why not yet.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True, help_text="Who recorded the decision (copied).")
    decider_name = models.CharField("decided by", max_length=120, blank=True, help_text="Who decided for the court.")
    decider_title = models.CharField("title of who decided", max_length=120, blank=True)

    objects = CourtNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "court"], name="court_notice_unique"),
            models.CheckConstraint(
                condition=~Q(decision="will_accept") | Q(accept_from__isnull=False),
                name="court_notice_accept_has_date",
                violation_error_message="A court that will accept e-tickets says from which date.",
            ),
        ]
        indexes = [models.Index(fields=["court", "decision", "id"], name="court_notice_queue_idx")]

    def __str__(self):
        return f"Notice to {self.court.name} about {self.survey.onboarding.agency_name}"

    @property
    def sent_on(self) -> date:
        """The day the notice was issued (Pacific time); its email goes out right after, and its letter carries
        this date, so the letter and its reply-by date read the same however often it is printed."""
        return timezone.localdate(self.created_at)

    @property
    def reply_by(self) -> date:
        """The letter's reply-by date: NOTICE_REPLY_DAYS after the notice, on a business day."""
        return state_business_days().open_on_or_after(self.sent_on + timedelta(days=NOTICE_REPLY_DAYS))

    @property
    def accepts_before_notice(self) -> bool:
        """A "will accept from" date before the court was even notified: most likely a typo to check."""
        return (
            self.decision == Readiness.WILL_ACCEPT
            and self.accept_from is not None
            and (self.accept_from < self.sent_on)
        )


class ProsecutorNoticeQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_prosecutornotice", agency=("survey__onboarding__agency",)),
        # A new acknowledgment link: the agency's people who sent the notice with the survey (issue 16).
        renew_link=Rule("onboarding.change_survey", agency=("survey__onboarding__agency",)),
    )


class ProsecutorNotice(models.Model):
    """The prosecutor's notice. Acknowledged once, through a signed, expiring link that needs no account."""

    survey = models.OneToOneField(Survey, on_delete=models.PROTECT, related_name="prosecutor_notice")
    name = models.CharField(max_length=120)
    office = models.CharField(max_length=200)
    email = models.EmailField()
    link_key = models.CharField(max_length=64, help_text="Random; part of the signed link, so old links die on resend.")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_ip = models.GenericIPAddressField(null=True, blank=True)
    acknowledged_name = models.CharField(max_length=120, blank=True)
    link_issued_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current link was issued, if it replaced the first one."
    )
    links_issued = models.PositiveSmallIntegerField(default=1)

    objects = ProsecutorNoticeQuerySet.as_manager()

    def __str__(self):
        return f"Notice to {self.office} about {self.survey.onboarding.agency_name}"

    def link_expires_on(self) -> date:
        """The last day the current link works (ACK_LINK_DAYS after it was issued)."""
        from .choices import ACK_LINK_DAYS

        return timezone.localdate((self.link_issued_at or self.created_at) + timedelta(days=ACK_LINK_DAYS))

    @property
    def link_expired(self) -> bool:
        return self.acknowledged_at is None and timezone.localdate() > self.link_expires_on()


# --- Agreements ------------------------------------------------------------------------------------------


class AgreementTemplate(models.Model):
    """Versioned agreement text. `$agency_name`, `$ori`, `$county`, `$term_months` and `$today` are filled in
    when WSP prepares an agreement; the prepared text is copied, so a later version never changes it."""

    kind = models.CharField(max_length=10, choices=AgreementKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Paragraphs separated by blank lines; $agency_name etc. are filled in.")
    term_months = models.PositiveSmallIntegerField(default=36, validators=[MinValueValidator(1)])
    effective_from = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="agreement_template_version_unique")]

    def __str__(self):
        return f"{self.title} v{self.version}"


class AgreementQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_agreement", agency=("onboarding__agency",)),
        sign=Rule("onboarding.sign_agreement", agency=("onboarding__agency",)),
        countersign=Rule("onboarding.countersign_agreement", agency=("onboarding__agency",)),
    )


def _agreement_path(instance, filename):
    return f"onboarding/agreements/{instance.onboarding.agency.ori}/{instance.pk or 'new'}-{filename}"


class Agreement(models.Model):
    """One agreement with one agency: prepared by WSP, signed for the agency, countersigned by WSP.
    Once executed its PDF and SHA-256 never change (services refuse; save() refuses too)."""

    onboarding = models.ForeignKey(AgencyOnboarding, on_delete=models.PROTECT, related_name="agreements")
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=10, choices=AgreementKind.choices)
    template_version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    term_months = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.PREPARED)
    prepared_at = models.DateTimeField(default=timezone.now)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sign_method = models.CharField(max_length=10, choices=SignMethod.choices, blank=True)
    signatory_name = models.CharField(max_length=120, blank=True)
    signatory_title = models.CharField(max_length=120, blank=True)
    authority_statement = models.TextField(blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_copy = models.FileField(upload_to=_agreement_path, blank=True)
    signed_copy_sha256 = models.CharField(max_length=64, blank=True)
    resolution_number = models.CharField(max_length=60, blank=True)
    resolution_date = models.DateField(null=True, blank=True)
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    countersigned_name = models.CharField(max_length=200, blank=True)
    executed_pdf = models.FileField(upload_to=_agreement_path, blank=True)
    executed_sha256 = models.CharField(max_length=64, blank=True)
    term_start = models.DateField(null=True, blank=True)
    renewal_date = models.DateField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-prepared_at", "-id"]
        permissions = [
            ("sign_agreement", "Can sign an agreement for the agency"),
            ("countersign_agreement", "Can countersign an agreement for WSP"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding", "kind"],
                condition=Q(status__in=["prepared", "agency_signed"]),
                name="agreement_one_open_per_kind",
                violation_error_message="This agency already has an agreement of this kind waiting to be signed.",
            ),
            models.CheckConstraint(
                condition=~Q(status="executed") | (~Q(executed_sha256="") & Q(countersigned_at__isnull=False)),
                name="agreement_executed_has_pdf",
            ),
        ]

    def __str__(self):
        return f"{self.title} with {self.onboarding.agency_name}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("status", "executed_sha256").first()
            if stored and stored["status"] == AgreementStatus.EXECUTED:
                raise ValueError("An executed agreement can never be changed or replaced.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("onboarding:agreement", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        if self.is_executed:
            raise ValueError("An executed agreement can never be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_executed(self) -> bool:
        return self.status == AgreementStatus.EXECUTED


# --- LASA ------------------------------------------------------------------------------------------------


class LasaProposalQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("onboarding.view_lasaproposal", agency=("onboarding__agency",)),
        decide=Rule("onboarding.change_lasaproposal", agency=("onboarding__agency",)),
    )


class LasaProposal(models.Model):
    """The agency proposes its LASA (and optionally a backup): an existing agency user, or a new person."""

    onboarding = models.ForeignKey(AgencyOnboarding, on_delete=models.PROTECT, related_name="lasa_proposals")
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    primary_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    primary_first_name = models.CharField(max_length=100, blank=True)
    primary_last_name = models.CharField(max_length=100, blank=True)
    primary_email = models.EmailField(blank=True)
    backup_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    backup_first_name = models.CharField(max_length=100, blank=True)
    backup_last_name = models.CharField(max_length=100, blank=True)
    backup_email = models.EmailField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    objects = LasaProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        permissions = [("manage_agency_users", "Can manage the users of the own agency")]
        constraints = [
            models.UniqueConstraint(
                fields=["onboarding"],
                condition=Q(status="proposed"),
                name="lasa_one_open_proposal",
                violation_error_message="The agency already has a LASA proposal awaiting WSP.",
            )
        ]

    def __str__(self):
        return f"LASA proposal for {self.onboarding.agency_name}: {self.primary_display}"

    @property
    def primary_display(self) -> str:
        if self.primary_user_id:
            return str(self.primary_user)
        return f"{self.primary_first_name} {self.primary_last_name} <{self.primary_email}>"

    @property
    def backup_display(self) -> str:
        if self.backup_user_id:
            return str(self.backup_user)
        if self.backup_email:
            return f"{self.backup_first_name} {self.backup_last_name} <{self.backup_email}>"
        return ""
