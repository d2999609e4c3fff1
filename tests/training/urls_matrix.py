from tests.matrix import AGENCY_A, ALL_SIGNED_IN, STATEWIDE, Case, Prefix, allow, officer_answers_for_two_org


def _event(w):
    from tests.training.helpers import event

    return {"pk": event(w, days=3).pk}


def _event_with_registration(w):
    from sector.training import services
    from tests.training.helpers import event, officer

    ev = event(w, days=-1)
    reg = services.registration_add(event=ev, person=officer(w), actor=w.users["lasa"])
    return {"pk": ev.pk, "registration_id": reg.pk}


def _record(w):
    from sector.training import services
    from tests.training.helpers import event, officer

    ev = event(w, days=-1)
    reg = services.registration_add(event=ev, person=officer(w), actor=w.users["lasa"])
    services.attendance_mark(event=ev, actor=w.users["waspc"], attended_ids={reg.pk})
    return {"pk": services.event_complete(event=ev, actor=w.users["waspc"])[0].pk}


def _officer_person(w):
    from tests.training.helpers import officer

    return {"pk": officer(w).pk}


_EVENT_PAGE = Prefix("/training/events/")
_RUNNERS = ("admin", "waspc", "aoc", "lasa", "lasa2")
_OTHERS = ("wsp", "clerk", "clerk2", "reviewer", "officer")

EXPECTATIONS = {
    "training:events": Case(expect=allow(*ALL_SIGNED_IN[:-1])),  # every role but the outsider (no role)
    "training:event_create": Case(
        method="post",
        data={
            "kind": "sanctioned",
            "title": "Sanctioned training",
            "starts_at": "2027-01-12 09:00",
            "place": "Lacey",
            "capacity": "20",
            "trainer": "Joan Smith",
        },  # fmt: skip
        # WASPC creates it; AOC and the LASAs may create events, but not this kind: told why on the list page.
        expect={
            "admin": _EVENT_PAGE,  # a superuser passes the policy
            "waspc": _EVENT_PAGE,
            "aoc": "/training/",
            "lasa": "/training/",
            "lasa2": "/training/",
            **{p: 403 for p in _OTHERS},
        },  # fmt: skip
    ),
    "training:event": Case(kwargs=_event, expect=allow(*ALL_SIGNED_IN[:-1]), default=403),
    "training:register": Case(
        method="post",
        kwargs=_event,
        data={"person": "0"},
        expect={**{p: _EVENT_PAGE for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
    ),
    "training:unregister": Case(
        method="post",
        kwargs=_event_with_registration,
        expect={**{p: _EVENT_PAGE for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
    ),
    "training:attendance": Case(
        method="post",
        kwargs=_event,
        expect={**{p: _EVENT_PAGE for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
    ),
    "training:complete": Case(
        method="post",
        kwargs=_event,
        expect={**{p: _EVENT_PAGE for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
    ),
    # A record of an agency-A officer: agency A and the statewide roles; others do not see that person.
    "training:certificate": Case(
        kwargs=_record,
        expect={**allow("admin", *STATEWIDE, *AGENCY_A), "lasa2": 404, "clerk": 404, "clerk2": 404},
        default=404,
    ),
    "training:person": Case(
        kwargs=_officer_person,
        expect={
            **allow("admin", *STATEWIDE, "lasa", "reviewer"),
            "officer": 403,
            "lasa2": 404,
            "clerk": 404,
            "clerk2": 404,
        },  # fmt: skip
        default=404,
    ),
}

EXPECTATIONS.update(
    {
        "training:roster_export": Case(kwargs=_event, expect=allow(*ALL_SIGNED_IN[:-1])),
        "training:roster_import": Case(
            method="post",
            kwargs=_event,
            data={},  # no file: told to choose one
            expect={**{p: _EVENT_PAGE for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
        ),
        "training:roster_import_confirm": Case(
            method="post",
            kwargs=_event,
            data={"token": "never-issued"},
            expect={**{p: _EVENT_PAGE for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
        ),
        "training:coverage": Case(expect=allow("admin", *STATEWIDE)),
    }
)


def _agency_a_in_onboarding(w):
    from tests.onboarding.helpers import start

    start(w)
    return {"ori": w.agency_a.ori}


_COVERAGE = "/training/coverage/WA0340100/"

EXPECTATIONS.update(
    {
        # Coverage is statewide: WASPC, WSP and AOC read it; only WASPC sets a target (others are told why).
        "training:coverage_agency": Case(kwargs=_agency_a_in_onboarding, expect=allow("admin", *STATEWIDE)),
        "training:officer_target": Case(
            method="post",
            kwargs=_agency_a_in_onboarding,
            data={"target": "2"},
            expect={p: _COVERAGE for p in ("admin", *STATEWIDE)},
        ),
        # Adding a new person: the form without its fields comes back with what to correct.
        "training:register_new": Case(
            method="post",
            kwargs=_event,
            data={},
            expect={**{p: 400 for p in _RUNNERS}, **{p: 403 for p in _OTHERS}},
        ),
    }
)


# The two-organization user (LASA of B, officer of A) meets agency A's records as an officer.
# On program events (no host agency) the two-organization user is a LASA (of B), so runs them as lasa2 does.
_AS_LASA2 = ("event_create", "register", "register_new", "unregister", "attendance", "complete", "roster_import",
             "roster_import_confirm")  # fmt: skip
officer_answers_for_two_org(
    EXPECTATIONS, **{f"training:{n}": EXPECTATIONS[f"training:{n}"].answer_for("lasa2") for n in _AS_LASA2}
)
