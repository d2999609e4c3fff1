"""The one authorization policy every view, service and template asks.

Each model's queryset declares a `Policy`: for each action (view, change and each domain action such as
accept, approve, release, manage users) the permission it takes and the paths from the record to the
agency and/or court whose roles grant it. Statewide roles reach every record when their role grants the
permission (from the ROLES table, never a list of names); agency and court roles reach their organization's
records only, because a role belongs to a membership. Where the policy names an owner, an own-records role
(the officer's) reaches only the records the user wrote.

Two answers, asked in this order:
1. Scope — is the record the user's business at all? It is when it belongs to one of the user's
   organizations (an officer's: when they wrote it), when a statewide role of the user may view its kind, or
   when it is public. Outside the scope the record does not exist for the user: 404.
2. Right — may the user's role there view it, and do this action to it? In scope without the right: 403.

`Model.objects.restrict(user, action)` answers both for lists and for locked rows inside services;
`authorize(user, action, obj)` and `get_in_scope_or_404` answer them for one record; `can(user, action, obj)`
is the yes/no a template uses to decide which buttons show (the `can` tag in core's template tags).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

VIEW = "view"


def user_scope(user: Any) -> Any:
    from sector.accounts.scope import scope_for

    return scope_for(user)


@dataclass(frozen=True)
class Rule:
    """Who may do one action to one kind of record.

    perm: the permission ("app_label.codename") the user's role must grant for the record's organization.
    agency / court: lookup paths from the record to the agency / court id ("agency", "onboarding__agency", "pk").
    statewide: whether statewide roles holding `perm` reach every record (False keeps them to their memberships).
    owner: lookup path from the record to the user who wrote it; an own-records role reaches only those.
    public: a record every holder of `perm` reaches (e.g. a program-wide training event).
    """

    perm: str | None
    agency: tuple[str, ...] = ()
    court: tuple[str, ...] = ()
    statewide: bool = True
    owner: str | None = None
    public: Q | None = None

    def with_perm(self, perm: str) -> Rule:
        return Rule(perm, self.agency, self.court, self.statewide, self.owner, self.public)


class Policy:
    """One model's rules, by action. `view` is required: it is the scope every other action starts from."""

    def __init__(self, **rules: Rule) -> None:
        if VIEW not in rules:
            raise ImproperlyConfigured("a policy declares at least the view rule")
        self.rules = rules

    def rule(self, action: str) -> Rule:
        """The rule of `action`; an "app.codename" permission not declared as an action is checked with the
        view rule's paths (so a permission check on a record is always scoped to the record's organization)."""
        if action in self.rules:
            return self.rules[action]
        if "." in action:
            for rule in self.rules.values():
                if rule.perm == action:
                    return rule
            return self.rules[VIEW].with_perm(action)
        raise ImproperlyConfigured(f"no policy rule for action {action!r}")

    def condition(self, user: Any, action: str) -> Q | None:
        """The rows `user` may reach for `action`: None means every row, an empty Q() match means none."""
        rule = self.rule(action)
        scope = user_scope(user)
        if not scope.active:
            return Q(pk__in=[])
        if scope.superuser:
            return None
        if rule.perm is None:
            if scope.statewide_roles and rule.statewide:
                return None
        elif rule.statewide and scope.statewide_has(rule.perm):
            return None
        condition = Q(pk__in=[])
        for kind, paths in (("agency", rule.agency), ("court", rule.court)):
            if not paths:
                continue
            whole, own = _reach(scope, rule, kind)
            for path in paths:
                if whole:
                    condition |= Q(**{f"{path}__in": sorted(whole)})
                if own and rule.owner:
                    condition |= Q(**{f"{path}__in": sorted(own)}) & Q(**{rule.owner: user.pk})
        if rule.public is not None and (rule.perm is None or rule.perm in scope.perms()):
            condition |= rule.public
        return condition

    def scope_condition(self, user: Any) -> Q | None:
        """The rows that are the user's business (the 404 line): what they may view, plus their
        organizations' records they have no right to view (403), plus public rows."""
        rule = self.rules[VIEW]
        scope = user_scope(user)
        if not scope.active:
            return Q(pk__in=[])
        if scope.superuser or (rule.perm is not None and rule.statewide and scope.statewide_has(rule.perm)):
            return None
        condition = self.condition(user, VIEW)
        if condition is None:
            return None
        for kind, paths in (("agency", rule.agency), ("court", rule.court)):
            ids = self._member_ids(scope, rule, kind)
            for path in paths:
                if ids:
                    condition |= Q(**{f"{path}__in": sorted(ids)})
        if rule.public is not None:
            condition |= rule.public
        return condition

    @staticmethod
    def _member_ids(scope: Any, rule: Rule, kind: str) -> frozenset[int]:
        """The user's organizations of `kind`, less those where only an own-records role grants the view (there
        another officer's record is not the user's business)."""
        ids = scope.agency_ids if kind == "agency" else scope.court_ids
        if rule.perm is not None and rule.owner is not None:
            ids = ids - scope.reach(rule.perm, kind)[1]
        return ids

    def in_scope(self, user: Any, obj: models.Model) -> bool:
        rule = self.rules[VIEW]
        scope = user_scope(user)
        if not scope.active:
            return False
        if self.allows(user, VIEW, obj):
            return True
        for kind, paths in (("agency", rule.agency), ("court", rule.court)):
            ids = self._member_ids(scope, rule, kind)
            if any(resolve(obj, path) in ids for path in paths):
                return True
        if rule.public is not None:
            return type(obj)._default_manager.filter(rule.public, pk=obj.pk).exists()
        return False

    def allows(self, user: Any, action: str, obj: models.Model) -> bool:
        """Whether `user` may do `action` to `obj`, answered from the same rule without a query where the
        paths end in foreign keys already on the object."""
        rule = self.rule(action)
        scope = user_scope(user)
        if not scope.active:
            return False
        if scope.superuser:
            return True
        if rule.perm is None:
            if scope.statewide_roles and rule.statewide:
                return True
        elif rule.statewide and scope.statewide_has(rule.perm):
            return True
        for kind, paths in (("agency", rule.agency), ("court", rule.court)):
            if not paths:
                continue
            whole, own = _reach(scope, rule, kind)
            for path in paths:
                org_id = resolve(obj, path)
                if org_id is None:
                    continue
                if org_id in whole:
                    return True
                if org_id in own and rule.owner and resolve(obj, rule.owner) == user.pk:
                    return True
        if rule.public is not None and (rule.perm is None or rule.perm in scope.perms()):
            return type(obj)._default_manager.filter(rule.public, pk=obj.pk).exists()
        return False


def _reach(scope: Any, rule: Rule, kind: str) -> tuple[frozenset[int], frozenset[int]]:
    """For one rule and kind ("agency"/"court"): the organization ids whose every record the user reaches, and
    those where only an own-records role reaches the user's own records (folded into the first when the rule
    names no owner)."""
    if rule.perm is None:
        return (scope.agency_ids if kind == "agency" else scope.court_ids), frozenset()
    whole, own = scope.reach(rule.perm, kind)
    if rule.owner is None:
        return whole | own, frozenset()
    return whole, own


def resolve(obj: Any, path: str) -> Any:
    """Follow a lookup path ("survey__onboarding__agency") to the id at its end, reading `<fk>_id` for the
    last step so a loaded record costs no query for its own organization."""
    if path == "pk":
        return obj.pk
    parts = path.split("__")
    current = obj
    for part in parts[:-1]:
        current = getattr(current, part, None)
        if current is None:
            return None
    last = parts[-1]
    if last == "pk":
        return current.pk
    if hasattr(current, f"{last}_id"):
        return getattr(current, f"{last}_id")
    value = getattr(current, last, None)
    return getattr(value, "pk", value)


class ScopedQuerySet(models.QuerySet):
    """A queryset whose model declares its `policy`.

    Older declarations (`scope_agency_path`, `scope_court_path`) still build a view rule; each app states its
    actions in a `policy` as it moves over.
    """

    policy: ClassVar[Policy | None] = None
    scope_agency_path: ClassVar[str | None] = None
    scope_court_path: ClassVar[str | None] = None

    @classmethod
    def get_policy(cls) -> Policy:
        if cls.policy is not None:
            return cls.policy
        return Policy(
            view=Rule(
                None,
                agency=(cls.scope_agency_path,) if cls.scope_agency_path else (),
                court=(cls.scope_court_path,) if cls.scope_court_path else (),
            )
        )

    def in_scope(self, user: Any) -> Any:
        """The rows that are the user's business (see the module's "Scope"): what a 404 is decided on."""
        condition = self.get_policy().scope_condition(user)
        return self if condition is None else self.filter(condition)

    def restrict(self, user: Any, action: str = VIEW) -> Any:
        policy = self.get_policy()
        condition = policy.condition(user, VIEW)
        qs = self if condition is None else self.filter(condition)
        if action != VIEW:
            extra = policy.condition(user, action)
            if extra is not None:
                qs = qs.filter(extra)
        return qs


def policy_of(model_or_obj: Any) -> Policy:
    model: Any = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    qs_class = type(model._default_manager.all())
    if not issubclass(qs_class, ScopedQuerySet):
        raise ImproperlyConfigured(f"{model.__name__} declares no policy")
    return qs_class.get_policy()


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Yes or no, for templates and for choosing what to offer: may `user` do `action` to `obj`?"""
    policy = policy_of(obj)
    return policy.allows(user, VIEW, obj) and (action == VIEW or policy.allows(user, action, obj))


def authorize(user: Any, action: str, obj: models.Model) -> None:
    """404 when `obj` is outside the user's scope; 403 when it is in scope but the user may not view it or may
    not do `action` to it."""
    policy = policy_of(obj)
    if not policy.in_scope(user, obj):
        raise Http404(f"No {obj._meta.verbose_name} matches the given query.")
    if not policy.allows(user, VIEW, obj) or (action != VIEW and not policy.allows(user, action, obj)):
        raise PermissionDenied


def require_perm(user: Any, perm: str) -> None:
    """403 unless some role of the user grants `perm` ("app_label.codename") somewhere. For one record ask
    `authorize`: this answers only "may the user use this page at all"."""
    if not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied


def get_in_scope_or_404(user: Any, queryset: Any, perm: str | None = None, action: str = VIEW, **lookup: Any) -> Any:
    """The record named by `lookup` if it is in the user's scope (else 404) and the user may view it and do
    `action` — or, given as a permission, `perm` — to it, at the record's own organization (else 403)."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        obj = queryset.in_scope(user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None
    authorize(user, action, obj)
    if perm and perm != action:
        authorize(user, perm, obj)
    return obj


def organizations_with(user: Any, perm: str, kind: str, *, own: bool = True) -> Iterable[int] | None:
    """The agency or court ids where the user's roles grant `perm` (own-records roles included, unless `own` is
    False: then only where a role grants it for every record, e.g. for agency-wide figures); None when a
    statewide role grants it everywhere. For forms that offer a choice of organization."""
    scope = user_scope(user)
    if scope.superuser or scope.statewide_has(perm):
        return None
    whole, own_ids = scope.reach(perm, kind)
    return sorted(whole | own_ids) if own else sorted(whole)
