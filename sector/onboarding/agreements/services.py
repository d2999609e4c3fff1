"""Agreements: WSP prepares from a versioned template, the agency signs (in the portal or by uploading the copy
its council or chief signed), WSP countersigns, and the executed PDF is stored once with its SHA-256."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from string import Template
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sector.accounts.roles import LASA
from sector.accounts.selectors import emails_of_role
from sector.core.audit import actor_display, log_action
from sector.core.documents import stored_pdf
from sector.core.mail import send_templated_mail
from sector.core.pdf import render_pdf
from sector.core.permissions import can
from sector.core.storage import StoredFileError, read_verified, save_once

from ..checklist.services import step_complete_automatically
from ..choices import AgreementKind, AgreementStatus, SignMethod, Step
from ..errors import OnboardingError, logs_refusal
from ..models import AgencyOnboarding, Agreement, AgreementTemplate

if TYPE_CHECKING:
    from sector.accounts.models import User


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def latest_templates() -> list[AgreementTemplate]:
    """The newest version of each agreement kind already in effect."""
    today = timezone.localdate()
    out = []
    for kind in AgreementKind:
        t = AgreementTemplate.objects.filter(kind=kind, effective_from__lte=today).order_by("-version").first()
        if t:
            out.append(t)
    return out


def agency_emails(onboarding: AgencyOnboarding) -> list[str]:
    """The agency's LASAs, and the survey's contact, for agreement emails."""
    emails = set(emails_of_role(role=LASA, agency=onboarding.agency_id))
    contact = getattr(getattr(onboarding, "survey", None), "contact_email", "")
    if contact:
        emails.add(contact)
    return sorted(emails)


def _mail(onboarding: AgencyOnboarding, agreement: Agreement, kind: str) -> None:
    to = agency_emails(onboarding)
    if to:
        send_templated_mail(
            to=to,
            subject_template=f"onboarding/email/agreement_{kind}_subject.txt",
            body_template=f"onboarding/email/agreement_{kind}.txt",
            context={"agreement": agreement, "agency": onboarding.agency},
        )


@logs_refusal("onboarding.agreement.prepare", "onboarding")
def agreement_prepare(*, onboarding: AgencyOnboarding, template: AgreementTemplate, actor: User) -> Agreement:
    if not can(actor, "prepare_agreement", onboarding):
        raise OnboardingError("Only WSP support prepares agreements.")
    agency = onboarding.agency
    with transaction.atomic():
        AgencyOnboarding.objects.select_for_update().get(pk=onboarding.pk)
        if Agreement.objects.filter(
            onboarding=onboarding,
            kind=template.kind,
            status__in=[AgreementStatus.PREPARED, AgreementStatus.AGENCY_SIGNED],
        ).exists():
            raise OnboardingError(f"{agency.name} already has a {template.get_kind_display()} waiting to be signed.")
        body = Template(template.body).safe_substitute(
            agency_name=agency.name,
            ori=agency.ori,
            county=agency.county,
            term_months=template.term_months,
            today=timezone.localdate().strftime("%B %d, %Y"),
        )
        agreement = Agreement.objects.create(
            onboarding=onboarding,
            template=template,
            kind=template.kind,
            template_version=template.version,
            title=template.title,
            body=body,
            term_months=template.term_months,
            prepared_by=actor,
        )
        log_action(
            "onboarding.agreement.prepared",
            obj=agreement,
            actor=actor,
            data={"kind": template.kind, "template_version": template.version, "agency": agency.ori},
        )
        _mail(onboarding, agreement, "ready")
    return agreement


def sign_refusal(user: User, agreement: Agreement) -> str:
    """Why `user` may not sign `agreement` now ("" when they may): the policy's `sign` (the LASA or contact of
    the agreement's own agency — a LASA elsewhere signs nothing here), then the agreement's state."""
    if not can(user, "sign", agreement):
        if user.has_perm("onboarding.sign_agreement"):  # held at another agency: not here
            return "You can sign agreements only for your own agency."
        return "Only the agency's LASA or contact signs its agreements."
    if agreement.status != AgreementStatus.PREPARED:
        return "This agreement is already signed for the agency."
    return ""


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update(of=("self",)).select_related("onboarding__agency").get(pk=agreement.pk)


@logs_refusal("onboarding.agreement.sign", "agreement")
def agreement_sign(
    *, agreement: Agreement, actor: User, name: str, title: str, authority: str, ip: str | None
) -> Agreement:
    """The agency signs in the portal: typed name, title, authority statement; time and address recorded."""
    name, title, authority = (name or "").strip(), (title or "").strip(), (authority or "").strip()
    if not (name and title and authority):
        raise OnboardingError("Type the signatory's name, title and the statement of their authority to sign.")
    return _agency_signs(
        agreement,
        actor,
        method=SignMethod.PORTAL,
        name=name,
        title=title,
        fields={"authority_statement": authority[:2000], "signed_ip": ip},
        data={"signatory": name, "title": title, "ip": ip or ""},
    )


@logs_refusal("onboarding.agreement.sign", "agreement")
def agreement_upload_signed(
    *, agreement: Agreement, actor: User, upload: File, sha256: str, resolution_number: str,
    resolution_date: date | None, name: str = "", title: str = "",
) -> Agreement:  # fmt: skip
    """The agency uploads the copy its council or chief signed (a PDF, already type-checked by the form)."""
    if not (resolution_number or "").strip() or not resolution_date:
        raise OnboardingError("Give the resolution (or approval) number and its date.")
    number = resolution_number.strip()[:60]
    return _agency_signs(
        agreement,
        actor,
        method=SignMethod.UPLOAD,
        name=(name or "").strip(),
        title=(title or "").strip(),
        fields={"resolution_number": number, "resolution_date": resolution_date, "signed_copy_sha256": sha256},
        data={"resolution": number, "sha256": sha256},
        signed_copy=upload,
    )


def _agency_signs(
    agreement: Agreement,
    actor: User,
    *,
    method: str,
    name: str,
    title: str,
    fields: dict[str, Any],
    data: dict[str, Any],
    signed_copy: File | None = None,
) -> Agreement:
    """Record the agency's signature (either way of signing): re-check who may sign on the locked row, set the
    signatory, the way it was signed and that way's `fields`, store the signed copy if any, log it."""
    with transaction.atomic():
        locked = _lock(agreement)
        if why := sign_refusal(actor, locked):
            raise OnboardingError(why)
        locked.status = AgreementStatus.AGENCY_SIGNED
        locked.sign_method = method
        locked.signatory_name = name[:120]
        locked.signatory_title = title[:120]
        locked.signed_at = timezone.now()
        locked.signed_by = actor
        for field, value in fields.items():
            setattr(locked, field, value)
        saved = ["status", "sign_method", "signatory_name", "signatory_title", "signed_at", "signed_by", *fields]
        if signed_copy is not None:
            locked.signed_copy.save(f"signed-{locked.kind}.pdf", signed_copy, save=False)
            saved.append("signed_copy")
        locked.save(update_fields=saved)
        log_action(
            "onboarding.agreement.signed",
            obj=locked,
            actor=actor,
            changes={"status": ["prepared", "agency_signed"]},
            data={**data, "method": str(method)},
        )
    return locked


AGREEMENT_TEMPLATE = "onboarding/pdf/agreement.html"


def agreement_pdf_context(agreement: Agreement) -> dict[str, Any]:
    paragraphs = [p.strip() for p in agreement.body.split("\n\n") if p.strip()]
    return {"agreement": agreement, "agency": agreement.onboarding.agency, "paragraphs": paragraphs}


def agreement_pdf(agreement: Agreement) -> bytes:
    """The agreement rendered now (the executed copy is rendered once, at countersigning, and kept)."""
    return render_pdf(AGREEMENT_TEMPLATE, agreement_pdf_context(agreement))


def review_copy_pdf(agreement: Agreement) -> bytes:
    """The copy for review and signature: rendered once per state of what it prints, then from storage."""
    a = agreement
    version = (a.status, a.title, a.template_version, a.term_months, hashlib.sha256(a.body.encode()).hexdigest(),
               a.sign_method, a.signatory_name, a.signatory_title, a.signed_at, a.signed_ip,
               hashlib.sha256(a.authority_statement.encode()).hexdigest(), a.resolution_number, a.resolution_date,
               a.signed_copy_sha256, a.countersigned_at, a.countersigned_name, a.term_start, a.renewal_date,
               a.onboarding.agency.updated_at)  # fmt: skip
    return stored_pdf(
        AGREEMENT_TEMPLATE, record=agreement, version=version, context=lambda: agreement_pdf_context(agreement)
    )


def _countersign_refusal(agreement: Agreement, actor: User) -> str:
    if not can(actor, "countersign", agreement):
        return "Only WSP support countersigns agreements."
    if agreement.status == AgreementStatus.PREPARED:
        return "The agency has not signed yet; WSP countersigns after the agency."
    if agreement.status == AgreementStatus.EXECUTED:
        return "This agreement is already executed; it can never be changed or replaced."
    return ""


def countersign_consequences(*, agreement: Agreement, actor: User) -> list[str]:
    """What countersigning will do, for the confirmation step; refuses what countersigning would refuse."""
    if reason := _countersign_refusal(agreement, actor):
        raise OnboardingError(reason)
    today = timezone.localdate()
    renewal = add_months(today, agreement.term_months)
    agency = agreement.onboarding.agency
    signed = (
        f"signed for the agency by {agreement.signatory_name}, {agreement.signatory_title}"
        if agreement.signatory_name
        else "signed for the agency"
    )
    return [
        f"{agreement.title} (version {agreement.template_version}), {signed}, is countersigned for WSP "
        f"by {actor.get_full_name() or actor.get_username()}.",
        "The agreement is executed: its PDF is stored with its SHA-256 fingerprint and can never be changed "
        f"or replaced. The term runs {agreement.term_months} months from {today:%B} {today.day}, {today.year} "
        f"(renewal date {renewal:%B} {renewal.day}, {renewal.year}).",
        f"{agency.name} is emailed that the agreement is executed.",
    ]


@logs_refusal("onboarding.agreement.countersign", "agreement")
def agreement_countersign(*, agreement: Agreement, actor: User) -> Agreement:
    """WSP countersigns after the agency: the executed PDF is rendered and stored once with its SHA-256."""
    with transaction.atomic():
        locked = _lock(agreement)
        if reason := _countersign_refusal(locked, actor):
            raise OnboardingError(reason)
        now = timezone.now()
        locked.countersigned_at = now
        locked.countersigned_by = actor
        locked.countersigned_name = actor_display(actor)
        locked.term_start = timezone.localdate(now)
        locked.renewal_date = add_months(locked.term_start, locked.term_months)
        pdf = agreement_pdf(locked)
        locked.executed_sha256 = hashlib.sha256(pdf).hexdigest()
        try:  # written once: an object already stored under this name is refused, never replaced
            save_once(locked.executed_pdf, f"executed-{locked.kind}.pdf", pdf)
        except StoredFileError as exc:
            raise OnboardingError(str(exc)) from None
        locked.status = AgreementStatus.EXECUTED
        locked.save(update_fields=["countersigned_at", "countersigned_by", "countersigned_name", "term_start",
                                   "renewal_date", "executed_sha256", "executed_pdf", "status"])  # fmt: skip
        log_action(
            "onboarding.agreement.executed",
            obj=locked,
            actor=actor,
            changes={"status": ["agency_signed", "executed"]},
            data={"sha256": locked.executed_sha256, "renewal_date": locked.renewal_date.isoformat()},
        )
        if locked.kind == AgreementKind.SLA:
            step_complete_automatically(
                onboarding=locked.onboarding,
                number=Step.AGREEMENT,
                evidence_text=f"{locked.title} v{locked.template_version} executed "
                f"{locked.term_start:%b %d, %Y}; SHA-256 {locked.executed_sha256[:16]}…",
            )
        _mail(locked.onboarding, locked, "executed")
    return locked


def executed_pdf_bytes(agreement: Agreement, *, actor: User) -> bytes:
    """The executed PDF as stored, read back only if its SHA-256 is the one recorded at countersigning. A
    mismatch (or a missing file) is refused, and written to the audit log for WSP to look into."""
    try:
        return read_verified(agreement.executed_pdf, sha256=agreement.executed_sha256)
    except StoredFileError as exc:
        log_action(
            "onboarding.agreement.integrity_check_failed",
            obj=agreement,
            actor=actor,
            data={"file": agreement.executed_pdf.name, "expected_sha256": agreement.executed_sha256},
        )
        raise OnboardingError(str(exc)) from None
