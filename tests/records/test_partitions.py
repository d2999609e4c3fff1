"""The audit and access logs in year partitions (issue 16 item 5): the guard holds on every partition, a lawful
purge drops a year's partition (never a DELETE), and a hold on a record keeps the years that mention it."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sector.core import partitions
from sector.core.audit import log_action
from sector.core.models import AuditEntry, RetentionPeriod
from sector.core.retention import RetentionError, disposition_preview, disposition_run, hold_place

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="partitions are PostgreSQL's"),
]


def _old_entry(at: str, action: str = "core.test.old", obj=None) -> None:
    """An entry written in an earlier year (`at` is auto_now_add, so through SQL)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(obj).pk if obj is not None else None
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO core_auditentry (at, actor_name, action, content_type_id, object_id, object_repr, changes, "
            "data, request_id) VALUES (%s, 'system', %s, %s, %s, '', '{}', '{}', '')",
            [at, action, ct, str(obj.pk) if obj is not None else ""],
        )


def _refused(sql: str) -> None:
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)


def _period(key, years, actor):
    return RetentionPeriod.objects.create(
        record_class=key, years=years, authority="Demo schedule item 1", demo=True, set_by=actor, set_at=timezone.now()
    )


def test_both_logs_are_partitioned_by_year_with_a_catch_all():
    for table in ("core_auditentry", "collisions_accesslog"):
        assert partitions.is_partitioned(table)
        years = partitions.year_partitions(table)
        assert years[0] == partitions.FIRST_YEAR and timezone.now().year in years


def test_an_entry_lands_in_its_pacific_years_partition(world):
    # 2021-01-01 03:00 UTC is still New Year's Eve 2020 in Washington.
    _old_entry("2021-01-01 03:00:00+00")
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM core_auditentry_y2020 WHERE action = 'core.test.old'")
        assert cur.fetchone()[0] == 1


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditentry_y2021 SET action = 'x'",
        "DELETE FROM core_auditentry_y2021",
        "TRUNCATE core_auditentry_y2021",
        "DELETE FROM core_auditentry",
        "TRUNCATE core_auditentry_default",
        "TRUNCATE collisions_accesslog_y2021",
    ],
)
def test_the_guard_holds_on_every_partition(world, sql):
    _old_entry("2021-06-01 12:00:00-07")
    _refused(sql)


def test_every_partition_carries_the_row_guard_and_its_own_truncate_guard():
    with connection.cursor() as cur:
        for table, log in partitions.LOG_TABLES.items():
            cur.execute(
                "SELECT c.relname, array_agg(t.tgname ORDER BY t.tgname) FROM pg_inherits i "
                "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_trigger t ON t.tgrelid = c.oid "
                "WHERE i.inhparent = %s::regclass AND NOT t.tgisinternal GROUP BY c.relname",
                [table],
            )
            rows = dict(cur.fetchall())
            assert len(rows) == len(partitions.year_partitions(table)) + 1  # and the catch-all
            assert all(set(names) == {log.row_trigger, log.truncate_trigger} for names in rows.values())


def test_a_purge_drops_the_years_partition_and_writes_the_certificate(world):
    wsp = world.users["wsp"]
    _old_entry("2021-03-01 12:00:00-08")
    _old_entry("2021-11-01 12:00:00-07")
    kept = log_action("core.test.now", obj=world.agency_a, actor=wsp)
    _period("core.auditentry", 3, wsp)

    preview = disposition_preview(actor=wsp, record_class_key="core.auditentry")
    due = {item.pk: item for item in preview.due}
    assert "2021" in due and due["2021"].count == 2
    assert str(timezone.now().year) not in due  # the year being written is never due

    run = disposition_run(actor=wsp, record_class_key="core.auditentry", expected=["2021"])

    assert run.count == 2 and run.method == "year partition dropped"
    assert 2021 not in partitions.year_partitions("core_auditentry")
    assert not AuditEntry.objects.filter(action="core.test.old").exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    certificate = AuditEntry.objects.get(action="core.disposition.completed")
    assert certificate.data["certificate_of_destruction"] == f"SECTOR-DISP-{run.pk:06d}"
    assert certificate.data["records"] == ["Year 2021: 2 entries (id 2021)"] and certificate.data["demo_period"] is True
    # The guard was never lifted: the remaining log still refuses row changes.
    _refused("DELETE FROM core_auditentry")


def test_a_hold_on_a_record_keeps_the_years_that_mention_it(world):
    wsp = world.users["wsp"]
    _old_entry("2022-05-01 12:00:00-07", obj=world.agency_a)
    _old_entry("2021-05-01 12:00:00-07")
    _period("core.auditentry", 1, wsp)
    hold_place(
        actor=wsp, record_class_key="core.auditentry", object_id="2021", label="Audit log 2021", kind="legal",
        reference="Case 26-2-00002-34",
    )  # fmt: skip
    hold_place(
        actor=wsp, record_class_key="citations.ticket", object_id="1", label="Unrelated", kind="legal", reference="R1"
    )
    from sector.core.models import RecordHold

    RecordHold.objects.create(
        record_class="orgs.agency", object_id=str(world.agency_a.pk), label="Agency A", kind="public_records",
        reference="PRR 26-001", placed_by=wsp, placed_at=timezone.now(),
    )  # fmt: skip
    preview = disposition_preview(actor=wsp, record_class_key="core.auditentry")
    assert {i.pk for i in preview.held} == {"2021", "2022"}
    assert not {"2021", "2022"} & {i.pk for i in preview.due}
    with pytest.raises(RetentionError):
        disposition_run(actor=wsp, record_class_key="core.auditentry", expected=["2021", "2022"])
    assert 2021 in partitions.year_partitions("core_auditentry")


def test_next_years_partitions_are_made_ahead_and_guarded(world):
    far = timezone.now().year + 5
    added = partitions.ensure_year_partitions([far])
    assert added == [f"core_auditentry_y{far}", f"collisions_accesslog_y{far}"]
    assert partitions.ensure_year_partitions([far]) == []  # idempotent
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [f"core_auditentry_y{far}"],
        )
        assert cur.fetchone()[0] == 2  # the cloned row guard and its own TRUNCATE guard


def test_the_current_year_is_never_dropped_even_if_asked(world):
    log_action("core.test.now", actor=world.users["wsp"])
    rc = partitions.log_year_class("core_auditentry", "core.auditentry", "Audit log")
    assert rc.dispose([str(timezone.now().year)]) == 0
    assert AuditEntry.objects.filter(action="core.test.now").exists()


def test_ids_continue_after_the_rebuild(world):
    first = log_action("core.test.a", actor=world.users["wsp"])
    second = log_action("core.test.b", actor=world.users["wsp"])
    assert second.pk > first.pk
