from datetime import timedelta

from django.utils import timezone

from tests.matrix import STATEWIDE, Case, allow
from tests.program.helpers import open_migration

MIGRATION_A = "/program/tracs/WA0340100/"


def _with_migration(w):
    open_migration(w)
    return {}


def _a(w):
    open_migration(w)
    return {"ori": w.agency_a.ori}


_ORG_A = {"lasa": 403, "reviewer": 403, "officer": 403, "lasa2": 404, "clerk": 404, "clerk2": 404, "outsider": 404}

EXPECTATIONS = {
    # Statewide roles see the board; the LASA is sent to the own agency's migration (or told none is open).
    "program:board": Case(kwargs=_with_migration, expect={**allow("admin", *STATEWIDE, "lasa2"), "lasa": MIGRATION_A}),
    "program:board_export": Case(kwargs=_with_migration, expect=allow("admin", *STATEWIDE)),
    "program:migration_open": Case(
        method="post",
        data=lambda w: {
            "agency": w.agency_b.ori,
            "cutover_on": (timezone.localdate() + timedelta(days=40)).isoformat(),
        },
        expect={"admin": "/program/tracs/WA0320400/", "waspc": "/program/tracs/WA0320400/"},
    ),
    "program:migration": Case(kwargs=_a, expect={**_ORG_A, **allow("admin", *STATEWIDE, "lasa")}, default=404),
    "program:migration_reschedule": Case(
        method="post",
        kwargs=_a,
        data=lambda w: {"cutover_on": (timezone.localdate() + timedelta(days=70)).isoformat()},
        expect={**_ORG_A, "admin": MIGRATION_A, "waspc": MIGRATION_A, "wsp": 403, "aoc": 403},
        default=404,
    ),
    # In scope and allowed: refused with the blockers, back to the page.
    "program:migration_complete": Case(
        method="post",
        kwargs=_a,
        data={},
        expect={**_ORG_A, "admin": MIGRATION_A, "waspc": MIGRATION_A, "wsp": 403, "aoc": 403},
        default=404,
    ),
    "program:bulk_onboarding": Case(expect=allow("admin", "waspc")),
    "program:bulk_onboarding_preview": Case(
        method="post",
        data={},
        expect={"admin": "/program/onboarding-import/", "waspc": "/program/onboarding-import/"},
    ),
    "program:bulk_onboarding_confirm": Case(
        method="post",
        data={"token": "x"},
        expect={"admin": "/program/onboarding-import/", "waspc": "/program/onboarding-import/"},
    ),
    "program:reminders": Case(expect=allow("admin", "waspc")),
    "program:reminders_send": Case(
        method="post", data={}, expect={"admin": "/program/reminders/", "waspc": "/program/reminders/"}
    ),
}
