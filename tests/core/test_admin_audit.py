"""Issue 12: admin changes to security- or law-relevant reference data write audit entries with before/after
values, secrets masked, through one admin mixin (sector.core.admin.AuditedAdminMixin)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.test import RequestFactory

from collisions.models import AgencyReviewSetting, ReportingThreshold
from courts.models import CourtClosure, FilingDeadline
from sector.core.admin import AuditedAdminMixin
from sector.core.models import AuditEntry
from sector.feed.outbox_models import Destination
from sector.onboarding.models import AgreementTemplate, RequirementProfile

pytestmark = pytest.mark.django_db

AUDITED = [Destination, AgencyReviewSetting, ReportingThreshold, FilingDeadline, CourtClosure, RequirementProfile,
           AgreementTemplate]  # fmt: skip


@pytest.mark.parametrize("model", AUDITED, ids=lambda m: m.__name__)
def test_each_models_admin_is_audited_by_the_one_mixin(model):
    assert model in admin.site._registry, f"{model.__name__} has no admin"
    assert isinstance(admin.site._registry[model], AuditedAdminMixin)


def _request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def _entries(obj):
    return list(AuditEntry.objects.for_object(obj).order_by("id"))


def test_a_destination_changed_in_the_admin_logs_before_and_after_with_the_secret_masked(world):
    """Through the admin's own form: the secret is never in the log, only that it changed."""
    dest = Destination.objects.create(
        code="DOT", name="DOT exchange", url="https://dot.example.gov/in", auth_secret="Bearer old-secret-value"
    )
    client = world.client_for("admin")
    response = client.post(
        f"/admin/feed/destination/{dest.pk}/change/",
        {
            "code": "DOT",
            "name": "DOT exchange",
            "record_type": "collision",
            "format": "json",
            "kind": "http",
            "url": "https://attacker.example.com/in",
            "auth_header": "Authorization",
            "auth_secret": "Bearer new-secret-value",
            "folder": "",
            "active": "on",
            "timeout_seconds": "10",
            "max_attempts": "8",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [entry] = [e for e in _entries(dest) if e.action == "feed.destination.changed"]
    assert entry.actor == world.users["admin"]
    assert entry.changes["url"] == ["https://dot.example.gov/in", "https://attacker.example.com/in"]
    assert entry.changes["auth_secret"] == ["********", "********"]
    assert "secret-value" not in str(entry.changes) + str(entry.data)
    assert entry.request_id


def test_a_url_with_a_password_in_it_is_masked(world):
    dest = Destination.objects.create(code="DOL", name="DOL", url="https://dol.example.gov/in")
    dest.url = "https://user:hunter2@dol.example.gov/in"
    admin.site._registry[Destination].save_model(_request(world.users["admin"]), dest, None, True)
    [entry] = _entries(dest)
    assert "hunter2" not in str(entry.changes)
    assert entry.changes["url"][1] == "https://user:********@dol.example.gov/in"


def test_turning_off_second_level_approval_is_logged(world):
    setting = AgencyReviewSetting.objects.create(agency=world.agency_a, second_level_approval=True)
    setting.second_level_approval = False
    admin.site._registry[AgencyReviewSetting].save_model(_request(world.users["admin"]), setting, None, True)
    [entry] = _entries(setting)
    assert entry.action == "collisions.agencyreviewsetting.changed"
    assert entry.changes == {"second_level_approval": [True, False]}


def test_the_reporting_threshold_added_changed_and_deleted_is_logged(world):
    model_admin = admin.site._registry[ReportingThreshold]
    request = _request(world.users["admin"])
    row = ReportingThreshold(amount=Decimal("1000.00"), effective_from=date(2027, 1, 1))
    model_admin.save_model(request, row, None, False)
    row.amount = Decimal("2500.00")
    model_admin.save_model(request, row, None, True)
    model_admin.delete_model(request, ReportingThreshold.objects.get(pk=row.pk))
    created, changed, deleted = AuditEntry.objects.filter(action__startswith="collisions.reportingthreshold.").order_by(
        "id"
    )
    assert created.action == "collisions.reportingthreshold.created"
    assert created.changes["amount"] == [None, "1000.00"]
    assert changed.changes == {"amount": ["1000.00", "2500.00"]}
    assert deleted.action == "collisions.reportingthreshold.deleted"
    assert deleted.changes["amount"] == ["2500.00", None]


def test_filing_deadlines_and_court_closures_are_logged(world):
    deadline = FilingDeadline.objects.create(
        kind="infraction_test", amount=5, unit="business_days", authority="IRLJ 2.2"
    )
    deadline.amount = 10
    admin.site._registry[FilingDeadline].save_model(_request(world.users["admin"]), deadline, None, True)
    assert _entries(deadline)[0].changes == {"amount": [5, 10]}

    closure = CourtClosure(court=world.court_a, date=date(2027, 3, 1), reason="Snow")
    admin.site._registry[CourtClosure].save_model(_request(world.users["admin"]), closure, None, False)
    [entry] = _entries(closure)
    assert entry.action == "courts.courtclosure.created"
    assert entry.changes["date"] == [None, "2027-03-01"] and entry.changes["reason"] == [None, "Snow"]
    assert entry.changes["court"][1] == str(world.court_a)


def test_bulk_deleting_in_the_admin_logs_each_row(world):
    a = CourtClosure.objects.create(date=date(2027, 4, 1), reason="A")
    b = CourtClosure.objects.create(date=date(2027, 4, 2), reason="B")
    admin.site._registry[CourtClosure].delete_queryset(
        _request(world.users["admin"]), CourtClosure.objects.filter(pk__in=[a.pk, b.pk])
    )
    assert AuditEntry.objects.filter(action="courts.courtclosure.deleted").count() == 2
    assert not CourtClosure.objects.filter(pk__in=[a.pk, b.pk]).exists()


def test_an_agreement_template_edit_is_logged_with_its_text(world):
    template = AgreementTemplate.objects.create(kind="sla", version=99, title="SLA", body="Old text.")
    template.body = "New text."
    admin.site._registry[AgreementTemplate].save_model(_request(world.users["admin"]), template, None, True)
    assert _entries(template)[0].changes == {"body": ["Old text.", "New text."]}


def test_saving_without_a_change_writes_no_entry(world):
    deadline = FilingDeadline.objects.create(kind="civil_test", amount=5, unit="business_days")
    admin.site._registry[FilingDeadline].save_model(_request(world.users["admin"]), deadline, None, True)
    assert _entries(deadline) == []
