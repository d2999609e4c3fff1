"""The program's roles: Django groups with explicit permissions.

A statewide role is held by the user (their groups). An agency or court role is held at one organization:
it sits on the membership (`Membership.roles`), and grants its permissions for that organization's records
only. The policy (sector/core/permissions.py) reads the permissions from this table.

This table is the source of truth; migrations call `sync_roles` to make the groups match it, so a later
issue that adds permissions adds them here and ships a migration that calls `sync_roles` again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    organisation: str
    scope: str  # "statewide", "agency" or "court"
    description: str
    permissions: tuple[str, ...]
    # "organization": the role reaches every record of its organization the permission covers.
    # "own": on records whose policy names an owner (tickets, collision reports), only the user's own.
    reach: str = "organization"


WASPC = "waspc_coordinator"
WSP = "wsp_support"
AOC = "aoc_coordinator"
CLERK = "court_clerk"
LASA = "lasa"
REVIEWER = "collision_reviewer"
AGENCY_CONTACT = "agency_contact"
OFFICER = "officer"

# Support requests (sector.support): an organization raises and follows its own; WSP support handles them all.
_SUPPORT_REQUESTER = ("support.view_supportrequest", "support.add_supportrequest", "support.add_message")

_REFERENCE_READ = (
    "orgs.view_agency",
    "orgs.view_court",
    "orgs.view_person",
    "orgs.view_programcontact",
    "accounts.view_membership",
)

# Onboarding (issue 3): every role but the clerk's follows an agency's checklist, survey and its evaluation.
_ONBOARDING_READ = (
    "onboarding.view_agencyonboarding",
    "onboarding.view_survey",
    "onboarding.view_evaluation",
    "onboarding.view_courtnotice",
    "onboarding.view_prosecutornotice",
    "onboarding.view_agreement",
    "onboarding.view_lasaproposal",
)
# Training (issue 3): events are visible to every role; records to those who may see the people.
_TRAINING_READ = ("training.view_trainingevent", "training.view_trainingrecord")
# Issue 16 item 5: WSP support (the records officer's role here) and AOC set retention periods, hold records and
# run dispositions; item 4: both watch the outage burn-down.
_RECORDS_OFFICER = (
    "core.view_retentionperiod",
    "core.change_retentionperiod",
    "core.view_recordhold",
    "core.add_recordhold",
    "core.change_recordhold",
    "core.view_dispositionrun",
    "core.dispose_records",
    "feed.view_outage",
)
_TRAINING_RUN = ("training.add_trainingevent", "training.add_registration", "training.change_registration")

# The TraCS migration board (issue 16): WASPC runs it; WSP and AOC read it and export it.
_TRACS_READ = ("program.view_tracsmigration", "program.export_tracsmigration")

ROLES: dict[str, Role] = {
    WASPC: Role(
        WASPC,
        "WASPC coordinator",
        "WASPC",
        "statewide",
        "Agencies, onboarding overview and survey, officer training events, dashboards.",
        (
            *_REFERENCE_READ,
            "orgs.add_agency",
            "orgs.change_agency",
            "orgs.import_agency",
            "orgs.export_agency",
            "orgs.add_person",
            "orgs.change_person",
            "orgs.export_person",
            "core.view_auditentry",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
            *_TRAINING_RUN,
            "onboarding.add_agencyonboarding",
            "support.view_supportrequest",
            "citations.view_numberblock",
            # Issue 16 (program office): the TraCS migrations.
            *_TRACS_READ,
            "program.add_tracsmigration",
            "program.change_tracsmigration",
        ),
    ),
    WSP: Role(
        WSP,
        "WSP support",
        "Washington State Patrol",
        "statewide",
        "Agreements, LASA approval, support requests, feed and delivery monitoring, feed credentials.",
        (
            *_REFERENCE_READ,
            "orgs.change_agency",
            "orgs.export_agency",
            "orgs.export_court",
            "orgs.export_person",
            "orgs.change_programcontact",
            "core.view_auditentry",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
            "onboarding.golive_agencyonboarding",
            "onboarding.add_agreement",
            "onboarding.countersign_agreement",
            "onboarding.change_lasaproposal",
            "onboarding.publish_requirementprofile",
            "support.view_supportrequest",
            "support.handle_supportrequest",
            "support.view_internal_note",
            "support.export_supportrequest",
            "support.add_message",
            "feed.view_batch",
            "feed.view_feedexception",
            "feed.reprocess_feedexception",
            "feed.view_feedcredential",
            "feed.add_feedcredential",
            "feed.change_feedcredential",
            "citations.view_ticket",
            "citations.view_numberblock",
            "collisions.view_collisionreport",
            "collisions.view_access_collisionreport",
            "feed.view_delivery",
            "feed.retry_delivery",
            "feed.view_destination",
            *_RECORDS_OFFICER,
            "feed.change_destination",  # issue 16: WSP edits destinations and review settings in the portal
            "collisions.view_agencyreviewsetting",
            "collisions.change_agencyreviewsetting",
            *_TRACS_READ,
        ),
    ),
    AOC: Role(
        AOC,
        "AOC coordinator",
        "Administrative Office of the Courts",
        "statewide",
        "Court registry and readiness, court staff training, intake oversight.",
        (
            *_REFERENCE_READ,
            "orgs.add_court",
            "orgs.change_court",
            "orgs.import_court",
            "orgs.export_court",
            "orgs.add_person",
            "orgs.change_person",
            "core.view_auditentry",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
            *_TRAINING_RUN,
            "onboarding.change_courtnotice",
            "citations.view_ticket",
            "citations.export_ticket",
            "courts.view_courtclosure",
            "courts.add_courtclosure",
            "courts.delete_courtclosure",
            *_RECORDS_OFFICER,
            *_TRACS_READ,
        ),
    ),
    CLERK: Role(
        CLERK,
        "Court clerk",
        "A court",
        "court",
        "E-ticket intake for the clerk's own court(s).",
        (
            "orgs.view_court",
            "orgs.view_person",
            "orgs.view_programcontact",
            "onboarding.view_courtnotice",
            "onboarding.change_courtnotice",
            *_TRAINING_READ,
            *_SUPPORT_REQUESTER,
            "citations.view_ticket",
            "citations.process_ticket",
            "citations.export_ticket",
            "citations.view_licence_ticket",
            "courts.view_courtclosure",
            "courts.add_courtclosure",
            "courts.delete_courtclosure",
        ),
    ),
    LASA: Role(
        LASA,
        "Local agency system administrator (LASA)",
        "A law-enforcement agency",
        "agency",
        "The agency's onboarding, users, support requests and ticket status.",
        (
            "orgs.view_agency",
            "orgs.view_person",
            "accounts.view_membership",
            "orgs.add_person",
            "orgs.change_person",
            "orgs.export_person",
            "orgs.view_programcontact",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
            *_TRAINING_RUN,
            "onboarding.change_survey",
            "onboarding.sign_agreement",
            "onboarding.add_lasaproposal",
            "onboarding.manage_agency_users",
            *_SUPPORT_REQUESTER,
            "citations.view_ticket",
            "citations.view_licence_ticket",
            "citations.view_numberblock",
            "citations.add_numberblock",
            "collisions.view_collisionreport",
            "collisions.view_access_collisionreport",
            "collisions.release_collisionreport",
            "program.view_tracsmigration",
        ),
    ),
    AGENCY_CONTACT: Role(
        AGENCY_CONTACT,
        "Agency contact",
        "A law-enforcement agency",
        "agency",
        "The agency's onboarding (survey, notices, agreement, proposing the LASA) until WSP approves a LASA.",
        (
            "orgs.view_agency",
            "orgs.view_programcontact",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
            "onboarding.change_survey",
            "onboarding.sign_agreement",
            "onboarding.add_lasaproposal",
        ),
    ),
    REVIEWER: Role(
        REVIEWER,
        "Collision reviewer",
        "A law-enforcement agency",
        "agency",
        "Reviews the agency's collision reports before they go to DOT and DOL.",
        (
            "orgs.view_agency",
            "orgs.view_person",
            "orgs.view_programcontact",
            "collisions.view_collisionreport",
            "collisions.review_collisionreport",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
        ),
    ),
    OFFICER: Role(
        OFFICER,
        "Officer",
        "A law-enforcement agency",
        "agency",
        "Own tickets' court status, own returned collision reports, own training record.",
        (
            "orgs.view_agency",
            "orgs.view_programcontact",
            *_ONBOARDING_READ,
            *_TRAINING_READ,
            *_SUPPORT_REQUESTER,
            "citations.view_ticket",
            "collisions.view_collisionreport",
        ),
        reach="own",
    ),
}

STATEWIDE_ROLES = frozenset(name for name, role in ROLES.items() if role.scope == "statewide")
AGENCY_ROLES = frozenset(name for name, role in ROLES.items() if role.scope == "agency")
COURT_ROLES = frozenset(name for name, role in ROLES.items() if role.scope == "court")
OWN_RECORDS_ROLES = frozenset(name for name, role in ROLES.items() if role.reach == "own")
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {name: frozenset(role.permissions) for name, role in ROLES.items()}


def roles_with_perm(perm: str, *, scope: str | None = None) -> frozenset[str]:
    """The roles whose permissions include `perm` (of one scope kind when given): the policy's statewide
    readers, the recipients of a notice, and so on, always from this table rather than from string literals."""
    return frozenset(
        name
        for name, role in ROLES.items()
        if perm in ROLE_PERMISSIONS[name] and (scope is None or role.scope == scope)
    )


def sync_roles(apps=None, *, strict: bool = True) -> list[str]:
    """Create the groups and give each exactly its permissions. Works inside a migration (historical
    `apps`, `strict=False`: a permission of a model a later migration creates is skipped there and added
    by the post_migrate sync) and at run time. Returns a description of what changed."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        if original is None:  # historical app configs inside a migration
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    changed = []
    for role in ROLES.values():
        group, created = Group.objects.get_or_create(name=role.name)
        if created:
            changed.append(f"created group {role.name}")
        wanted = set()
        for dotted in role.permissions:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                if strict:
                    raise LookupError(f"role {role.name}: permission {dotted} does not exist")
                continue
            wanted.add(perm.pk)
        current = set(group.permissions.values_list("pk", flat=True))
        if wanted != current:
            group.permissions.set(wanted)
            changed.append(f"{role.name}: {len(wanted)} permissions")
    return changed
