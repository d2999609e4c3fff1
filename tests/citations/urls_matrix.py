from tests.feed.factories import make_ticket
from tests.matrix import ALL_SIGNED_IN, Case, allow

_VIEWERS = ("admin", "aoc", "wsp", "clerk", "clerk2", "lasa", "lasa2", "officer")

EXPECTATIONS = {
    "citations:ticket_list": Case(expect=allow(*_VIEWERS)),
    # Agency A's ticket at court A: agency A and court A see it; agency B and court B get 404. Its officer (number
    # 1123) has no person record here, so it is another officer's ticket to the officer persona: 404 (they see only
    # their own, tests/citations/test_own_records_matrix.py). The reviewer's role does not view tickets: 403.
    "citations:ticket_detail": Case(
        kwargs=lambda w: {"pk": make_ticket(w).pk},
        expect={**allow("admin", "aoc", "wsp", "clerk", "lasa"), "reviewer": 403},
        default=404,
    ),
    "citations:number_blocks": Case(expect=allow("admin", "wsp", "waspc", "lasa", "lasa2")),
}
assert set(ALL_SIGNED_IN)
