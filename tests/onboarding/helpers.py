"""Builders shared by the onboarding tests and its permission-matrix cases."""

from sector.onboarding.checklist import services
from sector.onboarding.models import AgencyOnboarding
from sector.onboarding.reference import ensure_agreement_templates, ensure_reference_data


def start(world, agency=None) -> AgencyOnboarding:
    ensure_reference_data()
    ensure_agreement_templates()
    agency = agency or world.agency_a
    existing = AgencyOnboarding.objects.filter(agency=agency).first()
    return existing or services.onboarding_start(agency=agency, actor=world.users["waspc"])


def complete(world, onboarding, *numbers):
    who = {1: "waspc", 2: "lasa", 3: "lasa", 4: "wsp", 5: "waspc", 6: "aoc", 7: "wsp"}
    for n in numbers:
        user = world.users[who[n]]
        if n in (2, 3) and onboarding.agency_id == world.agency_b.pk:
            user = world.users["lasa2"]
        services.step_complete(onboarding=onboarding, number=n, actor=user, note=f"step {n} done")
    onboarding.refresh_from_db()
    return onboarding


GOOD_LINE = {"model": "Panasonic CF-31", "os": "Windows 7 Professional", "cpu_ghz": "2.5", "ram_gb": "4",
             "disk_free_gb": "120", "quantity": 3}  # fmt: skip


def fill_survey(world, onboarding, *, lines=(GOOD_LINE,), user=None):
    """A complete draft survey for the onboarding's agency."""
    from decimal import Decimal

    from sector.onboarding.survey import services as svc

    user = user or (world.users["lasa"] if onboarding.agency_id == world.agency_a.pk else world.users["lasa2"])
    survey = svc.survey_for(onboarding)
    svc.survey_save(
        survey=survey,
        actor=user,
        data={
            "contact_name": "Chief Ana Ruiz",
            "contact_title": "Chief",
            "contact_email": "chief@example.test",
            "contact_phone": "360-555-0100",
            "sworn_officers": 60,
            "vehicles_with_laptops": 40,
            "in_car_wireless": "cellular",
            "office_network": "County WAN",
            "records_system": "SECTOR",
            "prosecutor_name": "Pat Prosecutor",
            "prosecutor_office": "Thurston County Prosecutor",
            "prosecutor_email": "prosecutor@example.test",
            "it_signoff_name": "Ivy Tech",
            "it_signoff_title": "IT manager",
        },  # fmt: skip
        courts=[world.court_a, world.court_b],
        it_confirmed=True,
    )
    for line in lines:
        fields = {k: (Decimal(v) if k in ("cpu_ghz", "ram_gb", "disk_free_gb") else v) for k, v in line.items()}
        svc.inventory_line_add(survey=survey, actor=user, fields=fields)
    survey.refresh_from_db()
    return survey


def prepare_agreement(world, onboarding, kind="sla"):
    from sector.onboarding.agreements import services as agreements
    from sector.onboarding.models import AgreementTemplate

    template = AgreementTemplate.objects.filter(kind=kind).order_by("-version").first()
    return agreements.agreement_prepare(onboarding=onboarding, template=template, actor=world.users["wsp"])


def sign_agreement(world, agreement, persona="lasa"):
    from sector.onboarding.agreements import services as agreements

    return agreements.agreement_sign(
        agreement=agreement, actor=world.users[persona], name="Ana Ruiz", title="Chief of Police",
        authority="Authorized by the City of Olympia, ordinance 7001.", ip="198.51.100.7",
    )  # fmt: skip
