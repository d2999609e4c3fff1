"""Constants of the onboarding workflow."""

from django.db import models


class Step(models.IntegerChoices):
    """The program's seven checklist steps (reference.py words them). Code and templates name a step by what it is,
    never by a bare number, so the step data is the one place the numbering lives."""

    OVERVIEW = 1, "Overview and survey sent"
    SURVEY_AND_NOTICES = 2, "Survey; courts and prosecutor notified"
    AGREEMENT = 3, "Service Level Agreement"
    LASA = 4, "Local agency system administrator"
    OFFICER_TRAINING = 5, "Officer training"
    COURT_STAFF_TRAINING = 6, "Court staff training"
    ONGOING_SUPPORT = 7, "Ongoing support"


class Stage(models.TextChoices):
    """Where an agency stands: the first open step among 1–6 decides it (see AgencyOnboarding.compute_stage)."""

    NEW = "new", "New"
    SURVEYING = "surveying", "Surveying"
    AGREEMENT = "agreement", "Agreement and LASA"
    TRAINING = "training", "Training"
    READY = "ready", "Ready for go-live"
    LIVE = "live", "Live"


STAGE_ORDER = [s.value for s in Stage]

# The stage an agency is in while the given step is the first one still open.
STAGE_FOR_OPEN_STEP = {
    Step.OVERVIEW: Stage.NEW,
    Step.SURVEY_AND_NOTICES: Stage.SURVEYING,
    Step.AGREEMENT: Stage.AGREEMENT,
    Step.LASA: Stage.AGREEMENT,
    Step.OFFICER_TRAINING: Stage.TRAINING,
    Step.COURT_STAFF_TRAINING: Stage.TRAINING,
}


class StepStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class LineResult(models.TextChoices):
    """Result of one officer computer against the requirement profile, worst first."""

    FAILS = "fails", "Fails"
    NEEDS_REVIEW = "needs_review", "Needs WSP review"
    MEETS_MINIMUM = "meets_minimum", "Meets minimum"
    MEETS_PREFERRED = "meets_preferred", "Meets preferred"


RESULT_RANK = {
    LineResult.FAILS: 0,
    LineResult.NEEDS_REVIEW: 1,
    LineResult.MEETS_MINIMUM: 2,
    LineResult.MEETS_PREFERRED: 3,
}


class Wireless(models.TextChoices):
    NONE = "none", "None"
    CELLULAR = "cellular", "Cellular modem or hotspot"
    WIFI = "wifi", "Wi-Fi at the station only"
    OTHER = "other", "Other"


# Files people upload as evidence or signed copies (kinds of sector.core.uploads.KINDS).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = ("pdf", "png", "jpeg")
SIGNED_COPY_TYPES = ("pdf",)
UPLOAD_TOO_LARGE = "Scan at a lower resolution or split it."


class Readiness(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    WILL_ACCEPT = "will_accept", "Will accept e-tickets"
    NOT_YET = "not_yet", "Not yet"


# How long a prosecutor's acknowledgment link stays valid.
ACK_LINK_DAYS = 30
# A court is asked to record its readiness decision within this many days of the notice (the letter's
# reply-by date; a date on a weekend or state holiday moves to the next business day).
NOTICE_REPLY_DAYS = 30

# The letterhead of the program's letters (the court and prosecutor notices).
LETTERHEAD = {
    "program": "SECTOR Program",
    "expansion": "Statewide Electronic Collision & Traffic Online Records",
    "partners": (
        "Washington State Patrol",
        "Washington Association of Sheriffs and Police Chiefs",
        "Administrative Office of the Courts",
    ),
    "address": "3060 Willamette Drive NE, Lacey, WA 98516",
    "phone": "(360) 486-2393",
    "email": "sector@wsp.wa.gov",
}


class AgreementKind(models.TextChoices):
    SLA = "sla", "SECTOR Service Level Agreement"
    TRACS = "tracs", "TraCS access agreement"


class AgreementStatus(models.TextChoices):
    PREPARED = "prepared", "Ready for the agency to sign"
    AGENCY_SIGNED = "agency_signed", "Signed by the agency; awaiting WSP"
    EXECUTED = "executed", "Executed"


class SignMethod(models.TextChoices):
    PORTAL = "portal", "Signed in the portal"
    UPLOAD = "upload", "Signed copy uploaded"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting WSP"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


# Roles a LASA may give within the agency (never LASA itself: WSP approves LASAs).
LASA_MANAGED_ROLES = {"officer": "Officer", "collision_reviewer": "Collision reviewer"}


# The requirement profile's figures, as (field, label, unit). A figure WSP marks doubtful is shown with the
# mark and never applied when a computer is evaluated.
PROFILE_FIGURES = (
    ("cpu_min_ghz", "Processor minimum", "GHz"),
    ("cpu_preferred_ghz", "Processor preferred", "GHz"),
    ("ram_min_gb", "RAM minimum", "GB"),
    ("ram_preferred_gb", "RAM preferred", "GB"),
    ("disk_min_gb", "Free disk minimum", "GB"),
    ("disk_preferred_gb", "Free disk preferred", "GB"),
)
