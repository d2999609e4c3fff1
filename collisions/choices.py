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
    PDO = "O", "O — property damage only"


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
    DIAGRAM = "diagram", "Viewed a diagram"
    RELEASES = "releases", "Viewed the releases (every person listed)"
    DELIVERY = "delivery", "Viewed a delivery's payload"


class PartyRelation(models.TextChoices):
    DRIVER = "driver", "Driver involved"
    OWNER = "owner", "Vehicle owner"
    INJURED = "injured", "Injured person"
    REPRESENTATIVE = "representative", "Representative (attorney) of a party"
    INSURER = "insurer", "Insurer of a party"


class Injury(models.TextChoices):
    """KABCO injury status of one person (MMUCC P11), shown with its code as the KABCO scale is read."""

    K = "K", "K — fatal injury"
    A = "A", "A — suspected serious injury"
    B = "B", "B — suspected minor injury"
    C = "C", "C — possible injury"
    O = "O", "O — no apparent injury"  # noqa: E741 - the KABCO letter


# MMUCC (5th edition) attribute names the feed carries for the crash and its units (contracts/FEED.md), with the
# wording a reviewer reads. An attribute the list does not know is shown in words from its name (`mmucc_label`).
MMUCC_LABELS: dict[str, dict[str, str]] = {
    "weather": {
        "clear": "Clear", "cloudy": "Cloudy", "fog": "Fog, smog, smoke", "fog_smog_smoke": "Fog, smog, smoke",
        "freezing_rain": "Freezing rain or freezing drizzle", "rain": "Rain", "severe_crosswinds": "Severe crosswinds",
        "sleet_hail": "Sleet or hail", "snow": "Snow", "blowing_snow": "Blowing snow",
        "blowing_sand": "Blowing sand, soil, dirt", "other": "Other", "unknown": "Unknown",
    },
    "light_condition": {
        "daylight": "Daylight", "dawn": "Dawn", "dusk": "Dusk", "dark_lighted": "Dark — lighted",
        "dark_not_lighted": "Dark — not lighted", "dark_unknown_lighting": "Dark — unknown lighting",
        "other": "Other", "unknown": "Unknown",
    },
    "road_surface": {
        "dry": "Dry", "wet": "Wet", "snow": "Snow", "ice_frost": "Ice or frost", "slush": "Slush",
        "mud_dirt_gravel": "Mud, dirt, gravel", "water": "Water (standing or moving)", "sand": "Sand",
        "oil": "Oil", "other": "Other", "unknown": "Unknown",
    },
    "manner_of_collision": {
        "not_collision_between_vehicles": "Not a collision between two motor vehicles in transport",
        "front_to_rear": "Front to rear", "front_to_front": "Front to front", "angle": "Angle",
        "sideswipe_same_direction": "Sideswipe, same direction",
        "sideswipe_opposite_direction": "Sideswipe, opposite direction", "rear_to_side": "Rear to side",
        "rear_to_rear": "Rear to rear", "other": "Other", "unknown": "Unknown",
    },
    "first_harmful_event": {
        "overturn_rollover": "Overturn or rollover", "fire_explosion": "Fire or explosion", "immersion": "Immersion",
        "jackknife": "Jackknife", "cargo_loss": "Cargo or equipment loss or shift", "pedestrian": "Pedestrian",
        "pedalcycle": "Pedalcycle", "railway_vehicle": "Railway vehicle", "animal": "Animal",
        "motor_vehicle_in_transport": "Motor vehicle in transport", "parked_motor_vehicle": "Parked motor vehicle",
        "work_zone_equipment": "Work zone or maintenance equipment", "guardrail_face": "Guardrail face",
        "guardrail_end": "Guardrail end", "concrete_barrier": "Concrete traffic barrier", "curb": "Curb",
        "ditch": "Ditch", "embankment": "Embankment", "tree": "Tree (standing)", "fence": "Fence",
        "utility_pole": "Utility pole or light support", "traffic_signal_support": "Traffic signal support",
        "traffic_sign_support": "Traffic sign support", "mailbox": "Mailbox",
        "other_fixed_object": "Other fixed object",
        "other_non_fixed_object": "Other non-fixed object", "other": "Other", "unknown": "Unknown",
    },
    "contributing_circumstances": {
        "no_contributing_action": "No contributing action", "ran_off_roadway": "Ran off roadway",
        "failed_to_yield": "Failed to yield right-of-way", "ran_red_light": "Ran red light",
        "ran_stop_sign": "Ran stop sign", "exceeded_speed_limit": "Exceeded posted speed limit",
        "too_fast_for_conditions": "Drove too fast for conditions", "improper_turn": "Improper turn",
        "wrong_way": "Wrong side or wrong way", "following_too_closely": "Followed too closely",
        "failed_to_keep_in_lane": "Failed to keep in proper lane",
        "reckless": "Operated in an erratic, reckless, careless or aggressive manner",
        "over_correcting": "Over-correcting or over-steering", "other": "Other contributing action",
        "unknown": "Unknown",
    },
    "distraction": {
        "not_distracted": "Not distracted", "manual_device": "Manually operating an electronic device",
        "hands_free": "Talking on a hands-free device", "hand_held": "Talking on a hand-held device",
        "other_device": "Other activity with an electronic device", "passenger": "Passenger",
        "inside_vehicle": "Other distraction inside the vehicle",
        "outside_vehicle": "Other distraction outside the vehicle", "unknown": "Unknown",
    },
}  # fmt: skip


def mmucc_label(element: str, code: str | None) -> str:
    """The reader's wording of an MMUCC attribute: from the list above, else the attribute name in words."""
    if not code:
        return "—"
    label = MMUCC_LABELS.get(element, {}).get(code)
    return label or code.replace("_", " ").strip().capitalize()
