"""Property test (issue 13): a record that breaks the contract in any way, at any depth, is rejected on its own with
a contract error code, the good records beside it are stored, and a batch is never answered 5xx because of what
it contains.

The strategies are built from the contract (contracts/FEED.md, and the checks in sector/feed/validation.py,
citations/validation.py and collisions/contract.py): start from a valid ticket or collision report, pick any
path in it (every object key and list item, at every depth) and replace the value there with a wrong type, an
edge of the calendar, a value the database cannot store (too long, out of integer range, NUL), or remove it."""

from __future__ import annotations

import copy
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.models import Ticket, TicketVersion
from collisions.models import CollisionVersion
from sector.feed.choices import ErrorCode
from tests.collisions.factories import collision, diagram
from tests.feed.factories import FeedClient, ticket

_numbers = itertools.count(1)
CODES = set(ErrorCode.values)

# Values at the edges of what the contract's types allow and of what PostgreSQL stores.
EDGE_DATES = [
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "2026-02-29",
    "2024-02-29",
    "1900-01-01",
    "2026-13-01",
    "2026-00-10",
    "99999-01-01",
    "2026-1-1",
    "4713-01-01",
    "5874897-12-31",
]
EDGE_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59.999999Z",
    "1969-12-31T23:59:59Z",
    "1970-01-01T00:00:00Z",
    "2026-02-29T00:00:00Z",
    "2026-11-20T24:00:00Z",
    "2026-11-20T23:59:60Z",
    "2026-11-20T10:00:00+24:00",
    "2026-11-20T10:00:00+99:99",
    "2026-11-20T10:00:00-00:00",
    "1900-01-01T00:00:00+00:00",
    "2026-11-20T10:00Z",
]
EDGE_INTS = [
    0,
    -1,
    1,
    2**15,
    2**15 - 1,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**53 + 1,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**30,
]
EDGE_FLOATS = [0.0, -0.0, 1e308, -1e308, 5e-324, 1e-7, 123456789.123456789, 47.5, -122.5, 1e16]
EDGE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 201,
    "x" * 501,
    "x" * 20_001,
    "X" * 10_000,
    "\u202e\u0000",
    "é" * 200,
    "😀" * 120,
    "𝔘" * 201,
    "\ufeff",
    "\r\n",
    "=cmd|' /C calc'!A0",
    "<script>",
    "'; DROP TABLE x;--",
    "%s%s%s",
    "{}",
    "null",
    "9" * 40,
    "-1",
    "1.0",
    "00",
    "WA0340100",
    "D34",
    "E2026-00001",
]
EDGE_MONEY = ["0.00", "999999999.99", "1000000000.00", "-1.00", "1e3", "1.5", "NaN", "Infinity", "0.001"]
scalars = st.one_of(
    st.none(), st.booleans(), st.sampled_from(EDGE_INTS), st.integers(), st.sampled_from(EDGE_FLOATS),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(EDGE_TEXT), st.text(max_size=40),
    st.sampled_from(EDGE_DATES), st.sampled_from(EDGE_TIMES), st.sampled_from(EDGE_MONEY),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=10,
)


def paths(value, prefix=()):
    """Every path into a record: each object key and each list item, at every depth."""
    out = []
    if isinstance(value, dict):
        for key, child in value.items():
            out.append((*prefix, key))
            out.extend(paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out.append((*prefix, i))
            out.extend(paths(child, (*prefix, i)))
    return out


def mutate(rec, path, value, *, delete=False, add_key=None):
    target = rec
    for key in path[:-1]:
        target = target[key]
    last = path[-1]
    if add_key is not None and isinstance(target[last], dict):
        target[last][add_key] = value
    elif delete:
        target.pop(last)
    else:
        target[last] = value
    return rec


def base_record(kind: str) -> dict:
    if kind == "ticket":
        return ticket(ticket_number=f"H{next(_numbers):08d}")
    rec = collision(report_number=f"H{next(_numbers):08d}")
    rec["diagram"] = diagram()
    return rec


@st.composite
def hostile_records(draw):
    rec = base_record(draw(st.sampled_from(["ticket", "collision"])))
    for _ in range(draw(st.integers(1, 3))):
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


def stored(rec) -> bool:
    if rec.get("type") == "ticket":
        return TicketVersion.objects.filter(
            ticket__agency__ori=rec["agency_ori"], ticket__ticket_number=rec["ticket_number"], version=rec["version"]
        ).exists()
    return CollisionVersion.objects.filter(
        report__agency__ori=rec["agency_ori"], report__report_number=rec["report_number"], version=rec["version"]
    ).exists()


_clients: dict[int, FeedClient] = {}


def _client(world) -> FeedClient:
    if world.agency_a.pk not in _clients:
        _clients.clear()
        _clients[world.agency_a.pk] = FeedClient(system="HOSTILE")
    return _clients[world.agency_a.pk]


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(mutants=st.lists(hostile_records(), min_size=1, max_size=3), good_kind=st.sampled_from(["ticket", "collision"]))
def test_a_hostile_record_is_rejected_alone_and_the_good_one_beside_it_is_stored(world, mutants, good_kind):
    good = base_record(good_kind)
    records = [*mutants, good]
    sent = copy.deepcopy(records)
    r = _client(world).post({"batch_id": f"HOSTILE-{next(_numbers)}", "records": records})
    assert r.status_code == 200, (r.status_code, r.content[:500], sent)
    results = r.json()["results"]
    assert [x["index"] for x in results] == list(range(len(sent)))
    for rec, result in zip(sent, results, strict=True):
        if result["status"] == "rejected":
            assert result["errors"], result
            assert all(e["code"] in CODES and e["field"] is not None and e["message"] for e in result["errors"])
        else:
            assert result["status"] in ("created", "updated", "unchanged"), result
            assert stored(rec), (result, rec)
    assert results[-1]["status"] == "created", (results[-1], sent[:-1])
    assert stored(sent[-1])


SWEEP_VALUES = [
    *EDGE_DATES, *EDGE_TIMES, *EDGE_INTS, *EDGE_FLOATS, *EDGE_TEXT, *EDGE_MONEY, None, True, [], {}, [1], {"a": 1},
]  # fmt: skip


def test_every_edge_value_at_every_field_of_both_record_types(world, caplog):
    """Deterministic sweep beside the random one: each edge value at each path of a ticket and of a report, one
    record per (path, value), sent in batches of 1,000 with good records interleaved."""
    import logging

    client = FeedClient(system="SWEEP")
    mutants = []
    for kind in ("ticket", "collision"):
        template = base_record(kind)
        for path in paths(template):
            for value in SWEEP_VALUES:
                rec = mutate(base_record(kind), path, copy.deepcopy(value))
                mutants.append(rec)
    assert len(mutants) > 5_000
    caplog.set_level(logging.ERROR, logger="sector.feed.services")
    for start in range(0, len(mutants), 900):
        chunk = mutants[start : start + 900]
        goods = [base_record(("ticket", "collision")[i % 2]) for i in range(len(chunk) // 9)]
        records = [r for i, r in enumerate(chunk) for r in ([r, goods[i // 9]] if i % 9 == 8 else [r])]
        sent = copy.deepcopy(records)
        r = client.post({"batch_id": f"SWEEP-{next(_numbers)}", "records": records})
        assert r.status_code == 200, r.content[:300]
        for rec, result in zip(sent, r.json()["results"], strict=True):
            if result["status"] == "rejected":
                assert all(e["code"] in CODES for e in result["errors"]), result
            else:
                assert stored(rec), (result, rec)
        for good in goods:
            assert stored(good)
    # The contract's checks caught everything: the per-record safety net (sector/feed/services._handle) was
    # not needed for any of these values.
    assert not [r for r in caplog.records if "could not be stored" in r.getMessage()], caplog.text[:3000]


@pytest.fixture
def poisoned_tickets():
    """The ticket handler, made to fail the way the database fails on a value it cannot store, for records
    whose agency_case_number is "POISON" (or to fail transiently when it is "FLAKY" and the switch is on)."""
    from django.db import DataError, OperationalError

    from sector.feed.registry import record_handlers

    original = record_handlers["ticket"]
    state = {"flaky": True, "calls": 0}

    def handler(records, context):
        state["calls"] += 1
        result = original(records, context)  # stores first, so a rollback must undo it
        for rec in records:
            case = rec.raw.get("agency_case_number") if isinstance(rec.raw, dict) else None
            if case == "POISON":
                raise DataError("value out of range for type smallint")
            if case == "FLAKY" and state["flaky"]:
                raise OperationalError("server closed the connection unexpectedly")
        return result

    record_handlers.register(handler, key="ticket")
    yield state
    record_handlers.register(original, key="ticket")


@pytest.mark.django_db
def test_a_record_the_database_refuses_is_rejected_alone_and_its_neighbours_are_stored(world, poisoned_tickets):
    feed = FeedClient(system="POISON")
    good_before, poison, good_after = ticket(), ticket(agency_case_number="POISON"), ticket()
    r = feed.post({"batch_id": "POISON-1", "records": [good_before, poison, good_after]})
    assert r.status_code == 200
    statuses = [x["status"] for x in r.json()["results"]]
    assert statuses == ["created", "rejected", "created"]
    [error] = r.json()["results"][1]["errors"]
    assert error["code"] == "invalid" and "could not be stored as sent" in error["message"]
    assert stored(good_before) and stored(good_after) and not stored(poison)
    assert not Ticket.objects.filter(ticket_number=poison["ticket_number"]).exists()  # nothing of it half stored
    from sector.feed.models import FeedException

    assert FeedException.objects.get(number=poison["ticket_number"]).codes == "invalid"


@pytest.mark.django_db
def test_a_transient_fault_is_a_503_with_nothing_stored_and_the_same_batch_then_succeeds(world, poisoned_tickets):
    feed = FeedClient(system="FLAKY")
    body = {"batch_id": "FLAKY-1", "records": [ticket(), ticket(agency_case_number="FLAKY")]}
    r = feed.post(body)
    assert r.status_code == 503
    assert not any(stored(rec) for rec in body["records"])
    poisoned_tickets["flaky"] = False
    r = feed.post(body)
    assert r.status_code == 200 and [x["status"] for x in r.json()["results"]] == ["created", "created"]


@pytest.mark.django_db
def test_an_80_megapixel_diagram_is_a_bad_diagram_and_the_report_beside_it_is_stored(world):
    import base64

    from tests.core.test_hostile_uploads import megapixel_png

    bomb = collision(report_number=f"H{next(_numbers):08d}")
    bomb["diagram"] = {"media_type": "image/png", "data_base64": base64.b64encode(megapixel_png()).decode()}
    good = base_record("collision")
    r = FeedClient(system="PIXELS").post({"batch_id": "PIXELS-1", "records": [bomb, good]})
    assert r.status_code == 200
    first, second = r.json()["results"]
    assert first["status"] == "rejected" and [e["code"] for e in first["errors"]] == ["bad_diagram"]
    assert second["status"] == "created" and stored(good)
