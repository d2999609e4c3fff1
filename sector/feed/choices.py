from django.db import models

# Contract limits (contracts/FEED.md, Transport).
MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_RECORDS = 1000
BATCH_ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
TOKEN_PREFIX = "sfd_"


class ResultStatus(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    REJECTED = "rejected", "Rejected"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Re-processed"
    DISMISSED = "dismissed", "Dismissed"


class ErrorCode(models.TextChoices):
    INVALID = "invalid", "Invalid"
    REQUIRED = "required", "Required"
    TOO_LONG = "too_long", "Too long"
    UNKNOWN_AGENCY = "unknown_agency", "Unknown agency"
    UNKNOWN_COURT = "unknown_court", "Unknown court"
    UNKNOWN_TYPE = "unknown_type", "Unknown type"
    VERSION_CONFLICT = "version_conflict", "Version conflict"
    STALE_VERSION = "stale_version", "Stale version"
    BAD_DIAGRAM = "bad_diagram", "Bad diagram"
    FUTURE_TIME = "future_time", "Future time"
    RECORD_TYPE_NOT_ALLOWED = "record_type_not_allowed", "Record type not allowed for this sender"
    AGENCY_NOT_ALLOWED = "agency_not_allowed", "Agency not allowed for this sender"
    OWNED_BY_OTHER_SYSTEM = "owned_by_other_system", "Sent first by another system"
    SENDER_RETIRED = "sender_retired", "Sender retired for this agency after its cut-over"


# The custody chain (issue 16): a destination is expected to acknowledge a delivery within this many hours of its
# creation (the approval); past it the hop is listed as overdue on the feed screens.
DELIVERY_ACK_EXPECTED_HOURS = 1
