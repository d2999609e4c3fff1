"""Each domain rule on its own (collisions/validation.py)."""

from copy import deepcopy
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from collisions import validation as v
from collisions.contract import check_collision
from tests.collisions.factories import collision

CTX = v.RuleContext(threshold=Decimal("1000.00"))


def typed(**changes) -> dict:
    t, errors, _ = check_collision(collision(**changes))
    assert not errors, errors
    t["severity"] = v.derive_severity(t["persons"])
    return t


def codes(findings):
    return [f["code"] for f in findings]


def test_the_base_record_passes_every_rule():
    assert v.run_rules(typed(), CTX) == []


def test_severity_is_the_worst_injury():
    assert v.derive_severity([{"injury": "C"}, {"injury": "A"}, {"injury": "O"}]) == "A"
    assert v.derive_severity([{"injury": "O"}]) == "O"
    assert v.derive_severity([]) == "O"


def test_fatal_needs_k_injury():
    t = typed()
    assert v.fatal_needs_k_injury(t, CTX) == []
    t["severity"] = "K"
    [f] = v.fatal_needs_k_injury(t, CTX)
    assert f["level"] == "error" and f["section"] == "persons" and "injury K" in f["message"]


def test_k_injury_on_existing_unit():
    t = typed()
    t["persons"][0]["injury"] = "K"
    t["persons"][0]["unit_number"] = 7
    [f] = v.k_injury_on_existing_unit(t, CTX)
    assert f["field"] == "persons[0].unit_number" and "unit 7" in f["message"]


def test_pedestrian_and_pedalcyclist_have_no_vehicle():
    t = typed()
    t["units"][1]["unit_type"] = "pedestrian"
    [f] = v.non_motorist_has_no_vehicle(t, CTX)
    assert f["field"] == "units[1].vehicle" and f["level"] == "error"
    t["units"][1]["vehicle"] = None
    assert v.non_motorist_has_no_vehicle(t, CTX) == []


def test_persons_reference_existing_units():
    t = typed()
    t["persons"][2]["unit_number"] = 9
    [f] = v.persons_reference_units(t, CTX)
    assert f["field"] == "persons[2].unit_number" and "units 1, 2" in f["message"]


def test_a_driver_per_motor_vehicle_unless_hit_and_run():
    t = typed()
    t["units"][1]["driver"] = None
    t["persons"] = [p for p in t["persons"] if p["unit_number"] != 2]
    [f] = v.driver_per_motor_vehicle(t, CTX)
    assert f["field"] == "units[1].driver" and "hit_and_run" in f["message"]
    t["units"][1]["hit_and_run"] = True
    assert v.driver_per_motor_vehicle(t, CTX) == []


def test_a_driver_given_as_a_person_counts():
    t = typed()
    t["units"][0]["driver"] = None
    assert v.driver_per_motor_vehicle(t, CTX) == []  # persons[0] is unit 1's driver


def test_coordinates_outside_washington_are_a_warning():
    t = typed()
    t["location"] = {**t["location"], "latitude": 45.0, "longitude": -122.6}  # Portland, Oregon
    [f] = v.coordinates_in_washington(t, CTX)
    assert f["level"] == "warning" and f["section"] == "location"


def test_reported_after_occurred():
    t = typed()
    t["reported_at"] = t["occurred_at"] - timedelta(hours=1)
    [f] = v.reported_after_occurred(t, CTX)
    assert f["level"] == "error" and f["field"] == "reported_at"
    t["reported_at"] = None
    assert v.reported_after_occurred(t, CTX) == []


def test_narrative_present_and_not_too_short():
    t = typed()
    t["narrative"] = "   "
    assert codes(v.narrative_present(t, CTX)) == ["narrative_missing"]
    t["narrative"] = "Rear-ended."
    [f] = v.narrative_present(t, CTX)
    assert f["code"] == "narrative_short" and f["level"] == "warning"


def test_property_damage_under_the_threshold_from_reference_data():
    t = typed()
    for p in t["persons"]:
        p["injury"] = "O"
    t["units"][0]["damage_estimate"] = Decimal("300.00")
    t["units"][1]["damage_estimate"] = Decimal("400.00")
    [f] = v.damage_over_threshold(t, CTX)
    assert "$700.00" in f["message"] and "$1,000.00" in f["message"]
    assert v.damage_over_threshold(t, v.RuleContext(threshold=Decimal("500.00"))) == []
    t["persons"][0]["injury"] = "C"  # an injury crash is reportable whatever the damage
    assert v.damage_over_threshold(t, CTX) == []


def test_threshold_is_read_from_reference_data(db):
    from collisions.models import ReportingThreshold

    assert v.threshold_on(datetime.now(UTC).date()) == Decimal("1000.00")
    ReportingThreshold.objects.create(amount=Decimal("1500.00"), effective_from=datetime(2026, 1, 1).date())
    assert v.threshold_on(datetime(2026, 6, 1).date()) == Decimal("1500.00")
    assert v.threshold_on(datetime(2025, 6, 1).date()) == Decimal("1000.00")


def test_run_rules_collects_every_finding_with_field_and_section():
    rec = collision()
    rec["persons"] = deepcopy(rec["persons"]) + [
        {"unit_number": 5, "role": "passenger", "injury": "O", "person": {"last_name": "X"}}
    ]
    rec["narrative"] = ""
    t, errors, _ = check_collision(rec)
    assert errors == [
        {"field": "narrative", "code": "required", "message": "narrative is required and may not be blank."}
    ]
    rec["narrative"] = "short"
    t, errors, _ = check_collision(rec)
    found = v.run_rules(t, CTX)
    assert {"unknown_unit", "narrative_short"} <= set(codes(found))
    assert all({"level", "code", "field", "section", "message"} <= set(f) for f in found)
