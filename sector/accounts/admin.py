from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count

from .models import Membership, User
from .roles import ROLES


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency", "court"]
    fields = ["agency", "court", "created_at"]
    readonly_fields = ["created_at"]


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
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, obj):
        return ", ".join(sorted(g.name for g in obj.groups.all())) or "—"

    def has_delete_permission(self, request, obj=None):
        # Deactivate instead: a user stays the officer or clerk of record on what they touched.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "court", "created_at"]
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


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles are groups. Their permissions come from sector/accounts/roles.py and are re-synced after every
    migrate, so change a role's permissions there; members are managed here or on the user page."""

    list_display = ["name", "label", "member_count"]
    search_fields = ["name", "user__username"]
    inlines = [GroupMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_members=Count("user"))

    @admin.display(description="role")
    def label(self, obj):
        role = ROLES.get(obj.name)
        return role.label if role else "—"

    @admin.display(description="members", ordering="_members")
    def member_count(self, obj):
        return obj._members
