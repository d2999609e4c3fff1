from django.db import models


class EventKind(models.TextChoices):
    SANCTIONED = "sanctioned", "Sanctioned officer training (WASPC)"
    COURT_STAFF = "court_staff", "Court staff training (AOC)"
    TRAIN_THE_TRAINER = "ttt", "Agency train-the-trainer session"
    # Issue 16: officers of an agency moving to TraCS retrain on it (the TraCS migration's checklist counts these).
    TRACS = "tracs", "TraCS officer training (WASPC)"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Canceled"


# The role that runs (creates, registers for, marks attendance of, completes) each kind of event.
COORDINATOR_ROLE = {
    EventKind.SANCTIONED: "waspc_coordinator",
    EventKind.COURT_STAFF: "aoc_coordinator",
    EventKind.TRAIN_THE_TRAINER: "lasa",
    EventKind.TRACS: "waspc_coordinator",
}
