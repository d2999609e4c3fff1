from django.db import models


class TicketKind(models.TextChoices):
    INFRACTION = "infraction", "Infraction (traffic, IRLJ)"
    CIVIL_INFRACTION = "civil_infraction", "Civil infraction (RCW 7.80)"
    CRIMINAL = "criminal", "Criminal citation (CrRLJ)"


class Service(models.TextChoices):
    PERSONAL = "personal", "Personal"
    VEHICLE = "vehicle", "Left on vehicle"
    MAIL = "mail", "By mail"


class TicketStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    CORRECTION_REQUESTED = "correction_requested", "Correction requested"
    ACCEPTED = "accepted", "Filed"
    REFERRED = "referred", "Referred to a judge"
    DUPLICATE = "duplicate", "Duplicate transmission"
    VOID_CONFIRMED = "void_confirmed", "Void confirmed"
    DISMISSED = "dismissed", "Dismissed by the court"


# Statuses in which the court still owes the ticket a decision.
OPEN_STATUSES = (TicketStatus.RECEIVED, TicketStatus.CORRECTION_REQUESTED, TicketStatus.REFERRED)
CLOSED_STATUSES = (TicketStatus.DUPLICATE, TicketStatus.VOID_CONFIRMED, TicketStatus.DISMISSED)


class VersionDisposition(models.TextChoices):
    APPLIED = "applied", "Applied"
    PENDING = "pending", "Waiting for the clerk"
    SUPERSEDED = "superseded", "Superseded by a later version"


class LawKind(models.TextChoices):
    STATE = "state", "State law"
    LOCAL = "local", "Local ordinance"


class OffenseLevel(models.TextChoices):
    INFRACTION = "infraction", "Infraction"
    MISDEMEANOR = "misdemeanor", "Misdemeanor"
    GROSS_MISDEMEANOR = "gross_misdemeanor", "Gross misdemeanor"


class Zone(models.TextChoices):
    SCHOOL = "school", "School zone"
    WORK = "work", "Work zone"


class CorrectionReason(models.TextChoices):
    DEFENDANT = "defendant", "Defendant details missing or wrong"
    VIOLATION = "violation", "Violation or law cited is wrong"
    COURT = "court", "Wrong court"
    SIGNATURE = "signature", "Certification or signature problem"
    VEHICLE = "vehicle", "Vehicle details"
    OTHER = "other", "Other"


class ReferralDecision(models.TextChoices):
    GRANTED = "granted", "Granted (void / dismiss)"
    DENIED = "denied", "Denied (the ticket stands)"


class AppearanceWarning(models.TextChoices):
    """What is wrong with the appearance date and time the agency set (the portal cannot change them)."""

    CLOSED_DAY = "appearance_on_closed_day", "Appearance on a closed day"
    OUTSIDE_HOURS = "appearance_outside_hours", "Appearance outside court hours"
    PAST = "appearance_past", "Appearance already past"


# Response deadline (IRLJ 2.4): 30 days from issuance, 33 when served by mail.
RESPONSE_DAYS = 30
RESPONSE_DAYS_BY_MAIL = 33
JUVENILE_AGE = 16

# Number-block files (CSV or XLSX) agencies import.
BLOCK_FILE_MAX_BYTES = 2 * 1024 * 1024
BLOCK_FILE_MAX_ROWS = 5000

# The custody chain's expected times (issue 16). Program figures, not law: the Back Office sends a signed ticket
# within a day (laptops sync at least once a shift), the portal receives it within the hour the sender sent it,
# and the court's clerk files it within three days of receipt. A hop missing past its time is flagged to WSP.
CUSTODY_SEND_HOURS = 24
CUSTODY_RECEIVE_HOURS = 1
CUSTODY_ACCEPT_DAYS = 3
