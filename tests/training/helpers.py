from datetime import timedelta

from django.utils import timezone

from sector.training import services
from tests.factories import PersonFactory


def event(world, kind="sanctioned", *, capacity=10, days=-1, host=None):
    who = {"sanctioned": "waspc", "court_staff": "aoc", "ttt": "lasa"}[kind]
    return services.event_create(
        actor=world.users[who], kind=kind, title=f"{kind} training", starts_at=timezone.now() + timedelta(days=days),
        place="WASPC, Lacey", capacity=capacity, trainer="Joan Smith", host_agency=host,
    )  # fmt: skip


def officer(world, agency=None, **kw):
    return PersonFactory(agency=agency or world.agency_a, kind="officer", **kw)


def court_staff(world, court=None, **kw):
    return PersonFactory(agency=None, court=court or world.court_a, kind="court_staff", **kw)
