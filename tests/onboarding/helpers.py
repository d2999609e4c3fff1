"""Builders shared by the onboarding tests and its permission-matrix cases."""

from sector.onboarding import services
from sector.onboarding.models import AgencyOnboarding
from sector.onboarding.reference import ensure_reference_data


def start(world, agency=None) -> AgencyOnboarding:
    ensure_reference_data()
    agency = agency or world.agency_a
    existing = AgencyOnboarding.objects.filter(agency=agency).first()
    return existing or services.onboarding_start(agency=agency, user=world.users["waspc"])


def complete(world, onboarding, *numbers):
    who = {1: "waspc", 2: "lasa", 3: "lasa", 4: "wsp", 5: "waspc", 6: "aoc", 7: "wsp"}
    for n in numbers:
        user = world.users[who[n]]
        if n in (2, 3) and onboarding.agency_id == world.agency_b.pk:
            user = world.users["lasa2"]
        services.step_complete(onboarding=onboarding, number=n, user=user, note=f"step {n} done")
    onboarding.refresh_from_db()
    return onboarding
