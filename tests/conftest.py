"""Personas and the shared world every test can use.

Personas (ARCHITECTURE.md, Tests): a clerk of court A and one of court B, a LASA of agency A and one of
agency B, a reviewer and an officer of agency A, WASPC, WSP, AOC, an outsider with no role, and admin.
"""

from dataclasses import dataclass, field

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
from django.test import Client

from sector.accounts.models import User
from sector.accounts.roles import sync_roles
from tests.factories import AgencyFactory, CourtFactory, make_user

PERSONAS = (
    "anonymous", "admin", "waspc", "wsp", "aoc", "clerk", "clerk2",
    "lasa", "lasa2", "reviewer", "officer", "outsider",
)  # fmt: skip
TEST_DEVICE_NAME = "test suite"


def _device_for(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)


def _second_factor_passed_on_login(sender, request, user, **kwargs):
    """A sign-in made by the test client (`client.force_login`, `client.login`, or a password posted to the
    sign-in page) also passes the second factor, with a real confirmed device (the admin site and the passkey
    views look it up). Sign-ins in a real browser against the live server are left alone: `sign_in` in
    tests/e2e/conftest.py enters the code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    if request is None or request.META.get("SERVER_NAME") not in (None, "testserver"):
        return
    request.session[DEVICE_ID_SESSION_KEY] = _device_for(user).persistent_id


@pytest.fixture(autouse=True)
def _test_client_sign_ins_pass_the_second_factor(request):
    """Issue 13 puts a second factor in front of everything; tests about something else sign in as before.
    `@pytest.mark.real_mfa` opts out (the MFA tests sign in with the password step only, like a person)."""
    if request.node.get_closest_marker("real_mfa"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_second_factor_passed_on_login, dispatch_uid="tests-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")


# The audit log and the access log refuse TRUNCATE (statement triggers). Transactional tests empty the test
# database with TRUNCATE, so the test run, and only it, lifts those two triggers inside the flush's transaction.
APPEND_ONLY_TRUNCATE_TRIGGERS = {
    "core_auditentry": "core_auditentry_no_truncate",
    "collisions_accesslog": "collisions_accesslog_no_truncate",
}
_postgres_sql_flush = PostgresOperations.sql_flush


def _sql_flush_past_append_only(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    sql = _postgres_sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    if not sql:
        return sql
    # Each log is partitioned by year (sector/core/partitions.py) and each partition carries its own TRUNCATE
    # trigger of the same name, which a TRUNCATE of the parent fires too: every table carrying one is named.
    names = ", ".join(f"'{trigger}'" for trigger in APPEND_ONLY_TRUNCATE_TRIGGERS.values())

    def toggle(verb: str) -> str:
        return (
            "DO $$ DECLARE r record; BEGIN FOR r IN SELECT t.tgrelid::regclass AS rel, t.tgname FROM pg_trigger t "
            f"WHERE t.tgname IN ({names}) LOOP EXECUTE format('ALTER TABLE %s {verb} TRIGGER %I', r.rel, r.tgname); "
            "END LOOP; END $$;"
        )

    return [toggle("DISABLE")] + sql + [toggle("ENABLE")]


PostgresOperations.sql_flush = _sql_flush_past_append_only


@dataclass
class World:
    agency_a: object
    agency_b: object
    court_a: object
    court_b: object
    users: dict[str, User] = field(default_factory=dict)

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


@pytest.fixture
def roles(db):
    """Groups exist after migrate; this re-syncs them for tests that run after a transactional flush."""
    sync_roles()


@pytest.fixture
def world(roles) -> World:
    agency_a = AgencyFactory(ori="WA0340100", name="Olympia Police Department", county="Thurston")
    agency_b = AgencyFactory(ori="WA0320400", name="Spokane Police Department", county="Spokane")
    court_a = CourtFactory(code="D34", name="Thurston County District Court", kind="district")
    court_b = CourtFactory(code="M32SPO", name="Spokane Municipal Court", county="Spokane")
    users = {
        "admin": make_user("admin", is_superuser=True, is_staff=True),
        "waspc": make_user("waspc", "waspc_coordinator"),
        "wsp": make_user("wsp", "wsp_support"),
        "aoc": make_user("aoc", "aoc_coordinator"),
        "clerk": make_user("clerk", "court_clerk", court=court_a),
        "clerk2": make_user("clerk2", "court_clerk", court=court_b),
        "lasa": make_user("lasa", "lasa", agency=agency_a),
        "lasa2": make_user("lasa2", "lasa", agency=agency_b),
        "reviewer": make_user("reviewer", "collision_reviewer", agency=agency_a),
        "officer": make_user("officer", "officer", agency=agency_a),
        "outsider": make_user("outsider"),
    }
    return World(agency_a, agency_b, court_a, court_b, users)


@pytest.fixture
def as_persona(world):
    """`as_persona("clerk")` -> a test client signed in as that persona."""
    return world.client_for
