"""Role and membership changes are logged whichever door they come through (admin, shell, services)."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from sector.core.audit import log_action
from sector.core.context import current_user_var, request_id_var

from .models import Membership, User
from .roles import STATEWIDE_ROLES
from .scope import forget_scope


class MisplacedRoleError(ValueError):
    """An agency or court role given to a user globally: it belongs on the membership of one organization."""


@receiver(m2m_changed, sender=User.groups.through)
def _refuse_global_agency_roles(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add":
        return
    names = {instance.name} if reverse else set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    misplaced = {n for n in names if n not in STATEWIDE_ROLES and n in _role_names()}
    if misplaced:
        raise MisplacedRoleError(
            f"{', '.join(sorted(misplaced))} is held at one agency or court: grant it on the membership"
        )


def _role_names() -> set[str]:
    from .roles import ROLES

    return set(ROLES)


_TRACKED_USER_FIELDS = ("is_active", "is_staff", "is_superuser", "email")


@receiver(pre_save, sender=User)
def _remember_user_state(sender, instance, **kwargs):
    if instance.pk:
        before = User.objects.filter(pk=instance.pk).values(*_TRACKED_USER_FIELDS, "password").first()
        instance._audit_before = before or {}


@receiver(post_save, sender=User)
def _log_user_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        log_action("accounts.user.created", obj=instance, data={"username": instance.username})
        return
    before = getattr(instance, "_audit_before", {})
    _log_password_change(instance, before)
    changes = {
        f: [before.get(f), getattr(instance, f)] for f in _TRACKED_USER_FIELDS if before.get(f) != getattr(instance, f)
    }
    if changes:
        action = "accounts.user.deactivated" if changes.get("is_active") == [True, False] else "accounts.user.changed"
        log_action(action, obj=instance, changes=changes)


def _log_password_change(user: User, before: dict) -> None:
    """A new password (or password sign-in turned off), whichever door set it: the user's own change, a reset
    link, an administrator, the shell. Never the hash. Not a rehash on sign-in (Django upgrades the hash of the
    same password then: `_password` is cleared before that save)."""
    if "password" not in before or before["password"] == user.password:
        return
    if getattr(user, "_password", None) is None and user.has_usable_password():
        return
    current = current_user_var.get()
    signed_in = current is not None and getattr(current, "is_authenticated", False)
    if signed_in and current.pk == user.pk:
        how, actor = "own change", user
    elif signed_in:
        how, actor = "set by another user", current
    elif request_id_var.get():
        how, actor = "reset link", user  # the emailed link proves the user's control of the account
    else:
        how, actor = "outside a request (command line)", None
    if not user.has_usable_password():
        how += ", password sign-in turned off"
    log_action("accounts.password.changed", obj=user, actor=actor, data={"how": how, "username": user.username})


@receiver(m2m_changed, sender=User.groups.through)
def _log_role_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        if reverse:
            instance._audit_cleared = list(instance.user_set.all())
        else:
            instance._audit_cleared = list(instance.groups.values_list("name", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    verb = {"post_add": "granted", "post_remove": "revoked", "post_clear": "revoked"}[action]
    if not reverse:  # user.groups.add(group)
        forget_scope(instance)
        if action == "post_clear":
            names = getattr(instance, "_audit_cleared", [])
        else:
            names = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        for name in sorted(names):
            log_action(f"accounts.role.{verb}", obj=instance, data={"role": name})
    else:  # group.user_set.add(user)
        if action == "post_clear":
            users = getattr(instance, "_audit_cleared", [])
        else:
            users = list(User.objects.filter(pk__in=pk_set))
        for user in users:
            forget_scope(user)
            log_action(f"accounts.role.{verb}", obj=user, data={"role": instance.name})


@receiver(post_save, sender=Membership)
def _log_membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    forget_scope(instance.user)
    org = instance.organisation
    log_action(
        "accounts.membership.added" if created else "accounts.membership.changed",
        obj=instance.user,
        data={"organisation": str(org), "kind": "agency" if instance.agency_id else "court"},
    )


@receiver(post_delete, sender=Membership)
def _log_membership_removed(sender, instance, **kwargs):
    forget_scope(instance.user)
    log_action(
        "accounts.membership.removed",
        obj=instance.user,
        data={"organisation": str(instance.organisation), "kind": "agency" if instance.agency_id else "court"},
    )


@receiver(m2m_changed, sender=Membership.roles.through)
def _log_membership_role_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Membership.roles: the role held at one organization, logged with that organization."""
    if action == "pre_clear" and not reverse:
        instance._audit_cleared = list(instance.roles.values_list("name", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    verb = {"post_add": "granted", "post_remove": "revoked", "post_clear": "revoked"}[action]
    if reverse:  # group.memberships.add(membership)
        memberships = list(Membership.objects.filter(pk__in=pk_set).select_related("user", "agency", "court"))
        pairs = [(m, instance.name) for m in memberships]
    else:
        if action == "post_clear":
            names = getattr(instance, "_audit_cleared", [])
        else:
            names = list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        pairs = [(instance, name) for name in sorted(names)]
    for membership, name in pairs:
        forget_scope(membership.user)
        log_action(
            f"accounts.role.{verb}",
            obj=membership.user,
            data={
                "role": name,
                "organisation": str(membership.organisation),
                "kind": "agency" if membership.agency_id else "court",
            },
        )
