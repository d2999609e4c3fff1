"""Constants of collision review (statuses, severities, sections, MMUCC unit types)."""

from datetime import timedelta

from django.db import models

CLAIM_DURATION = timedelta(minutes=30)
OVERDUE_AFTER = timedelta(days=10)  # the age buckets' last boundary; the target itself is collisions.deadlines
REVIEW_DAYS = 10
DIAGRAM_MAX_BYTES = 2 * 1024 * 1024
MIN_NARRATIVE = 20  # characters: shorter is a warning ("a short narrative")
MAX_UNITS = 50
MAX_PERSONS = 200


class ReportStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    REVIEWED = "reviewed", "Reviewed, awaiting second approval"
    RETURNED = "returned", "Returned to the officer"
    APPROVED = "approved", "Approved"


AWAITING = (ReportStatus.PENDING, ReportStatus.REVIEWED)


class Severity(models.TextChoices):
    """KABCO, worst injury of any person; no injury at all is property damage only."""

    K = "K", "K — fatal"
    A = "A", "A — suspected serious injury"
    B = "B", "B — suspected minor injury"
    C = "C", "C — possible injury"
    PDO = "O", "Property damage only"


SEVERITY_RANK = {"K": 0, "A": 1, "B": 2, "C": 3, "O": 4}


class UnitType(models.TextChoices):
    MOTOR_VEHICLE = "motor_vehicle", "Motor vehicle"
    PARKED_VEHICLE = "parked_vehicle", "Parked vehicle"
    PEDALCYCLIST = "pedalcyclist", "Pedalcyclist"
    PEDESTRIAN = "pedestrian", "Pedestrian"
    OTHER = "other", "Other"


NON_MOTORIST_UNITS = (UnitType.PEDALCYCLIST, UnitType.PEDESTRIAN)


class PersonRole(models.TextChoices):
    DRIVER = "driver", "Driver"
    PASSENGER = "passenger", "Passenger"
    NON_MOTORIST = "non_motorist", "Non-motorist"


class Section(models.TextChoices):
    """The parts of a report a reviewer's note or a validation finding points at."""

    GENERAL = "general", "General (times, officer, conditions)"
    LOCATION = "location", "Location"
    UNITS = "units", "Units and vehicles"
    PERSONS = "persons", "Persons and injuries"
    NARRATIVE = "narrative", "Narrative"
    DIAGRAM = "diagram", "Diagram"


class VersionKind(models.TextChoices):
    ORIGINAL = "original", "Original"
    RESUBMISSION = "resubmission", "Resubmission after return"
    REPLACEMENT = "replacement", "Replaced the version under review"
    SUPPLEMENT = "supplement", "Supplement after approval"


class AccessKind(models.TextChoices):
    VIEW = "view", "Viewed the report"
    PDF = "pdf", "Downloaded the report PDF"
    RELEASE_PDF = "release_pdf", "Downloaded a redacted release PDF"


class PartyRelation(models.TextChoices):
    DRIVER = "driver", "Driver involved"
    OWNER = "owner", "Vehicle owner"
    INJURED = "injured", "Injured person"
    REPRESENTATIVE = "representative", "Representative (attorney) of a party"
    INSURER = "insurer", "Insurer of a party"
