from itertools import count

from tests.feed.factories import make_ticket
from tests.matrix import Case, Prefix, allow

_numbers = count(900000)


def _ticket_a(w):
    return {"pk": make_ticket(w).pk}


# Clerk screens: scope first (a ticket outside your courts or agency is 404), then the clerk permission (403).
# The officer persona's ticket is another officer's (tests/citations/test_own_records_matrix.py): 404 as well.
_DETAIL = {**allow("admin", "clerk"), "clerk2": 404, "waspc": 404, "outsider": 404, "lasa2": 404, "officer": 404}


def _closure_a(w):
    from courts.models import CourtClosure

    return {"pk": CourtClosure.objects.create(court=w.court_a, date="2026-12-24", reason="Early close").pk}


def _filed_ticket_a(w):
    from courts.services import ticket_accept

    return {"pk": ticket_accept(ticket=make_ticket(w), actor=w.users["clerk"]).pk}


EXPECTATIONS = {
    "courts:calendar": Case(expect=allow("admin", "aoc", "clerk", "clerk2")),
    # A closure of court A: its clerk and AOC may remove it; court B's clerk gets 404.
    "courts:closure_delete": Case(
        kwargs=_closure_a,
        method="post",
        data={},
        expect={
            **{p: "/courts/calendar/" for p in ("admin", "aoc", "clerk")},
            # Statewide roles whose roles do not see closures: a court's closure is not their business (404).
        },
        default=404,
    ),
    # The counter: the court's clerks (and administrators); statewide roles have no counter.
    "courts:counter": Case(expect=allow("admin", "clerk", "clerk2")),
    "courts:intake": Case(expect=allow("admin", "clerk", "clerk2")),
    "courts:intake_export": Case(kwargs={"fmt": "csv"}, expect=allow("admin", "clerk", "clerk2")),
    "courts:bulk_accept": Case(
        method="post", data={}, expect={p: "/courts/intake/" for p in ("admin", "clerk", "clerk2")}
    ),
    "courts:intake_compact": Case(
        method="post", data={"compact": "1"}, expect={p: "/courts/intake/" for p in ("admin", "clerk", "clerk2")}
    ),
    # Correcting a filed ticket's case number: its court's clerk (and administrators); scope as for the detail.
    "courts:case_number_correct": Case(
        kwargs=_filed_ticket_a,
        method="post",
        data=lambda w: {"case_number": f"D34-26-{next(_numbers)}", "reason": "Typed wrong."},
        expect={**_DETAIL, "admin": Prefix("/courts/intake/tickets/"), "clerk": Prefix("/courts/intake/tickets/")},
    ),
    "courts:ticket_detail": Case(kwargs=_ticket_a, expect=_DETAIL),
    "courts:ticket_pdf": Case(kwargs=_ticket_a, expect=_DETAIL),
    "courts:ticket_action": Case(
        kwargs=lambda w: {"pk": make_ticket(w).pk, "action": "refer"},
        method="post",
        data={"question": "Dismiss?"},
        expect={**{p: 404 for p in ("clerk2", "waspc", "outsider", "lasa2", "officer")}, "admin": 302, "clerk": 302},
    ),
}
