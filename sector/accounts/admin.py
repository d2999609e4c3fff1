from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Membership, User


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
