"""Property test: whatever is posted, never a 500, and every accepted record reads back exactly, raw and typed."""

import copy
import itertools
import json
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.models import Ticket, TicketVersion, Violation
from tests.feed.factories import FeedClient, ticket

_numbers = itertools.count(1)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "\u202e", "DROP TABLE", "ticket", "9" * 300]
    ),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
PATHS = [
    ("ticket_number",), ("version",), ("kind",), ("agency_ori",), ("court_code",), ("issued_at",), ("service",),
    ("in_custody",), ("appearance",), ("officer",), ("officer", "name"), ("certification",), ("certification", "place"),
    ("location",), ("location", "milepost"), ("location", "latitude"), ("defendant",), ("defendant", "last_name"),
    ("defendant", "date_of_birth"), ("defendant", "licence"), ("defendant", "sex"), ("vehicle",), ("vehicle", "vin"),
    ("vehicle", "year"), ("violations",), ("violations", 0), ("violations", 0, "penalty"), ("violations", 0, "law"),
    ("void",), ("void_reason",), ("agency_case_number",), ("type",), ("extra_field",),
]  # fmt: skip
safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=60
).filter(lambda s: s.strip())


def _set(rec, path, value, delete=False):
    target = rec
    for key in path[:-1]:
        in_dict = isinstance(target, dict) and key in target and isinstance(target[key], (dict, list))
        in_list = isinstance(target, list) and isinstance(key, int) and key < len(target)
        if not (in_dict or in_list):
            return rec
        target = target[key]
    last = path[-1]
    if isinstance(target, dict):
        if delete:
            target.pop(last, None)
        else:
            target[last] = value
    elif isinstance(target, list) and isinstance(last, int) and last < len(target):
        target[last] = value
    return rec


@st.composite
def records(draw):
    rec = ticket(ticket_number=f"P{next(_numbers):08d}")
    choice = draw(st.integers(0, 3))
    if choice == 0:  # a valid record with hostile but legal text
        rec["defendant"]["last_name"] = draw(safe_text.filter(lambda s: len(s) <= 100))
        rec["agency_case_number"] = draw(safe_text)
        rec["violations"][0]["description"] = draw(safe_text)
    elif choice == 1:  # one field replaced by anything
        rec = _set(rec, draw(st.sampled_from(PATHS)), draw(json_values))
    elif choice == 2:  # one field removed
        rec = _set(rec, draw(st.sampled_from(PATHS)), None, delete=True)
    else:  # not a ticket at all
        rec = draw(json_values)
    return rec


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    batch_records=st.lists(records(), min_size=1, max_size=3), junk_body=st.one_of(st.none(), st.binary(max_size=40))
)
def test_never_a_500_and_accepted_records_read_back_exactly(world, batch_records, junk_body):
    feed = _client(world)
    if junk_body is not None:
        r = feed.post(None, raw=junk_body)
        # The test client drops the content type of an empty body, hence 415 for b"".
        assert r.status_code in ((400, 415) if junk_body == b"" else (400,)), r.status_code
        return
    sent = copy.deepcopy(batch_records)
    r = feed.post(
        {"batch_id": f"PROP-{next(_numbers)}", "sent_at": "2026-11-20T08:00:00-08:00", "records": batch_records}
    )
    assert r.status_code == 200, r.content[:300]
    results = r.json()["results"]
    assert [x["index"] for x in results] == list(range(len(sent)))
    for rec, result in zip(sent, results, strict=True):
        assert result["status"] in ("created", "updated", "unchanged", "rejected")
        if result["status"] == "rejected":
            assert result["errors"] and all({"field", "code", "message"} <= set(e) for e in result["errors"])
            continue
        t = Ticket.objects.get(agency__ori=rec["agency_ori"], ticket_number=rec["ticket_number"])
        stored = TicketVersion.objects.get(ticket=t, version=rec["version"])
        assert stored.raw == json.loads(json.dumps(rec))
        assert stored.issued_at == datetime.fromisoformat(rec["issued_at"].replace("Z", "+00:00")).astimezone(UTC)
        assert stored.defendant["last_name"] == rec["defendant"]["last_name"]
        assert stored.agency_case_number == (rec.get("agency_case_number") or "")
        laws = list(
            Violation.objects.filter(ticket=t, version=rec["version"])
            .order_by("position")
            .values_list("law", "description")
        )
        assert laws == [(v["law"], v["description"]) for v in rec["violations"]]
        if result["status"] == "created":
            assert t.defendant_last_name == rec["defendant"]["last_name"] and t.court.code == rec["court_code"]


_clients = {}


def _client(world):
    key = world.agency_a.pk
    if key not in _clients:
        _clients.clear()
        _clients[key] = FeedClient(system="PROPERTY")
    return _clients[key]
