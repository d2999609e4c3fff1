"""Writes of the Technical Assessment Survey: draft, inventory (by hand or spreadsheet), submit, evaluation."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import tablib
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from sector.core.audit import log_action
from sector.core.permissions import can
from sector.core.registry import ExtensionPoint
from sector.core.spreadsheets import ImportFileError, read_table

from ..choices import SurveyStatus
from ..errors import OnboardingError, logs_refusal
from ..models import AgencyOnboarding, Evaluation, InventoryLine, RequirementProfile, Survey
from .evaluation import evaluate_line, worst
from .resources import MAX_ROWS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, InventoryLineResource

if TYPE_CHECKING:
    from sector.accounts.models import User
    from sector.orgs.models import Court

SURVEY_FIELDS = (
    "contact_name", "contact_title", "contact_email", "contact_phone", "sworn_officers", "vehicles_with_laptops",
    "in_car_wireless", "office_network", "records_system", "prosecutor_name", "prosecutor_office",
    "prosecutor_email", "it_signoff_name", "it_signoff_title",
)  # fmt: skip
MAX_IMPORT_BYTES = 1024 * 1024
NUMBER_FIELDS = ("sworn_officers", "vehicles_with_laptops")


def survey_for(onboarding: AgencyOnboarding) -> Survey:
    """The agency's survey (created with the onboarding; created here for onboardings that predate it)."""
    survey, _ = Survey.objects.get_or_create(onboarding=onboarding)
    return survey


def edit_refusal(user: User, survey: Survey) -> str:
    """Why `user` may not change `survey` now ("" when they may): the policy's `change` (the LASA or contact of
    the survey's own agency), then the survey's state."""
    if not can(user, "change", survey):
        if user.has_perm("onboarding.change_survey"):  # held at another agency: not here
            return "You can fill in the survey only for your own agency."
        return "Only the agency's LASA or contact fills in the survey."
    if survey.status != SurveyStatus.DRAFT:
        return "The survey was submitted; it can no longer be changed."
    return ""


def _lock(survey: Survey, actor: User) -> Survey:
    locked = Survey.objects.select_for_update(of=("self",)).select_related("onboarding").get(pk=survey.pk)
    if reason := edit_refusal(actor, locked):
        raise OnboardingError(reason)
    return locked


@logs_refusal("onboarding.survey.save", "survey")
def survey_save(
    *,
    survey: Survey,
    actor: User,
    data: dict[str, Any],
    courts: Collection[Court] | None = None,
    it_confirmed: bool = False,
) -> Survey:
    """Save the draft as it stands (any field may still be empty). Logs the fields that changed."""
    with transaction.atomic():
        locked = _lock(survey, actor)
        before = {f: getattr(locked, f) for f in SURVEY_FIELDS}
        for name in SURVEY_FIELDS:
            if name in data:
                value = data[name]
                setattr(locked, name, value if name in NUMBER_FIELDS else (value or ""))
        before["it_signed_off"] = locked.it_signed_off_at is not None
        if it_confirmed and locked.it_signoff_name and locked.it_signed_off_at is None:
            locked.it_signed_off_at = timezone.now()
        elif not it_confirmed:
            locked.it_signed_off_at = None
        locked.save()
        changes = {f: [before[f], getattr(locked, f)] for f in SURVEY_FIELDS if before[f] != getattr(locked, f)}
        if before["it_signed_off"] != (locked.it_signed_off_at is not None):
            changes["it_signed_off"] = [before["it_signed_off"], locked.it_signed_off_at is not None]
        if courts is not None:
            old = sorted(locked.courts.values_list("code", flat=True))
            locked.courts.set(courts)
            new = sorted(c.code for c in courts)
            if old != new:
                changes["courts"] = [", ".join(old), ", ".join(new)]
        if changes:
            log_action("onboarding.survey.saved", obj=locked, actor=actor, changes=changes)
    return locked


@logs_refusal("onboarding.survey.line_add", "survey")
def inventory_line_add(*, survey: Survey, actor: User, fields: dict[str, Any]) -> InventoryLine:
    with transaction.atomic():
        locked = _lock(survey, actor)
        line = InventoryLine(survey=locked, **fields)
        line.full_clean()
        line.save()
        log_action("onboarding.survey.line_added", obj=locked, actor=actor, data={"model": line.model, "os": line.os})
    return line


@logs_refusal("onboarding.survey.line_remove", "survey")
def inventory_line_remove(*, survey: Survey, actor: User, line_id: int) -> None:
    with transaction.atomic():
        locked = _lock(survey, actor)
        line = locked.lines.filter(pk=line_id).first()
        if line is None:
            raise OnboardingError("That computer is not in this survey's inventory (it may already be removed).")
        line.delete()
        log_action("onboarding.survey.line_removed", obj=locked, actor=actor, data={"model": line.model})


# --- spreadsheet import -----------------------------------------------------------------------------------


def read_inventory_file(data: bytes, filename: str) -> tablib.Dataset:
    """CSV (UTF-8) or XLSX into a dataset with lower-case headers; refuses what is neither."""
    dataset = read_table(data, max_bytes=MAX_IMPORT_BYTES, name=filename, max_rows=MAX_ROWS)
    headers = dataset.headers
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise ImportFileError(
            "The first line must name the columns. Missing: " + ", ".join(missing) + ". Expected columns: "
            + ", ".join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)) + "."
        )  # fmt: skip
    unknown = [h for h in headers if h and h not in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)]
    if unknown:
        raise ImportFileError("Unknown columns: " + ", ".join(unknown) + ". Remove them or fix their names.")
    if dataset.height == 0:
        raise ImportFileError("The file names the columns but has no computers below them.")
    return dataset


@dataclass
class ImportPreview:
    rows: list[dict[str, Any]]
    errors: dict[int, list[str]] = field(default_factory=dict)  # spreadsheet line number -> messages

    @property
    def ok(self) -> bool:
        return not self.errors


def _preview(survey: Survey, dataset: tablib.Dataset, *, dry_run: bool) -> tuple[ImportPreview, Any]:
    """The preview of an import run, and import-export's Result of it."""
    resource = InventoryLineResource(survey=survey)
    result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True)
    errors: dict[int, list[str]] = {}
    for index, row_errors in result.row_errors():
        errors.setdefault(index + 1, []).extend(str(e.error) for e in row_errors)
    for invalid in result.invalid_rows:
        messages: list[str] = []
        for name, msgs in invalid.error_dict.items():
            label = _field_label(name)
            messages.extend(f"{label}: {m}" if label else m for m in msgs)
        errors.setdefault(invalid.number + 1, []).extend(messages)
    rows = [dict(zip(dataset.headers, r, strict=False)) for r in dataset]
    return ImportPreview(rows=rows, errors=errors), result


def inventory_import_preview(*, survey: Survey, actor: User, dataset: tablib.Dataset) -> ImportPreview:
    """Check every row without saving anything (row numbers are the spreadsheet's, header = line 1)."""
    if reason := edit_refusal(actor, survey):
        raise OnboardingError(reason)
    preview, _ = _preview(survey, dataset, dry_run=True)
    return preview


@logs_refusal("onboarding.survey.import", "survey")
def inventory_import(*, survey: Survey, actor: User, dataset: tablib.Dataset) -> int:
    """Add every row, or none: a file with any bad row imports nothing."""
    with transaction.atomic():
        locked = _lock(survey, actor)
        preview, _ = _preview(locked, dataset, dry_run=True)
        if not preview.ok:
            lines = ", ".join(str(n) for n in sorted(preview.errors))
            raise OnboardingError(f"Nothing was imported: fix line(s) {lines} and try again.")
        _, result = _preview(locked, dataset, dry_run=False)
        if result.has_errors() or result.has_validation_errors():
            raise OnboardingError("Nothing was imported: the file changed between preview and import.")
        count = dataset.height
        log_action("onboarding.survey.imported", obj=locked, actor=actor, data={"rows": count})
    return count


# --- submit and evaluate ----------------------------------------------------------------------------------


def missing_for_submit(survey: Survey) -> list[str]:
    """What the survey still lacks, in words the agency understands."""
    missing: list[str] = []
    checks = [
        (survey.contact_name and survey.contact_email, "the agency contact's name and email"),
        (survey.sworn_officers is not None, "the number of sworn officers"),
        (survey.vehicles_with_laptops is not None, "the number of vehicles with laptops"),
        (survey.in_car_wireless, "the in-car wireless network"),
        (survey.office_network, "the office network"),
        (survey.records_system, "the records system (SECTOR or TraCS)"),
        (survey.courts.exists(), "at least one court of jurisdiction"),
        (survey.prosecutor_name and survey.prosecutor_office and survey.prosecutor_email,
         "the prosecutor's name, office and email"),
        (survey.it_signed_off_at, "the agency IT sign-off (name, title and the confirmation box)"),
        (survey.lines.exists(), "at least one officer computer in the inventory"),
    ]  # fmt: skip
    for ok, label in checks:
        if not ok:
            missing.append(f"Give {label}.")
    return missing


def evaluation_create(*, survey: Survey, profile: RequirementProfile | None = None) -> Evaluation:
    """Evaluate every inventory line against the profile in force (or the one given) and store the result."""
    profile = profile or RequirementProfile.objects.in_force()
    if profile is None:
        raise OnboardingError("No requirement profile is in force; WSP must publish one before surveys are evaluated.")
    snap = profile.snapshot()
    lines: list[dict[str, Any]] = []
    blockers: list[str] = []
    review: list[int] = []
    for number, line in enumerate(survey.lines.order_by("id"), start=1):
        verdict = evaluate_line(
            snap, os=line.os, cpu_ghz=line.cpu_ghz, ram_gb=line.ram_gb, disk_free_gb=line.disk_free_gb
        )
        lines.append({
            "number": number, "model": line.model, "os": line.os, "cpu_ghz": str(line.cpu_ghz),
            "ram_gb": str(line.ram_gb), "disk_free_gb": str(line.disk_free_gb), "quantity": line.quantity,
            "barcode_scanner": line.barcode_scanner, "printer": line.printer,
            "result": str(verdict.result), "reasons": verdict.reasons,
        })  # fmt: skip
        if verdict.result == "fails":
            blockers.append(f"Computer {number} ({line.model} ×{line.quantity}): " + " ".join(
                r for r in verdict.reasons if "below" in r))  # fmt: skip
        elif verdict.result == "needs_review":
            review.append(number)
    if survey.vehicles_with_laptops == 0:
        blockers.append("No vehicle has an in-car laptop computer, which the program requires.")
    if survey.in_car_wireless == "none" and not survey.office_network:
        blockers.append("No internet access is reported, which the program requires.")
    if review:
        blockers.append(
            "WSP must review the operating system of computer(s) " + ", ".join(str(n) for n in review) + "."
        )
    evaluation = Evaluation.objects.create(
        survey=survey,
        profile=profile,
        profile_version=profile.version,
        profile_snapshot=snap,
        overall=worst([line["result"] for line in lines]),
        lines=lines,
        blockers=blockers,
    )
    log_action(
        "onboarding.survey.evaluated",
        obj=survey,
        data={"profile_version": profile.version, "overall": evaluation.overall, "blockers": len(blockers)},
    )
    return evaluation


def submit_consequences(*, survey: Survey, actor: User) -> list[str]:
    """What submitting will do, in sentences for the confirmation step. Refuses, as submitting would, a survey
    the person cannot submit or that is not complete, so nobody confirms a submission that will fail."""
    if reason := edit_refusal(actor, survey):
        raise OnboardingError(reason)
    missing = missing_for_submit(survey)
    if missing:
        raise OnboardingError("The survey is not complete yet.", reasons=missing)
    profile = RequirementProfile.objects.in_force()
    computers = sum(line.quantity or 1 for line in survey.lines.all())
    courts = ", ".join(survey.courts.order_by("name").values_list("name", flat=True))
    return [
        "The survey is submitted for the agency and can no longer be changed.",
        f"Its inventory of {computers} officer computer{'s' if computers != 1 else ''} is evaluated against "
        + (f"requirement profile v{profile.version}." if profile else "the requirement profile in force."),
        f"Each court of jurisdiction is notified by email with a letter asking for its decision: {courts}.",
        f"The prosecutor is notified: {survey.prosecutor_name}, {survey.prosecutor_office} "
        f"({survey.prosecutor_email}).",
    ]


@logs_refusal("onboarding.survey.submit", "survey")
def survey_submit(*, survey: Survey, actor: User) -> Evaluation:
    """Submit once: the survey must be complete; its inventory is evaluated against the profile in force."""
    with transaction.atomic():
        locked = _lock(survey, actor)
        missing = missing_for_submit(locked)
        if missing:
            raise OnboardingError("The survey is not complete yet.", reasons=missing)
        locked.status = SurveyStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        log_action("onboarding.survey.submitted", obj=locked, actor=actor, changes={"status": ["draft", "submitted"]})
        evaluation = evaluation_create(survey=locked)
        for hook in survey_submitted:
            hook(survey=locked, actor=actor)
    return evaluation


survey_submitted: ExtensionPoint[Callable[..., object]] = ExtensionPoint("onboarding.survey_submitted")
"""Later parts of the workflow (court and prosecutor notices) attach here: `hook(*, survey, actor)`, each run
in the submit transaction."""


def validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        out: list[str] = []
        for name, msgs in exc.message_dict.items():
            label = _field_label(name)
            out.extend(f"{label}: {m}" if label else m for m in msgs)
        return out
    return list(exc.messages)


def _field_label(name: str) -> str:
    """An inventory line field's label, capitalized ("" for a name that is no field, e.g. `__all__`)."""
    try:
        field = InventoryLine._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    return str(getattr(field, "verbose_name", "") or "").capitalize()


@logs_refusal("onboarding.survey.prefill", "survey")
def survey_prefill(
    *, survey: Survey, actor: User, contact: dict[str, str], courts: Collection[Court] | None = None
) -> Survey:
    """WASPC starts the agency's draft survey from the program office's spreadsheet (issue 16): the agency
    contact and the courts of jurisdiction. Only a draft is filled, and only fields still empty (the agency's
    own answers win); the agency edits and submits the survey as usual."""
    if not can(actor, "invite_contact", survey.onboarding):
        raise OnboardingError("Only the WASPC coordinator fills in a survey from the onboarding spreadsheet.")
    with transaction.atomic():
        locked = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
        if locked.status != SurveyStatus.DRAFT:
            return locked
        changes: dict[str, list] = {}
        for name, limit in (
            ("contact_name", 120),
            ("contact_title", 120),
            ("contact_email", 254),
            ("contact_phone", 40),
        ):
            value = (contact.get(name) or "").strip()[:limit]
            if value and not getattr(locked, name):
                changes[name] = ["", value]
                setattr(locked, name, value)
        locked.save()
        if courts is not None and not locked.courts.exists():
            locked.courts.set(courts)
            changes["courts"] = ["", ", ".join(sorted(c.code for c in courts))]
        if changes:
            log_action("onboarding.survey.prefilled", obj=locked, actor=actor, changes=changes)
    return locked
