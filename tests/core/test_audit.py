import pytest
from django.db import connection, transaction
from django.test import Client

from sector.core.audit import log_action
from sector.core.models import AppendOnlyError, AuditEntry


@pytest.mark.django_db
def test_log_action_records_who_what_and_masks_secrets(world):
    user = world.users["wsp"]
    entry = log_action(
        "orgs.agency.changed",
        obj=world.agency_a,
        actor=user,
        changes={"name": ["Old", "New"], "api_token": ["abc", "def"], "licence_number": ["WDL1234567", "WDL7654321"]},
    )
    entry.refresh_from_db()
    assert entry.actor == user
    assert entry.actor_name.endswith("(wsp)")
    assert entry.changes["name"] == ["Old", "New"]
    assert entry.changes["api_token"] == ["********", "********"]
    assert entry.changes["licence_number"] == ["******4567", "******4321"]
    assert entry.object_repr == str(world.agency_a) and entry.object_id == str(world.agency_a.pk)


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = log_action("core.test.done", obj=world.agency_a)
    entry.action = "core.test.rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db
def test_postgresql_refuses_raw_updates_and_deletes(world):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    entry = log_action("core.test.done", obj=world.agency_a)
    for sql in ("UPDATE core_auditentry SET action = 'x' WHERE id = %s", "DELETE FROM core_auditentry WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "core.test.done"


@pytest.mark.django_db
def test_request_changes_are_attributed_to_the_signed_in_user_with_the_request_id(world):
    """Changes through the admin carry the acting user and the request id."""
    client = Client()
    client.force_login(world.users["admin"])
    response = client.post(
        f"/admin/accounts/user/{world.users['outsider'].pk}/change/",
        {
            "username": "outsider",
            "first_name": "Test",
            "last_name": "Outsider",
            "email": "o@example.test",
            "is_active": "on",
            "groups": [],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-agency": str(world.agency_b.pk),
            "memberships-0-court": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="accounts.membership.added", object_id=str(world.users["outsider"].pk))
    assert entry.actor == world.users["admin"]
    assert entry.request_id == response["X-Request-ID"]


@pytest.mark.django_db
def test_record_pages_show_their_timeline_to_those_who_see_the_record(world):
    log_action("orgs.agency.changed", obj=world.agency_a, actor=world.users["waspc"], changes={"name": ["A", "B"]})
    page = world.client_for("waspc").get(f"/orgs/agencies/{world.agency_a.ori}/").content.decode()
    assert "History" in page and "Agency changed" in page
    # Whoever may see the record sees its history; another agency's user sees neither.
    page = world.client_for("officer").get(f"/orgs/agencies/{world.agency_a.ori}/").content.decode()
    assert "Agency changed" in page
    assert world.client_for("lasa2").get(f"/orgs/agencies/{world.agency_a.ori}/").status_code == 404


@pytest.mark.django_db
def test_audit_admin_is_read_only(world):
    entry = log_action("core.test.done", obj=world.agency_a)
    client = world.client_for("admin")
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.post(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    page = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content


@pytest.mark.django_db
def test_the_request_id_in_the_audit_is_the_portals_never_the_clients(world):
    """A client cannot choose the id its audit entries carry (issue 12): the portal generates every one."""
    import re

    client = world.client_for("wsp")
    chosen = "forged-request-id-0001"
    response = client.post(
        "/feed/credentials/",
        {"system": "TRACS", "record_types": ["ticket"], "agency_scope": "all", "agencies": ""},
        HTTP_X_REQUEST_ID=chosen,
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="feed.credential.issued")
    assert entry.request_id != chosen
    assert re.fullmatch(r"[0-9a-f]{32}", entry.request_id)
    assert response["X-Request-ID"] == entry.request_id
    assert chosen not in str(entry.data)


def test_an_incoming_request_id_is_kept_apart_as_the_clients():
    from django.http import HttpResponse
    from django.test import RequestFactory

    from sector.core.context import request_id_var
    from sector.core.middleware import RequestIdMiddleware

    seen = {}

    def view(request):
        seen["id"], seen["client"], seen["var"] = request.id, request.client_request_id, request_id_var.get()
        return HttpResponse()

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="proxy-id-12345678"))
    assert seen["id"] == seen["var"] != "proxy-id-12345678"
    assert seen["client"] == "proxy-id-12345678"
    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="<script>" * 20))
    assert seen["client"] == ""
