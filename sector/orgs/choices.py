from django.db import models


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police department"
    SHERIFF = "sheriff", "Sheriff's office"
    TRIBAL = "tribal", "Tribal police"
    STATE = "state", "State agency"
    OTHER = "other", "Other"


class RecordsSystem(models.TextChoices):
    SECTOR = "SECTOR", "SECTOR"
    TRACS = "TraCS", "TraCS"


class CourtKind(models.TextChoices):
    DISTRICT = "district", "District court"
    MUNICIPAL = "municipal", "Municipal court"
    SUPERIOR = "superior", "Superior court"


class PersonKind(models.TextChoices):
    OFFICER = "officer", "Officer"
    COURT_STAFF = "court_staff", "Court staff"
    AGENCY_STAFF = "agency_staff", "Agency staff"


# Washington's 39 counties.
WA_COUNTIES = (
    "Adams", "Asotin", "Benton", "Chelan", "Clallam", "Clark", "Columbia", "Cowlitz", "Douglas", "Ferry",
    "Franklin", "Garfield", "Grant", "Grays Harbor", "Island", "Jefferson", "King", "Kitsap", "Kittitas",
    "Klickitat", "Lewis", "Lincoln", "Mason", "Okanogan", "Pacific", "Pend Oreille", "Pierce", "San Juan",
    "Skagit", "Skamania", "Snohomish", "Spokane", "Stevens", "Thurston", "Wahkiakum", "Walla Walla",
    "Whatcom", "Whitman", "Yakima",
)  # fmt: skip
COUNTY_CHOICES = [(c, c) for c in WA_COUNTIES]

# An ORI is nine characters: the two-letter state code and seven letters or digits (e.g. WA0340100).
ORI_PATTERN = r"^[A-Z]{2}[A-Z0-9]{7}$"
# AOC court codes: letters and digits, 2–8 characters (e.g. D34, M17SEA).
COURT_CODE_PATTERN = r"^[A-Z0-9]{2,8}$"
