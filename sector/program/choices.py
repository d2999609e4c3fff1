"""Constants of the program office: the TraCS migration and bulk onboarding."""

from django.db import models


class MigrationStatus(models.TextChoices):
    OPEN = "open", "In progress"
    COMPLETED = "completed", "Completed"


class BoardState(models.TextChoices):
    """Where an agency stands on the statewide migration board (derived, never stored)."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    READY = "ready", "Ready to complete"
    COMPLETED = "completed", "Completed"
    ON_TRACS = "on_tracs", "Already on TraCS"


BOARD_ORDER = [s.value for s in BoardState]

# The sender whose records an agency's cut-over refuses, and the one that replaces it (a default WASPC may change
# when it opens a migration; the feed credential's system name).
OLD_SENDER = "WSP-BACKOFFICE"
NEW_SENDER = "TRACS"

# Bulk onboarding spreadsheet (CSV or XLSX).
BULK_MAX_BYTES = 1024 * 1024
BULK_MAX_ROWS = 300
BULK_COLUMNS = ("agency_ori", "contact_first_name", "contact_last_name", "contact_email", "court_codes")
BULK_OPTIONAL = ("agency_name", "overview_on")
