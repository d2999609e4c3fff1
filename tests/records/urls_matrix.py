"""Issue 16 items 4 and 5: the outage burn-down and the records retention screens (WSP support and AOC)."""

from tests.matrix import Case, allow

OFFICERS = ("admin", "wsp", "aoc")


def _hold(w):
    from sector.core.retention import hold_place

    hold = hold_place(
        actor=w.users["wsp"], record_class_key="citations.ticket", object_id="1", label="Ticket X 1",
        kind="legal", reference="Case 26-2-00001-34",
    )  # fmt: skip
    return {"pk": hold.pk}


EXPECTATIONS = {
    "feed:burndown": Case(expect=allow(*OFFICERS)),
    "feed:burndown_live": Case(expect=allow(*OFFICERS)),
    "retention:period_list": Case(expect=allow(*OFFICERS)),
    "retention:period_edit": Case(kwargs={"key": "citations.ticket"}, expect=allow(*OFFICERS)),
    "retention:hold_list": Case(expect=allow(*OFFICERS)),
    # Without `confirmed=1` the release answers with its confirmation page.
    "retention:hold_release": Case(kwargs=_hold, method="post", data={"note": "Case closed"}, expect=allow(*OFFICERS)),
    "retention:disposition": Case(kwargs={"key": "citations.ticket"}, expect=allow(*OFFICERS)),
}
