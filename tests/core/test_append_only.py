"""The audit log refuses TRUNCATE at the database as it refuses UPDATE and DELETE (issue 12). The access log's
own tests are in tests/collisions/test_confidentiality.py."""

import pytest
from django.db import connection, transaction

from sector.core.audit import log_action
from sector.core.models import AuditEntry


def refused(sql: str) -> None:
    """`sql` fails with the trigger's message. The test's own inserts leave deferred foreign-key checks pending,
    which TRUNCATE refuses for a reason of its own: they are run first, as a separate transaction would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry SET action = 'x'",
        "DELETE FROM core_auditentry",
        "TRUNCATE core_auditentry",
        "TRUNCATE core_auditentry RESTART IDENTITY CASCADE",
        "TRUNCATE accounts_user CASCADE",  # reaches the audit log through its actor foreign key
    ],
)
def test_postgresql_refuses_to_rewrite_or_empty_the_audit_log(world, sql):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    entry = log_action("core.test.done", obj=world.agency_a, actor=world.users["wsp"])
    refused(sql)
    assert AuditEntry.objects.get(pk=entry.pk).action == "core.test.done"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_still_empty_its_database(world):
    """The test run's flush lifts the TRUNCATE triggers for itself (tests/conftest.py); the teardown of this
    test fails if it does not."""
    log_action("core.test.done", obj=world.agency_a, actor=world.users["wsp"])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'core_auditentry_no_truncate'")
            assert cursor.fetchone() == ("O",)  # enabled, outside the flush
