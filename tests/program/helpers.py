"""Builders for the program office tests: a migration, and each checklist item made done from its own data."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sector.feed.services import credential_create
from sector.onboarding.choices import AgreementKind, AgreementStatus
from sector.onboarding.models import Agreement, AgreementTemplate
from sector.orgs.models import Person
from sector.program import services
from sector.program.models import TracsMigration
from sector.training.models import TrainingEvent, TrainingRecord
from tests.onboarding.helpers import start


def open_migration(world, agency=None, days=60) -> TracsMigration:
    agency = agency or world.agency_a
    existing = TracsMigration.objects.filter(agency=agency).first()
    return existing or services.migration_open(
        agency=agency, cutover_on=timezone.localdate() + timedelta(days=days), actor=world.users["waspc"]
    )


def execute_tracs_agreement(world, agency=None) -> Agreement:
    """An executed TraCS access agreement, written as the agreement workflow leaves it (the PDF is not needed)."""
    onboarding = start(world, agency or world.agency_a)
    template = AgreementTemplate.objects.filter(kind=AgreementKind.TRACS).order_by("-version").first()
    now = timezone.now()
    return Agreement.objects.create(
        onboarding=onboarding, template=template, kind=AgreementKind.TRACS, template_version=template.version,
        title=template.title, body="…", term_months=template.term_months, status=AgreementStatus.EXECUTED,
        prepared_by=world.users["wsp"], countersigned_at=now, countersigned_by=world.users["wsp"],
        executed_sha256="0" * 64, signed_at=now,
    )  # fmt: skip


def officers(agency, n: int) -> list[Person]:
    return [
        Person.objects.create(first_name="Pat", last_name=f"Officer{i}", personnel_number=f"T{i:04d}", agency=agency)
        for i in range(n)
    ]


def retrain(world, people) -> None:
    event = TrainingEvent.objects.create(
        kind="tracs", title="TraCS officer training", starts_at=timezone.now() - timedelta(days=3), place="Lacey",
        capacity=20, trainer="WASPC", created_by=world.users["waspc"], status="completed",
    )  # fmt: skip
    for p in people:
        TrainingRecord.objects.create(
            person=p, event=event, kind="tracs", completed_on=timezone.localdate(), agency_at_time=p.agency
        )


def switch_sender(agency):
    credential, _ = credential_create(system="TRACS", record_types=["ticket", "collision"], agencies=[agency])
    return credential


def make_ready(world, agency=None):
    agency = agency or world.agency_a
    execute_tracs_agreement(world, agency)
    retrain(world, officers(agency, 2))
    switch_sender(agency)
