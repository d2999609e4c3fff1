"""Constants of the support desk: statuses, the transitions between them, attachment rules."""

from django.db import models


class Status(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING = "waiting", "Waiting on requester"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)

# The moves WSP support may make (status -> allowed next statuses). A requester's reply is the one other
# door: it reopens a waiting or resolved request (to in progress). Closed is final: a new question is a new request.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.NEW: (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED),
    Status.IN_PROGRESS: (Status.WAITING, Status.RESOLVED),
    Status.WAITING: (Status.IN_PROGRESS, Status.RESOLVED),
    Status.RESOLVED: (Status.IN_PROGRESS, Status.CLOSED),
    Status.CLOSED: (),
}
REOPENED_BY_REQUESTER_REPLY = (Status.WAITING, Status.RESOLVED)

# Button labels for the moves (the verb a WSP agent reads).
TRANSITION_LABELS = {
    Status.IN_PROGRESS: "Start work",
    Status.WAITING: "Wait on requester",
    Status.RESOLVED: "Mark resolved",
    Status.CLOSED: "Close",
}

# Attachments: what a support conversation needs (screenshots, PDFs, text logs), checked by content.
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_PER_POST = 5
ATTACHMENT_TYPES = ("png", "jpeg", "gif", "pdf", "text")  # kinds of sector.core.uploads.KINDS
ATTACHMENT_TOO_LARGE = (
    f"Support attachments may be up to {ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB each: send a smaller screenshot, "
    "or only the relevant part of the log."
)
