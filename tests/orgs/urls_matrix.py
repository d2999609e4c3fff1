from tests.matrix import AGENCY_A, ALL_SIGNED_IN, STATEWIDE, Case, allow, officer_answers_for_two_org

EXPECTATIONS = {
    # Lists: the role needs the view permission (403 otherwise); the rows are then limited to the scope.
    "orgs:agency_list": Case(expect=allow("admin", *STATEWIDE, *AGENCY_A, "lasa2")),
    "orgs:court_list": Case(expect=allow("admin", *STATEWIDE, "clerk", "clerk2")),
    # A record: out of scope is 404 whatever the role; in scope without the permission is 403.
    "orgs:agency_detail": Case(
        kwargs=lambda w: {"ori": w.agency_a.ori},
        expect={**allow("admin", *STATEWIDE, *AGENCY_A), "lasa2": 404, "clerk": 404, "clerk2": 404},
        default=404,
    ),
    "orgs:court_detail": Case(
        kwargs=lambda w: {"code": w.court_a.code},
        expect={**allow("admin", *STATEWIDE, "clerk"), "clerk2": 404},
        default=404,
    ),
    "orgs:contacts": Case(expect=allow(*ALL_SIGNED_IN)),
}


# The two-organization user (LASA of B, officer of A) meets agency A's records as an officer.
officer_answers_for_two_org(EXPECTATIONS)
