"""The agency contact's invitation, the LASA proposal and WSP's decision, and the LASA's own user management."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sector.accounts.models import Membership, User
from sector.accounts.roles import AGENCY_CONTACT, LASA, OFFICER, STATEWIDE_ROLES
from sector.accounts.selectors import users_with_role
from sector.accounts.services import RoleError, grant_role_at, revoke_role_at, set_roles_at
from sector.core.audit import log_action
from sector.core.links import absolute_url
from sector.core.mail import send_templated_mail
from sector.core.permissions import can, user_scope
from sector.core.registry import ExtensionPoint
from sector.orgs.choices import PersonKind
from sector.orgs.models import Agency, Person

from ..checklist.services import step_complete_automatically
from ..choices import LASA_MANAGED_ROLES, ProposalStatus, Step
from ..errors import OnboardingError, logs_refusal
from ..models import AgencyOnboarding, LasaProposal

officer_activation_checks: ExtensionPoint[Callable[[User], str]] = ExtensionPoint(
    "onboarding.officer_activation_checks"
)
"""Checks an officer must pass before their account is activated: `check(user) -> reason or ""`. The training
app registers the "completed sanctioned training recorded" check here; with none registered, activation
of an officer is refused (the gate fails closed)."""


def set_password_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return absolute_url(path)


def _agency_ids_of(user: User) -> set[int]:
    return set(Membership.objects.filter(user=user, agency__isnull=False).values_list("agency_id", flat=True))


def _invite(
    *, agency: Agency, first_name: str, last_name: str, email: str, role: str, actor: User, active: bool = True,
    personnel_number: str = "",
) -> User:  # fmt: skip
    """Find or create the account for `email`, give it `role` for `agency`, and email a set-password link to
    a new account. Refuses an address that belongs to someone of another agency or a court."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise OnboardingError(f"“{email}” is not a valid email address.") from None
    if not (first_name or "").strip() or not (last_name or "").strip():
        raise OnboardingError("Give the person's first and last name.")
    user = (
        User.objects.filter(email__iexact=email).order_by("id").first()
        or User.objects.filter(username__iexact=email).first()
    )
    created = False
    if user is not None:
        others = _agency_ids_of(user) - {agency.pk}
        if others or Membership.objects.filter(user=user, court__isnull=False).exists() or user.is_superuser:
            raise OnboardingError(f"{email} belongs to an account outside {agency.name}; use another address.")
        if user_scope(user).statewide_roles:
            raise OnboardingError(f"{email} belongs to a statewide account; use another address.")
    else:
        user = User(username=email, email=email, first_name=first_name.strip()[:150], last_name=last_name.strip()[:150])
        user.set_unusable_password()
        user.is_active = active
        user.save()
        created = True
    try:
        grant_role_at(user, role, agency=agency)
    except RoleError as exc:  # the training gate: an active account becomes an officer only once trained
        raise OnboardingError(str(exc)) from None
    if created:
        send_templated_mail(
            to=[email],
            subject_template="onboarding/email/invitation_subject.txt",
            body_template="onboarding/email/invitation.txt",
            context={
                "user": user,
                "agency": agency,
                "role": role,
                "url": set_password_url(user),
                "active": active,
                "personnel_number": personnel_number,
            },
        )
    log_action(
        "onboarding.user.invited", obj=user, actor=actor, data={"agency": agency.ori, "role": role, "new": created}
    )
    return user


@logs_refusal("onboarding.contact.invite", "onboarding")
def contact_invite(
    *,
    onboarding: AgencyOnboarding,
    actor: User,
    overview_on: date,
    note: str,
    first_name: str,
    last_name: str,
    email: str,
) -> User:
    """WASPC records the overview and sends the survey by inviting the agency's contact; completes step 1."""
    if not can(actor, "invite_contact", onboarding):
        raise OnboardingError("Only the WASPC coordinator gives the overview and invites the agency contact.")
    note = (note or "").strip()
    if overview_on > timezone.localdate():
        raise OnboardingError("The overview date cannot be in the future.")
    with transaction.atomic():
        locked = AgencyOnboarding.objects.select_for_update().select_related("agency").get(pk=onboarding.pk)
        contact = _invite(agency=locked.agency, first_name=first_name, last_name=last_name, email=email,
                          role=AGENCY_CONTACT, actor=actor)  # fmt: skip
        log_action(
            "onboarding.contact.invited",
            obj=locked,
            actor=actor,
            data={"contact": contact.email, "overview_on": overview_on.isoformat(), "note": (note or "")[:300]},
        )
        step_complete_automatically(
            onboarding=locked,
            number=Step.OVERVIEW,
            evidence_text=f"Overview given {overview_on:%b %d, %Y}; survey sent to {contact.email}. {note}".strip(),
        )
    return contact


# --- LASA proposal -------------------------------------------------------------------------------------


def _check_candidate(agency: Agency, user_obj: User | None, first: str, last: str, email: str, label: str) -> None:
    if user_obj is not None:
        if agency.pk not in _agency_ids_of(user_obj) or not user_obj.is_active:
            raise OnboardingError(f"The {label} must be an active user of {agency.name}.")
        return
    if not (first.strip() and last.strip() and email.strip()):
        raise OnboardingError(f"Give the {label}'s first name, last name and email, or choose an existing user.")
    try:
        validate_email(email.strip())
    except ValidationError:
        raise OnboardingError(f"The {label}'s email “{email}” is not a valid address.") from None


@logs_refusal("onboarding.lasa.propose", "onboarding")
def lasa_propose(
    *, onboarding: AgencyOnboarding, actor: User, primary_user: User | None = None, primary_first_name: str = "",
    primary_last_name: str = "", primary_email: str = "", backup_user: User | None = None, backup_first_name: str = "",
    backup_last_name: str = "", backup_email: str = "",
) -> LasaProposal:  # fmt: skip
    if not can(actor, "propose_lasa", onboarding):  # the contact or LASA of this agency (a role held here)
        if actor.has_perm("onboarding.add_lasaproposal"):
            raise OnboardingError("You can propose a LASA only for your own agency.")
        raise OnboardingError("Only the agency's contact or LASA proposes a LASA.")
    agency = onboarding.agency
    _check_candidate(agency, primary_user, primary_first_name, primary_last_name, primary_email, "LASA")
    has_backup = backup_user is not None or any(x.strip() for x in (backup_first_name, backup_last_name, backup_email))
    if has_backup:
        _check_candidate(agency, backup_user, backup_first_name, backup_last_name, backup_email, "backup LASA")
        same_user = primary_user is not None and backup_user == primary_user
        same_email = backup_email.strip() and backup_email.strip().lower() == primary_email.strip().lower()
        if same_user or same_email:
            raise OnboardingError("The backup LASA must be a different person from the LASA.")
    with transaction.atomic():
        AgencyOnboarding.objects.select_for_update().get(pk=onboarding.pk)
        if LasaProposal.objects.filter(onboarding=onboarding, status=ProposalStatus.PROPOSED).exists():
            raise OnboardingError("A LASA proposal is already awaiting WSP's decision.")
        proposal = LasaProposal.objects.create(
            onboarding=onboarding, proposed_by=actor,
            primary_user=primary_user, primary_first_name=primary_first_name.strip(),
            primary_last_name=primary_last_name.strip(), primary_email=primary_email.strip().lower(),
            backup_user=backup_user if has_backup else None,
            backup_first_name=backup_first_name.strip() if has_backup else "",
            backup_last_name=backup_last_name.strip() if has_backup else "",
            backup_email=backup_email.strip().lower() if has_backup else "",
        )  # fmt: skip
        log_action(
            "onboarding.lasa.proposed",
            obj=onboarding,
            actor=actor,
            data={"lasa": proposal.primary_display, "backup": proposal.backup_display},
        )
    return proposal


@logs_refusal("onboarding.lasa.decide", "proposal")
def lasa_decide(*, proposal: LasaProposal, actor: User, approve: bool, note: str = "") -> LasaProposal:
    """WSP approves (grants the lasa role for the agency, completes step 4) or declines with a note."""
    if not can(actor, "decide", proposal):
        raise OnboardingError("Only WSP support approves or declines a LASA.")
    if not approve and not (note or "").strip():
        raise OnboardingError("Say why the proposal is declined, so the agency can propose someone else.")
    with transaction.atomic():
        locked = (
            LasaProposal.objects.select_for_update(of=("self",))
            .select_related("onboarding__agency", "primary_user", "backup_user")
            .get(pk=proposal.pk)
        )
        if not can(actor, "decide", locked):
            raise OnboardingError("Only WSP support approves or declines a LASA.")
        if locked.status != ProposalStatus.PROPOSED:
            raise OnboardingError(f"This proposal was already {locked.get_status_display().lower()}.")
        agency = locked.onboarding.agency
        locked.status = ProposalStatus.APPROVED if approve else ProposalStatus.DECLINED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_note = (note or "").strip()[:2000]
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        lasas: list[User] = []
        if approve:
            people = [(locked.primary_user, locked.primary_first_name, locked.primary_last_name, locked.primary_email)]
            if locked.backup_user_id or locked.backup_email:
                people.append((locked.backup_user, locked.backup_first_name, locked.backup_last_name,
                               locked.backup_email))  # fmt: skip
            for existing, first, last, email in people:
                if existing is not None:
                    grant_role_at(existing, LASA, agency=agency)
                    lasas.append(existing)
                else:
                    lasas.append(_invite(agency=agency, first_name=first, last_name=last, email=email, role=LASA,
                                         actor=actor))  # fmt: skip
            # The contact's interim account has done its work: it keeps only what else it holds.
            for contact in users_with_role(role=AGENCY_CONTACT, agency=agency, active_only=False):
                revoke_role_at(contact, AGENCY_CONTACT, agency=agency)
            step_complete_automatically(
                onboarding=locked.onboarding,
                number=Step.LASA,
                evidence_text="LASA approved by WSP: " + "; ".join(str(u) for u in lasas),
            )
            emails = sorted({u.email for u in lasas if u.email})
            if emails:
                send_templated_mail(
                    to=emails,
                    subject_template="onboarding/email/lasa_approved_subject.txt",
                    body_template="onboarding/email/lasa_approved.txt",
                    context={"agency": agency, "proposal": locked},
                )
        log_action(
            "onboarding.lasa.approved" if approve else "onboarding.lasa.declined",
            obj=locked.onboarding,
            actor=actor,
            changes={"status": ["proposed", locked.status]},
            data={"lasa": locked.primary_display, "backup": locked.backup_display, "note": locked.decision_note[:300]},
        )
    return locked


# --- the LASA manages the agency's users -----------------------------------------------------------------


def managed_users(agency: Agency) -> QuerySet[User]:
    """The agency's officers and collision reviewers (active or not): the accounts its LASA manages."""
    return (
        users_with_role(role=LASA_MANAGED_ROLES, agency=agency, active_only=False)
        .exclude(pk__in=users_with_role(role=LASA, agency=agency, active_only=False).values("pk"))
        .exclude(groups__name__in=sorted(STATEWIDE_ROLES))
        .select_related("person")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(agency=agency).prefetch_related("roles"))
        )
        .order_by("last_name", "first_name", "id")
    )


def _check_manager(actor: User, agency: Agency) -> None:
    """The policy's `manage_users` on the agency: the LASA of this agency (a LASA elsewhere manages nobody
    here, whatever else they hold here)."""
    if not can(actor, "manage_users", agency):
        if actor.has_perm("onboarding.manage_agency_users"):  # a LASA of another agency
            raise OnboardingError("You can manage only your own agency's users.")
        raise OnboardingError("Only the agency's LASA manages its users.")


def _managed(agency: Agency, target_id: int, actor: User) -> User:
    target = managed_users(agency).filter(pk=target_id).first()
    if target is None or target.pk == actor.pk or (_agency_ids_of(target) - {agency.pk}):
        raise OnboardingError("That person is not an officer or collision reviewer of your agency.")
    return target


@logs_refusal("onboarding.user.invite", "agency")
def agency_user_invite(
    *, agency: Agency, actor: User, first_name: str, last_name: str, email: str, role: str, personnel_number: str = ""
) -> User:
    """Invite an officer or collision reviewer under the badge or personnel number the agency knows them by.

    The account is tied to the person of the agency with that number (an officer already on a training roster
    keeps their history), or a new one is added: tickets and collision reports name their officer by that
    number, and the training that activates an officer's account is recorded for the person."""
    _check_manager(actor, agency)
    if role not in LASA_MANAGED_ROLES:
        raise OnboardingError("A LASA invites officers and collision reviewers only.")
    number = " ".join((personnel_number or "").split())
    if role == OFFICER and not number:
        raise OnboardingError(
            "Give the officer's badge or personnel number: tickets and collision reports are matched to officers by it."
        )
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(agency=agency, personnel_number__iexact=number).first()
        if number and person is not None:
            _check_number_owner(person, number, email=email, last_name=last_name)
        # An officer's account waits for a completed sanctioned training before it is activated.
        user = _invite(agency=agency, first_name=first_name, last_name=last_name, email=email, role=role,
                       actor=actor, active=role != OFFICER, personnel_number=number)  # fmt: skip
        try:
            with transaction.atomic():
                linked, created = _link_person(user, agency, person, number)
        except IntegrityError:
            raise OnboardingError(f"Another person of {agency.name} has personnel number {number}.") from None
        log_action(
            "onboarding.person.linked",
            obj=user,
            actor=actor,
            data={"agency": agency.ori, "personnel_number": linked.personnel_number, "new_person": created},
        )
    return user


def _check_number_owner(person: Person, number: str, *, email: str, last_name: str) -> None:
    """A number already on record must be this person's: not someone else's account, not another name."""
    if person.user is not None and (person.user.email or "").lower() != (email or "").strip().lower():
        raise OnboardingError(
            f"Personnel number {number} belongs to {person.full_name}, who already has an account: check the number."
        )
    if person.user_id is None and person.last_name.strip().lower() != (last_name or "").strip().lower():
        raise OnboardingError(
            f"Personnel number {number} is {person.full_name}'s in the agency's records: check the number or the name."
        )


def _link_person(user: User, agency: Agency, person: Person | None, number: str) -> tuple[Person, bool]:
    """The person record behind the account: the existing one, the one with the number, or a new one."""
    linked = Person.objects.filter(user=user).first()
    if linked is not None:
        if person is not None and person.pk != linked.pk:
            raise OnboardingError(f"Personnel number {number} belongs to {person.full_name}, not to {user}.")
        if number and linked.personnel_number and linked.personnel_number.lower() != number.lower():
            raise OnboardingError(f"{user} already has personnel number {linked.personnel_number}.")
        if number and not linked.personnel_number:
            linked.personnel_number = number
            linked.save(update_fields=["personnel_number", "updated_at"])
        return linked, False
    if person is not None:
        person.user = user
        person.email = person.email or user.email
        person.save(update_fields=["user", "email", "updated_at"])
        return person, False
    person = Person.objects.create(
        agency=agency, first_name=user.first_name, last_name=user.last_name, personnel_number=number,
        email=user.email, kind=PersonKind.OFFICER, user=user,
    )  # fmt: skip
    return person, True


@logs_refusal("onboarding.user.set_role", "agency")
def agency_user_set_role(*, agency: Agency, actor: User, target_id: int, role: str) -> User:
    _check_manager(actor, agency)
    if role not in LASA_MANAGED_ROLES:
        raise OnboardingError("Choose officer or collision reviewer.")
    with transaction.atomic():
        target = _managed(agency, target_id, actor)
        try:  # the role gates (accounts.services.role_gates): an active account becomes an officer once trained
            set_roles_at(target, {role}, agency=agency, among=set(LASA_MANAGED_ROLES))
        except RoleError as exc:
            raise OnboardingError(str(exc)) from None
    return target


def officer_gate(user: User, role: str) -> str:
    """The training gate, registered in accounts.services.role_gates: an active account may be given the officer
    role only when a completed sanctioned officer training is on record for it ("" when it may)."""
    if role != OFFICER:
        return ""
    blockers = _officer_blockers(user)
    if not blockers:
        return ""
    return (
        f"{user.get_full_name() or user.username} cannot be an active officer yet: no completed sanctioned officer "
        "training is on record. " + " ".join(blockers)
    )


def roles_at(user: User, agency: Agency) -> set[str]:
    """The roles `user` holds at `agency` (its membership's roles)."""
    return set(
        Membership.objects.filter(user=user, agency=agency)
        .values_list("roles__name", flat=True)
        .exclude(roles__name=None)
    )


def deactivation_consequences(*, agency: Agency, actor: User, target_id: int) -> tuple[object, list[str]]:
    """What deactivating the account will do, in sentences for the confirmation step; refuses what the service
    would refuse, so nobody is asked to confirm an action that cannot happen."""
    _check_manager(actor, agency)
    target = _managed(agency, target_id, actor)
    if not target.is_active:
        raise OnboardingError(f"{target} is already deactivated.")
    name = target.get_full_name() or target.username
    out = [
        f"{name} can no longer sign in to the portal.",
        "They stay the officer of record on their tickets and collision reports; nothing they wrote changes.",
    ]
    blockers = activation_blockers(target)
    if blockers:
        out.append(
            f"No completed sanctioned training is on record for {name}: the account cannot be activated again "
            "until a completed sanctioned officer training is recorded for them. " + " ".join(blockers)
        )
    else:
        out.append("You can activate the account again from this page.")
    return target, out


@logs_refusal("onboarding.user.deactivate", "agency")
def agency_user_deactivate(*, agency: Agency, actor: User, target_id: int) -> User:
    """Deactivate, never delete: they stay the officer of record on their tickets and reports."""
    _check_manager(actor, agency)
    with transaction.atomic():
        target = _managed(agency, target_id, actor)
        if not target.is_active:
            raise OnboardingError(f"{target} is already deactivated.")
        target.is_active = False
        target.save(update_fields=["is_active"])
    return target


trained_user_sources: ExtensionPoint[Callable[[list[int]], set[int]]] = ExtensionPoint("onboarding.trained_users")
"""Which users have a completed sanctioned training: `func(user_ids) -> set of ids` (the training app registers
it, so onboarding never imports training)."""


def trained_user_ids(user_ids: list[int]) -> set[int]:
    out: set[int] = set()
    for func in trained_user_sources:
        out |= func(user_ids)
    return out


def activation_blockers(target: User) -> list[str]:
    if not users_with_role(role=OFFICER, active_only=False).filter(pk=target.pk).exists():
        return []
    return _officer_blockers(target)


def _officer_blockers(target: User) -> list[str]:
    if not officer_activation_checks:
        return ["No training records are available to confirm a completed sanctioned training."]
    return [reason for check in officer_activation_checks if (reason := check(target))]


@logs_refusal("onboarding.user.activate", "agency")
def agency_user_activate(*, agency: Agency, actor: User, target_id: int) -> User:
    """Activate an account; an officer only once a completed sanctioned training is recorded for them."""
    _check_manager(actor, agency)
    with transaction.atomic():
        target = _managed(agency, target_id, actor)
        if target.is_active:
            raise OnboardingError(f"{target} is already active.")
        reasons = activation_blockers(target)
        if reasons:
            raise OnboardingError(f"{target} cannot be activated yet. " + " ".join(reasons))
        target.is_active = True
        target.save(update_fields=["is_active"])
    return target
