"""Roster spreadsheets: export an event's registrations; import registrations with a preview and per-line
errors, all or nothing (officers by agency ORI and personnel number, court staff by court code and name)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import tablib
from django.db import transaction

from sector.core.spreadsheets import ImportFileError, read_table
from sector.onboarding.errors import logs_refusal
from sector.orgs.models import Person

from . import services
from .choices import EventKind
from .models import TrainingEvent

if TYPE_CHECKING:
    from sector.accounts.models import User

MAX_BYTES = 512 * 1024
MAX_ROWS = 500
OFFICER_COLUMNS = ("agency_ori", "personnel_number")
STAFF_COLUMNS = ("court_code", "last_name", "first_name")


def roster_dataset(event: TrainingEvent, people_ids: set[int]) -> tablib.Dataset:
    data = tablib.Dataset(headers=["last_name", "first_name", "organization", "personnel_number", "attended"])
    for r in event.registrations.select_related("person__agency", "person__court"):
        if r.person_id in people_ids:
            p = r.person
            org = p.agency.ori if p.agency_id else p.court.code
            attended = "" if r.attended is None else ("yes" if r.attended else "no")
            data.append([p.last_name, p.first_name, org, p.personnel_number, attended])
    return data


def read_roster(data: bytes, event: TrainingEvent) -> tablib.Dataset:
    dataset = read_table(data, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    wanted = STAFF_COLUMNS if event.kind == EventKind.COURT_STAFF else OFFICER_COLUMNS
    missing = [c for c in wanted if c not in dataset.headers]
    if missing:
        raise ImportFileError("Missing column(s): " + ", ".join(missing) + ". Expected: " + ", ".join(wanted) + ".")
    if dataset.height == 0:
        raise ImportFileError("The file names the columns but lists nobody.")
    return dataset


@dataclass
class RosterPreview:
    rows: list[tuple[int, dict, Person | None, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not errors for _, _, _, errors in self.rows)

    @property
    def bad_lines(self) -> list[int]:
        return [n for n, _, _, errors in self.rows if errors]


def _find(event: TrainingEvent, row: dict, actor: User) -> tuple[Person | None, str]:
    people = Person.objects.restrict(actor).filter(active=True)
    if event.kind == EventKind.COURT_STAFF:
        code = str(row.get("court_code") or "").strip().upper()
        last, first = str(row.get("last_name") or "").strip(), str(row.get("first_name") or "").strip()
        if not (code and last and first):
            return None, "Give the court code, last name and first name."
        found = list(people.filter(court__code=code, last_name__iexact=last, first_name__iexact=first)[:2])
        label = f"{first} {last} of court {code}"
    else:
        ori = str(row.get("agency_ori") or "").strip().upper()
        number = str(row.get("personnel_number") or "").strip()
        if not (ori and number):
            return None, "Give the agency ORI and the personnel number."
        found = list(people.filter(agency__ori=ori, personnel_number=number)[:2])
        label = f"personnel number {number} of {ori}"
    if not found:
        return None, f"No person with {label} that you can register."
    if len(found) > 1:
        return None, f"More than one person matches {label}; register them on the event page."
    return found[0], ""


def preview_roster(*, event: TrainingEvent, actor: User, dataset: tablib.Dataset) -> RosterPreview:
    preview = RosterPreview()
    already = set(event.registrations.values_list("person_id", flat=True))
    seen: set[int] = set()
    seats = event.capacity - len(already)
    for number, values in enumerate(dataset, start=2):
        row = dict(zip(dataset.headers, values, strict=False))
        person, error = _find(event, row, actor)
        errors = [error] if error else []
        if person is not None:
            allowed, why = services.can_register(actor, event, person)
            if not allowed:
                errors.append(why)
            elif person.pk in already:
                errors.append(f"{person.full_name} is already registered.")
            elif person.pk in seen:
                errors.append(f"{person.full_name} is listed twice in the file.")
            else:
                seen.add(person.pk)
                seats -= 1
                if seats < 0:
                    errors.append(f"No seat left: the event has {event.capacity}.")
        preview.rows.append((number, row, person, errors))
    return preview


@logs_refusal("training.roster.import", "event")
def import_roster(*, event: TrainingEvent, actor: User, dataset: tablib.Dataset) -> int:
    """Register everyone in the file, or no one."""
    preview = preview_roster(event=event, actor=actor, dataset=dataset)
    if not preview.ok:
        raise services.TrainingError(
            "Nothing was imported: fix line(s) " + ", ".join(map(str, preview.bad_lines)) + " and try again."
        )
    with transaction.atomic():
        for _, _, person, _ in preview.rows:
            services.registration_add(event=event, person=person, actor=actor)
    return len(preview.rows)
