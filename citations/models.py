"""Tickets as the court sees them, every version as sent, and each version's violations.

`Ticket` is the clerk's work item: identity, routing, workflow state, and the typed fields of the version
the clerk applied (denormalized for the queue). `TicketVersion` keeps each version exactly as received
(raw JSON and typed columns); nothing is ever replaced. `Violation` rows belong to a version.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Right, Upper
from django.urls import reverse

from sector.core.calendar import Due
from sector.core.permissions import Policy, Rule, ScopedQuerySet

from . import rules
from .choices import (
    RESPONSE_DAYS,
    RESPONSE_DAYS_BY_MAIL,
    AppearanceWarning,
    CorrectionReason,
    LawKind,
    OffenseLevel,
    ReferralDecision,
    Service,
    TicketKind,
    TicketStatus,
    VersionDisposition,
    Zone,
)


class TicketQuerySet(ScopedQuerySet):
    policy = Policy(
        # An officer (an own-records role) sees the tickets they wrote: those whose officer's person record is
        # their account; the agency's other roles and the court see every ticket of their organization.
        view=Rule("citations.view_ticket", agency=("agency",), court=("court",), owner="officer__user"),
        view_licence=Rule("citations.view_licence_ticket", agency=("agency",), court=("court",)),
        process=Rule("citations.process_ticket", court=("court",)),
        export=Rule("citations.export_ticket", agency=("agency",), court=("court",)),
    )


class Ticket(models.Model):
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="tickets", db_index=False)
    ticket_number = models.CharField(max_length=20)
    court = models.ForeignKey("orgs.Court", on_delete=models.PROTECT, related_name="tickets", db_index=False)
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    status = models.CharField(max_length=24, choices=TicketStatus.choices, default=rules.INITIAL_STATUS)
    needs_clerk = models.BooleanField(default=True, help_text="Something waits for the court's clerk.")
    case_number = models.CharField(max_length=40, blank=True)
    accepted_at = models.DateTimeField("filed at", null=True, blank=True)
    # Versions
    applied_version = models.PositiveIntegerField(default=1)
    latest_version = models.PositiveIntegerField(default=1)
    latest_hash = models.CharField(max_length=64)
    amendment_pending = models.BooleanField(default=False)
    void_requested = models.BooleanField(default=False)
    void_reason = models.CharField(max_length=200, blank=True)
    # Typed fields of the applied version (for the queue, search and lists)
    issued_at = models.DateTimeField()
    service = models.CharField(max_length=10, choices=Service.choices, default=Service.PERSONAL)
    in_custody = models.BooleanField(default=False)
    appearance_at = models.DateTimeField(null=True, blank=True)
    defendant_last_name = models.CharField(max_length=100)
    defendant_first_name = models.CharField(max_length=100, blank=True)
    defendant_dob = models.DateField(null=True, blank=True)
    licence_number = models.CharField("license number", max_length=30, blank=True)
    licence_state = models.CharField("license state", max_length=2, blank=True)
    officer_name = models.CharField(max_length=200, blank=True)
    officer = models.ForeignKey(
        "orgs.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        help_text="The officer's person record (agency and personnel number of the first version), when known.",
    )
    # Search keys of the applied version (rules.search_key: upper case, no spaces or hyphens)
    plate = models.CharField(max_length=12, blank=True)
    agency_case_number = models.CharField(max_length=60, blank=True)
    juvenile = models.BooleanField(default=False, help_text="Under 16 on the issue date: juvenile court.")
    # Evidence of timeliness, fixed when the ticket first arrived (GR 30, IRLJ 2.2)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="Back Office sent_at of the first batch.")
    received_at = models.DateTimeField(help_text="When the portal received version 1.")
    source_system = models.CharField(
        max_length=64, blank=True, help_text="The sending system of version 1: only it may send later versions."
    )
    filing_date = models.DateField(null=True, blank=True)
    deadline_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)
    # The response deadline (IRLJ 2.4) on the court's calendar (GR 3, CRLJ 6(a)): its last day, and when that
    # was moved off a day the court is closed, the day it was moved from and why.
    response_due = models.DateField(null=True, blank=True)
    response_due_moved_from = models.DateField(null=True, blank=True)
    response_due_reason = models.CharField(max_length=200, blank=True)
    # The appearance the agency set, checked against the court's calendar when it arrived (a warning only).
    appearance_warning = models.CharField(max_length=30, choices=AppearanceWarning.choices, blank=True)
    appearance_warning_note = models.CharField(max_length=300, blank=True)
    # Queue order: 0 in-custody criminal, 1 set appearance (soonest first), 2 the rest (oldest received first)
    queue_rank = models.PositiveSmallIntegerField(default=2)
    queue_at = models.DateTimeField()
    # Clerk actions
    transferred_from = models.ForeignKey(
        "orgs.Court", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    correction_reason = models.CharField(max_length=20, choices=CorrectionReason.choices, blank=True)
    correction_note = models.TextField(blank=True)
    correction_requested_at = models.DateTimeField(null=True, blank=True)
    referral_question = models.TextField(blank=True)
    referral_decision = models.CharField(max_length=10, choices=ReferralDecision.choices, blank=True)
    referral_note = models.TextField(blank=True)
    status_before_referral = models.CharField(max_length=24, choices=TicketStatus.choices, blank=True)
    revision = models.PositiveIntegerField(default=0, help_text="Bumped by every clerk action (stale-form check).")
    last_action = models.CharField(max_length=60, blank=True)
    last_action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_action_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["queue_rank", "queue_at", "id"]
        permissions = [
            ("process_ticket", "Can act on tickets as the court's clerk"),
            ("export_ticket", "Can export ticket lists"),
            ("view_licence_ticket", "Can see whole license numbers"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["agency", "ticket_number"], name="ticket_unique_number_per_agency"),
            models.UniqueConstraint(
                fields=["court", "case_number"], condition=~Q(case_number=""), name="ticket_unique_case_per_court"
            ),
        ]
        indexes = [
            # The queue: a partial index of the tickets waiting for a clerk, so a court whose backlog is small
            # is answered from a small index even when the statistics think most tickets are pending. On
            # PostgreSQL migration 0003 adds INCLUDE (received_at, late) so the clerk dashboard counts pending
            # and late tickets from the index alone.
            models.Index(
                fields=["court", "queue_rank", "queue_at", "id"], condition=Q(needs_clerk=True), name="ticket_queue_idx"
            ),
            models.Index(fields=["court", "queue_rank", "queue_at", "id"], name="ticket_court_all_idx"),
            models.Index(fields=["agency", "received_at", "id"], name="ticket_agency_idx"),
            models.Index(fields=["court", "received_at"], name="ticket_court_received_idx"),
            models.Index(fields=["ticket_number"], name="ticket_number_idx"),
            models.Index(fields=["licence_number"], name="ticket_licence_idx"),
            models.Index(fields=["defendant_last_name", "defendant_first_name"], name="ticket_defendant_idx"),
            # Intake search (courts.selectors.search_q): each branch of its OR is answered from an index.
            # Names are searched by prefix of UPPER(...): on PostgreSQL migration 0004 adds that index.
            models.Index(fields=["plate"], condition=~Q(plate=""), name="ticket_plate_idx"),
            models.Index(
                fields=["agency_case_number"], condition=~Q(agency_case_number=""), name="ticket_agency_case_idx"
            ),
            models.Index(fields=["case_number"], condition=~Q(case_number=""), name="ticket_case_number_idx"),
            models.Index(Right("licence_number", 4), name="ticket_licence_last4_idx"),
            # The queue's other sort orders (courts.selectors.SORTS), keyset-paginated per court.
            models.Index(
                fields=["court", "defendant_last_name", "defendant_first_name", "id"], name="ticket_court_name_idx"
            ),
            models.Index(
                fields=["court", "appearance_at", "id"],
                condition=Q(appearance_at__isnull=False),
                name="ticket_court_appearance_idx",
            ),
            models.Index(fields=["court", "received_at", "id"], name="ticket_court_received_id_idx"),
            # The ticket page's possible-match warning (courts.selectors.ticket_warnings): the same last name
            # (any case) issued within 30 minutes, one index range however common the name is (issue 15).
            models.Index(Upper("defendant_last_name"), F("issued_at"), name="ticket_name_issued_idx"),
        ]

    def __str__(self):
        return f"Ticket {self.ticket_number}"

    def get_absolute_url(self):
        return reverse("courts:ticket_detail", kwargs={"pk": self.pk})

    @property
    def defendant_name(self) -> str:
        return ", ".join(p for p in (self.defendant_last_name, self.defendant_first_name) if p)

    @property
    def kind_short(self) -> str:
        """The kind in one word or two, for a queue row."""
        return {TicketKind.INFRACTION: "Infraction", TicketKind.CIVIL_INFRACTION: "Civil infraction"}.get(
            self.kind, "Criminal"
        )

    @property
    def response_days(self) -> int:
        return RESPONSE_DAYS_BY_MAIL if self.service == Service.MAIL else RESPONSE_DAYS

    @property
    def response_due_note(self) -> str:
        """ "moved from Fri Dec 25 (Christmas Day) to Mon Dec 28", or "" when the last day was not moved."""
        if self.response_due is None or self.response_due_moved_from is None:
            return ""
        return Due(self.response_due, self.response_due_moved_from, self.response_due_reason).note

    # Guard predicates and the derived flag: the rules are in citations/rules.py, written once.

    def available_actions(self) -> set[str]:
        return rules.available_actions(self)

    def can_be_accepted(self) -> bool:
        return rules.allows(self, "accept")

    def clerk_is_needed(self) -> bool:
        """What `needs_clerk` must say for the ticket as it is now (services store it on every change)."""
        return rules.needs_clerk(
            status=self.status, amendment_pending=self.amendment_pending, void_requested=self.void_requested
        )

    @property
    def court_status_label(self) -> str:
        """How the agency reads the court's status."""
        if self.status == TicketStatus.ACCEPTED:
            return f"Filed, case {self.case_number}"
        if self.status == TicketStatus.RECEIVED and self.transferred_from_id:
            return "Transferred"
        return self.get_status_display()


class TicketVersion(models.Model):
    """One version exactly as the feed delivered it; `changes` says what differs from the version before."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="versions", db_index=False)
    version = models.PositiveIntegerField()
    batch = models.ForeignKey("feed.Batch", null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    received_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    raw = models.JSONField()
    disposition = models.CharField(max_length=12, choices=VersionDisposition.choices)
    changes = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # Typed
    kind = models.CharField(max_length=20, choices=TicketKind.choices)
    court_code = models.CharField(max_length=8)
    agency_case_number = models.CharField(max_length=200, blank=True)
    issued_at = models.DateTimeField()
    service = models.CharField(max_length=10, choices=Service.choices)
    in_custody = models.BooleanField(default=False)
    appearance_at = models.DateTimeField(null=True, blank=True)
    appearance_location = models.CharField(max_length=200, blank=True)
    officer_name = models.CharField(max_length=200)
    officer_personnel_number = models.CharField(max_length=30)
    certification_statement = models.CharField(max_length=200)
    certification_place = models.CharField(max_length=200)
    location = models.JSONField(default=dict)
    defendant = models.JSONField(default=dict)
    vehicle = models.JSONField(null=True, blank=True)
    void = models.BooleanField(default=False)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["ticket_id", "version"]
        constraints = [models.UniqueConstraint(fields=["ticket", "version"], name="ticket_version_unique")]

    def __str__(self):
        return f"Ticket {self.ticket_id} v{self.version}"


class Violation(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="violations", db_index=False)
    version = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField()
    law = models.CharField(max_length=200)
    law_kind = models.CharField(max_length=10, choices=LawKind.choices)
    offense_level = models.CharField(max_length=20, choices=OffenseLevel.choices)
    traffic = models.BooleanField(default=True)
    description = models.CharField(max_length=500)
    penalty = models.DecimalField(max_digits=11, decimal_places=2, null=True, blank=True)
    speed = models.PositiveIntegerField(null=True, blank=True)
    posted_speed = models.PositiveIntegerField(null=True, blank=True)
    zone = models.CharField(max_length=10, choices=Zone.choices, blank=True)
    collision_report_number = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["ticket_id", "version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "version", "position"], name="violation_unique_position")
        ]

    def __str__(self):
        return f"{self.law} ({self.get_offense_level_display()})"


class NumberBlockQuerySet(ScopedQuerySet):
    policy = Policy(
        view=Rule("citations.view_numberblock", agency=("agency",)),
        add=Rule("citations.add_numberblock", agency=("agency",)),
    )


class NumberBlock(models.Model):
    """A block of ticket numbers allocated to an agency: `prefix` + a zero-padded number from first to last."""

    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="number_blocks")
    prefix = models.CharField(max_length=10, blank=True)
    first = models.PositiveBigIntegerField()
    last = models.PositiveBigIntegerField()
    width = models.PositiveSmallIntegerField(help_text="Digits after the prefix, zero-padded.")
    note = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = NumberBlockQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "prefix", "first", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(last__gte=models.F("first")), name="numberblock_first_le_last"),
            models.UniqueConstraint(fields=["agency", "prefix", "first"], name="numberblock_unique_start"),
        ]

    def __str__(self):
        return f"{self.label_first}–{self.label_last}"

    def number(self, n: int) -> str:
        return f"{self.prefix}{n:0{self.width}d}"

    @property
    def label_first(self) -> str:
        return self.number(self.first)

    @property
    def label_last(self) -> str:
        return self.number(self.last)

    @property
    def size(self) -> int:
        return self.last - self.first + 1
