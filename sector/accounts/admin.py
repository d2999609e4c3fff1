from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count

from .models import Membership, User
from .roles import ROLES, STATEWIDE_ROLES
from .services import role_gate_refusals


def _roles_before(membership: Membership | None) -> set[str]:
    if membership is None or membership.pk is None:
        return set()
    return set(membership.roles.values_list("name", flat=True))


def _was_active(user: User) -> bool:
    if user.pk is None:
        return False
    return bool(User.objects.filter(pk=user.pk, is_active=True).exists())


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    """The user page: the roles each membership will hold, checked with the role gates (accounts.services) for
    the account as it will be saved — a role new to an active account, or every role of an account being
    activated (an officer needs a completed sanctioned training on record)."""

    def clean(self) -> None:
        super().clean()
        user = self.instance
        if not user.is_active:
            return
        activating = not _was_active(user)
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            after = {g.name for g in form.cleaned_data.get("roles") or ()}
            new = after if activating else after - _roles_before(form.instance)
            reasons = role_gate_refusals(user, new)
            if reasons:
                form.add_error("roles" if not activating else None, " ".join(reasons))


class MembershipForm(forms.ModelForm):
    """The membership page: a role new to an active account passes the role gates."""

    class Meta:
        model = Membership
        fields = ["user", "agency", "court", "roles"]

    def clean(self) -> dict:
        data = super().clean()
        user = data.get("user")
        if user is not None:
            before = _roles_before(self.instance) if self.instance.user_id == user.pk else set()
            reasons = role_gate_refusals(user, {g.name for g in data.get("roles") or ()} - before)
            if reasons:
                self.add_error("roles", " ".join(reasons))
        return data


class MembershipRoleForm(forms.ModelForm):
    """A holder row on a role's page: giving an active account the role passes the role gates."""

    def clean(self) -> dict:
        data = super().clean()
        membership = data.get("membership")
        group = data.get("group") or getattr(self.instance, "group", None)
        changed = self.instance.pk is None or self.instance.membership_id != getattr(membership, "pk", None)
        if membership is not None and group is not None and changed:
            reasons = role_gate_refusals(membership.user, {group.name})
            if reasons:
                self.add_error("membership", " ".join(reasons))
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["agency", "court"]
    fields = ["agency", "court", "roles", "created_at"]
    readonly_fields = ["created_at"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "roles":  # agency and court roles: held at this organization only
            kwargs["queryset"] = Group.objects.filter(name__in=sorted(set(ROLES) - STATEWIDE_ROLES)).order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser", "memberships__agency", "memberships__court"]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "email",
        "memberships__agency__ori",
        "memberships__court__code",
    ]
    fieldsets = DjangoUserAdmin.fieldsets + (("Contact", {"fields": ("title", "phone")}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "memberships__roles")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":  # the user's own groups hold statewide roles only
            kwargs["queryset"] = Group.objects.exclude(name__in=sorted(set(ROLES) - STATEWIDE_ROLES)).order_by("name")
            kwargs["help_text"] = "Statewide roles. Agency and court roles are set on each membership below."
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="roles")
    def roles(self, obj):
        names = {g.name for g in obj.groups.all()}
        for m in obj.memberships.all():
            names |= {g.name for g in m.roles.all()}
        return ", ".join(sorted(names)) or "—"

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: a user stays the officer or clerk of record on what they touched.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "agency", "court", "created_at"]
    filter_horizontal = ["roles"]
    list_filter = ["agency", "court"]
    search_fields = ["user__username", "user__last_name", "agency__ori", "agency__name", "court__code", "court__name"]
    autocomplete_fields = ["user", "agency", "court"]
    list_select_related = ["user", "agency", "court"]


class GroupMemberInline(admin.TabularInline):
    model = User.groups.through
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = "member"
    verbose_name_plural = "members"


class MembershipRoleInline(admin.TabularInline):
    model = Membership.roles.through
    form = MembershipRoleForm
    extra = 0
    autocomplete_fields = ["membership"]
    verbose_name = "holder (user at an organization)"
    verbose_name_plural = "holders (users at an organization)"


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles are groups. Their permissions come from sector/accounts/roles.py and are re-synced after every
    migrate, so change a role's permissions there; members are managed here or on the user page."""

    list_display = ["name", "label", "member_count"]
    search_fields = ["name", "user__username"]
    inlines = [GroupMemberInline]

    def get_inlines(self, request, obj):
        if obj is not None and obj.name in ROLES and obj.name not in STATEWIDE_ROLES:
            return [MembershipRoleInline]  # an agency or court role is held at one organization
        return [GroupMemberInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_members=Count("user", distinct=True) + Count("memberships", distinct=True))
        )

    @admin.display(description="role")
    def label(self, obj):
        role = ROLES.get(obj.name)
        return role.label if role else "—"

    @admin.display(description="members", ordering="_members")
    def member_count(self, obj):
        return obj._members
