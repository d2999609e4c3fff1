from django.contrib import admin

from .models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin page that only shows: the rows change through the portal's services, which check and log
    every change, so no one adds, edits or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A shown-only inline (list its `fields` as `readonly_fields` too): nothing is added or deleted from it."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the log is append-only, so no one adds, edits or deletes entries here."""

    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "request_id"]
    list_filter = ["action", "content_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "action", "object_repr", "object_id", "request_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    list_select_related = ["content_type"]
    show_full_result_count = False
