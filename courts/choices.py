from datetime import time

from django.db import models

DEFAULT_OPENS = time(8, 0)
DEFAULT_CLOSES = time(16, 30)
DEFAULT_CASE_PATTERN = "{court}-{yy}-{seq:06d}"


class DeadlineUnit(models.TextChoices):
    BUSINESS_DAYS = "business_days", "Days, weekends and court holidays excluded"
    BUSINESS_HOURS = "business_hours", "Hours, weekends and court holidays excluded"


# Reference data loaded by migration (IRLJ 2.2, RCW 7.80.050); the criminal figure is configurable.
DEFAULT_DEADLINES = {
    "infraction": (
        5,
        DeadlineUnit.BUSINESS_DAYS,
        "IRLJ 2.2(d): filed within 5 days of issuance, weekends and holidays excluded.",
    ),
    "civil_infraction": (
        48,
        DeadlineUnit.BUSINESS_HOURS,
        "RCW 7.80.050: filed within 48 hours, weekends and holidays excluded.",
    ),
    "criminal": (5, DeadlineUnit.BUSINESS_DAYS, "As configured by the courts (CrRLJ); adjust here."),
}

# Canadian provinces and territories (DAJ on a Canadian card): their barcodes write dates CCYYMMDD.
CANADIAN_JURISDICTIONS = frozenset({"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"})
# How many of a person's tickets the counter lookup lists (newest first).
COUNTER_MATCHES = 50
