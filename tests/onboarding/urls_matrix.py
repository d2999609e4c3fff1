from tests.matrix import AGENCY_A, STATEWIDE, Case, allow
from tests.onboarding.helpers import start


def _agency_a(w):
    start(w)
    return {"ori": w.agency_a.ori}


def _checklist(w):
    return f"/onboarding/agencies/{w.agency_a.ori}/"


EXPECTATIONS = {
    # Statewide roles see the pipeline; agency users are sent to their own checklist; others have no onboarding.
    "onboarding:home": Case(
        expect={
            **allow("admin", *STATEWIDE),
            "lasa": "/onboarding/agencies/WA0340100/",
            "reviewer": "/onboarding/agencies/WA0340100/",
            "officer": "/onboarding/agencies/WA0340100/",
            "lasa2": "/onboarding/agencies/WA0320400/",
        },
    ),
    "onboarding:agency": Case(
        kwargs=_agency_a,
        expect={**allow("admin", *STATEWIDE, *AGENCY_A), "lasa2": 404, "clerk": 404, "clerk2": 404},
        default=404,
    ),
    "onboarding:start": Case(
        method="post",
        data=lambda w: {"agency": w.agency_b.ori},
        expect={"admin": "/onboarding/agencies/WA0320400/", "waspc": "/onboarding/agencies/WA0320400/"},
    ),
    # Completing a step: out of scope 404; in scope, the service decides (the wrong role is told why).
    "onboarding:step_complete": Case(
        method="post",
        kwargs=lambda w: {**_agency_a(w), "number": 1},
        data={"note": "Overview given"},
        expect={
            **{p: "/onboarding/agencies/WA0340100/#step-1" for p in ("admin", *STATEWIDE, *AGENCY_A)},
            "lasa2": 404,
            "clerk": 404,
            "clerk2": 404,
        },
        default=404,
    ),
    "onboarding:step_evidence": Case(
        kwargs=lambda w: {**_agency_a(w), "number": 1},
        expect={"lasa2": 404, "clerk": 404, "clerk2": 404},
        default=404,  # no evidence attached: 404 for everyone in scope too
    ),
    "onboarding:go_live": Case(
        method="post",
        kwargs=_agency_a,
        expect={
            "admin": "/onboarding/agencies/WA0340100/",
            "wsp": "/onboarding/agencies/WA0340100/",
            "waspc": 403,
            "aoc": 403,
            **allow(*AGENCY_A, code=403),
            "lasa2": 404,
            "clerk": 404,
            "clerk2": 404,
        },
        default=404,
    ),
}
