"""The one plug-in mechanism: every extension point is an ExtensionPoint filled from AppConfig.ready."""

from citations.hooks import FilingInput, filing_calendar, filing_for
from sector.core.registry import ExtensionPoint, NavItem, demo_seeders, home_panels, nav_items
from sector.feed.registry import record_handlers
from sector.onboarding.lasa import services as lasa
from sector.onboarding.survey import services as survey_services


def test_items_come_in_order_then_registration_order():
    point: ExtensionPoint[str] = ExtensionPoint("test.order")
    point.register("late", order=200)
    point.register("first")
    point.register("second")
    point.register("early", order=10)
    assert list(point) == ["early", "first", "second", "late"]


def test_registering_a_key_again_replaces_its_entry_in_place():
    point: ExtensionPoint[str] = ExtensionPoint("test.replace")
    point.register("a", key="x")
    point.register("b", key="y")
    point.register("c", key="x")
    assert point.entries() == [("x", "c"), ("y", "b")]
    assert point["x"] == "c" and point.get("z") is None and "y" in point and len(point) == 2
    point.unregister("x")
    assert point.keys() == ["y"]


def test_a_second_ready_changes_nothing():
    def panel(request):
        return None

    point: ExtensionPoint = ExtensionPoint("test.idempotent")
    point.register(panel)
    point.register(panel)
    assert list(point) == [panel]


def test_key_and_order_can_come_from_the_item():
    point: ExtensionPoint[NavItem] = ExtensionPoint("test.nav", key=lambda i: i.url_name, order=lambda i: i.order)
    point.register(NavItem("B", "b:index", order=20))
    point.register(NavItem("A", "a:index", order=10))
    point.register(NavItem("A again", "a:index", order=10))
    assert [i.label for i in point] == ["A again", "B"]


def test_first_is_a_single_provider_slot():
    point: ExtensionPoint = ExtensionPoint("test.slot")
    assert point.first(default="none") == "none"
    point.register("later", order=50)
    point.register("sooner", order=5)
    assert point.first(default="none") == "sooner"


def test_every_app_registers_through_the_one_mechanism():
    assert {"citations:ticket_list", "courts:intake", "collisions:review_queue", "feed:batch_list"} <= set(
        nav_items.keys()
    )
    assert len(home_panels) >= 5
    assert {"tickets", "collisions", "court intake", "onboarding", "training", "support"} <= set(demo_seeders.keys())
    assert set(record_handlers.keys()) == {"ticket", "collision"}
    assert filing_calendar.keys() == ["courts"]
    assert len(lasa.officer_activation_checks) == 1 and len(lasa.trained_user_sources) == 1
    assert len(survey_services.survey_submitted) == 1
    points = [nav_items, home_panels, demo_seeders, record_handlers, filing_calendar]
    points += [lasa.officer_activation_checks, lasa.trained_user_sources, survey_services.survey_submitted]
    assert all(isinstance(p, ExtensionPoint) for p in points)


def test_without_a_calendar_ingest_files_nothing(monkeypatch):
    from datetime import UTC, datetime

    monkeypatch.setattr(filing_calendar, "_entries", {})
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    [result] = filing_for([FilingInput(court_id=1, kind="infraction", issued_at=now, received_at=now)])
    assert result.filing_date is None and result.deadline_at is None and not result.late
