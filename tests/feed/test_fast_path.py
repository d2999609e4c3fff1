"""The ticket checks' fast path (citations.validation._fast_ticket) gives exactly the answer of the full checks
(`Checker`, citations.validation.checked_ticket) for every record it reads, and leaves every other record to them.

Pure: no database. The mutants are those of the hostile-records property test: any path of a valid ticket, at
any depth, replaced by a wrong type, an edge value, removed, or given an unknown key."""

from __future__ import annotations

import copy
import random
from datetime import UTC, datetime, timedelta

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.demo import generate
from citations.validation import _fast_ticket, check_ticket, checked_ticket
from sector.feed.validation import Fallback
from tests.feed.factories import ticket
from tests.feed.test_hostile_records import mutate, paths, values

NOW = datetime.now(UTC)


def _same_answer(raw) -> bool:
    """True when the fast path read the record (and then gave the full checks' answer)."""
    try:
        raw = orjson.loads(orjson.dumps(raw))  # as the feed parses it
    except TypeError:  # an integer orjson does not read: such a body is a 400 before any check
        raw = copy.deepcopy(raw)
    slow = checked_ticket(copy.deepcopy(raw), now=NOW)
    try:
        fast = _fast_ticket(copy.deepcopy(raw), NOW)
    except Fallback:
        assert check_ticket(copy.deepcopy(raw), now=NOW) == slow
        return False
    assert fast == slow, (raw, fast, slow)
    assert not slow[1], "the fast path accepted a record with errors"
    return True


def test_the_fast_path_reads_the_demo_and_factory_tickets_as_the_full_checks_do():
    rng = random.Random(3)
    records = [r for r, _ in generate(rng, count=400, start=1, now=NOW - timedelta(hours=1), spread_days=2)]
    extras = [
        ticket(),
        ticket(vehicle={"vin": "1HGCM82633A004353", "year": 2018}),  # wrong check digit: a warning
        ticket(location={"county": "Clark", "latitude": 40.0, "longitude": -100.0}),  # outside Washington
        ticket(vehicle=None, appearance={"at": "2026-12-20T09:00:00-08:00", "location": "Room 2"}),
        ticket(void=True, void_reason="Spoiled", version=2),
        ticket(defendant={"last_name": "DOE", "description": {"height": "5-10", "eyes": "BRO"}}),
    ]
    read = [_same_answer(r) for r in records + extras]
    assert all(read), "the fast path fell back on a well-formed ticket"
    assert checked_ticket(extras[1], now=NOW)[2][0]["code"] == "vin_check_digit"
    assert checked_ticket(extras[2], now=NOW)[2][0]["code"] == "outside_washington"


@st.composite
def mutants(draw):
    rec = ticket(issued_at="2026-11-20T14:32:00-08:00")
    rec["vehicle"]["style"] = "4D"
    rec["defendant"]["description"] = {"height": "5-10", "weight": "180", "eyes": "BRO", "hair": "BLK"}
    rec["defendant"]["address"]["line2"] = "Apt 2"
    rec["violations"][0].update(traffic=True, zone="school", collision_report_number="E1")
    for _ in range(draw(st.integers(1, 2))):
        path = draw(st.sampled_from(paths(rec)))
        how = draw(st.integers(0, 3))
        if how == 0:
            rec = mutate(rec, path, draw(values), delete=True)
        elif how == 1:
            rec = mutate(rec, path, draw(values), add_key=draw(st.text(max_size=8)))
        else:
            rec = mutate(rec, path, draw(values))
        if not paths(rec):
            break
    return rec


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(mutants(), values))
def test_whatever_the_record_the_fast_path_agrees_with_the_full_checks_or_leaves_it_to_them(raw):
    _same_answer(raw)
